// Every route people use with an API token (docs/api.md), behind one door:
//   GET  /v1/rollups                 api/rollups_api.h
//   /v1/returns...                   api/returns_api.h
//   /v1/records..., /v1/conflicts... api/corrections_api.h
//   /v1/findings...                  api/findings_api.h
//   GET  /v1/agents                  api/agents_api.h
//   /v1/periods...                   api/periods_api.h
//   GET  /v1/orgs                    api/orgs_api.h
// The HTTP router calls it for a bearer token's user; the web pages
// (web/web_app.h) call it for a signed-in user, so a page shows and does
// exactly what the API does, with the same scope checks and refusals.
// Thread-safe.
#pragma once

#include <string>

#include "api/agents_api.h"
#include "api/corrections_api.h"
#include "api/findings_api.h"
#include "api/orgs_api.h"
#include "api/periods_api.h"
#include "api/returns_api.h"
#include "api/rollups_api.h"
#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"
#include "validation/findings_publisher.h"

namespace tributary::server {

class PeopleApi {
 public:
  // `store` and `findings` must outlive the API.
  PeopleApi(ServerStore& store, FindingsPublisher& findings);

  // Whether `path` (no query string) is one of the routes above.
  static bool Serves(const std::string& path);

  // Answers one request for `user`. Throws Error for a refusal the router
  // maps to a status (kInvalidArgument 400, kForbidden 403, kNotFound 404,
  // kConflict 409, ...); a wrong method is answered 405 without throwing.
  // GET /v1/rollups and /v1/orgs answer with an ETag, and 304 without a
  // body when the request's If-None-Match names it.
  HttpResponse Handle(const std::string& path, const HttpRequest& request, const User& user);

 private:
  HttpResponse Route(const std::string& path, const HttpRequest& request, const User& user);

  FindingsCache findings_cache_;  // before returns_, which uses it
  RollupsApi rollups_;
  ReturnsApi returns_;
  CorrectionsApi corrections_;
  FindingsApi findings_;
  AgentsApi agents_;
  PeriodsApi periods_;
  OrgsApi orgs_;
};

}  // namespace tributary::server
