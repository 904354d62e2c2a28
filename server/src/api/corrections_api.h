// Central corrections and conflict resolution, for PCN managers (their PCN's
// practices) and admins (docs/api.md):
//   GET  /v1/records?practice=&dataset=&period=   the records with their versions
//   POST /v1/records/correct    {"practice","dataset","fields":{…},"base_version"}
//   GET  /v1/conflicts?period=[&code=]            open conflicts, both values
//   POST /v1/conflicts/resolve  {"id","keep":"practice"|"central"|"new"[,"fields"]}
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

class CorrectionsApi {
 public:
  explicit CorrectionsApi(ServerStore& store) : store_(store) {}

  // One operation each, in the order of the routes above. Each throws Error
  // like ReturnsApi's.
  HttpResponse Records(const HttpRequest& request, const User& user);
  HttpResponse Correct(const HttpRequest& request, const User& user);
  HttpResponse Conflicts(const HttpRequest& request, const User& user);
  HttpResponse Resolve(const HttpRequest& request, const User& user);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
