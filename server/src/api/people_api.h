// Every route people use (docs/api.md), behind one door and one table of
// operations, which is also what the OpenAPI document is checked against
// (server/src/api/openapi.json; tests/unit/server/openapi_routes_test.cc):
//   GET  /v1/openapi.json            api/api_document.h (no token)
//   GET  /v1/dictionary              api/api_document.h (no token)
//   GET  /v1/rollups                 api/rollups_api.h
//   /v1/returns...                   api/returns_api.h
//   /v1/records..., /v1/conflicts... api/corrections_api.h
//   POST /v1/findings/publish        api/findings_api.h
//   GET  /v1/agents                  api/agents_api.h
//   /v1/periods...                   api/periods_api.h
//   GET  /v1/orgs                    api/orgs_api.h
//   GET  /v1/exports/...             api/exports_api.h
//   GET  /v1/feed                    api/feed_api.h
// The HTTP router calls it for a bearer token's user; the web pages
// (web/web_app.h) call it for a signed-in user, so a page shows and does
// exactly what the API does, with the same scope checks and refusals.
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/agents_api.h"
#include "api/corrections_api.h"
#include "api/exports_api.h"
#include "api/feed_api.h"
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

// One operation of the API: a method on a path.
struct ApiOperation {
  std::string method;  // "GET" or "POST"
  std::string path;    // no query string
  bool needs_token = true;
  // Answered with an ETag, and 304 when If-None-Match names it.
  bool revalidates = false;
  // Given the user when the operation needs a token, else null.
  std::function<HttpResponse(const HttpRequest&, const User*)> answer;
  // The list member the API pages (api/pagination.h) with `limit` and
  // `cursor`, which the operation itself then never sees; null when it has
  // none, or pages itself (GET /v1/rollups, whose figures must keep their
  // decimals).
  const char* list = nullptr;
};

class PeopleApi {
 public:
  // `store` and `findings` must outlive the API.
  PeopleApi(ServerStore& store, FindingsPublisher& findings);

  // Every operation, in the order docs/api.md describes them.
  const std::vector<ApiOperation>& Operations() const { return operations_; }

  // Whether `path` (no query string) is one of the operations' paths.
  bool Serves(const std::string& path) const;

  // Answers one request to a path it Serves: 405 with Allow for a method the
  // path does not take; 401 with WWW-Authenticate when the operation needs a
  // token and `user` is null; otherwise the operation's answer, with an ETag
  // (and 304 without a body when If-None-Match names it) where it revalidates.
  // Throws Error for a refusal the router maps to a status (kInvalidArgument
  // 400, kForbidden 403, kNotFound 404, kConflict 409, ...).
  HttpResponse Handle(const std::string& path, const HttpRequest& request, const User* user);

 private:
  FindingsCache findings_cache_;  // before returns_, which uses it
  RollupsApi rollups_;
  ReturnsApi returns_;
  CorrectionsApi corrections_;
  FindingsApi findings_;
  AgentsApi agents_;
  PeriodsApi periods_;
  OrgsApi orgs_;
  ExportsApi exports_;
  FeedApi feed_;
  std::vector<ApiOperation> operations_;
};

}  // namespace tributary::server
