// The PCN manager's returns routes (docs/api.md):
//   GET  /v1/returns?code=&period=          returns in scope, with state and findings
//   GET  /v1/returns/detail?practice=&dataset=&period=
//                                           one return, its history of changes since approval
//   POST /v1/returns/query                  {"practice","dataset","period","comment"[,"revision"]}
//   POST /v1/returns/approve                {"practice","dataset","period"[,"revision"]}
//   POST /v1/returns/approve-bulk/preview   {"code","period"} -> exactly what would be approved
//   POST /v1/returns/approve-bulk {"returns":[{"practice","dataset","period","revision"}]}
// Anyone may read within scope; only a PCN manager (for their PCN) or an
// admin may query or approve.
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"
#include "validation/findings_cache.h"

namespace tributary::server {

class ReturnsApi {
 public:
  // Both must outlive the API.
  ReturnsApi(ServerStore& store, FindingsCache& findings) : store_(store), findings_(findings) {}

  // Routes one /v1/returns request. Throws Error: kInvalidArgument (400),
  // kForbidden (403), kConflict (409, an illegal move or a stale revision).
  HttpResponse Handle(const std::string& path, const HttpRequest& request, const User& user);

 private:
  HttpResponse List(const HttpRequest& request, const User& user);
  HttpResponse Detail(const HttpRequest& request, const User& user);
  HttpResponse Act(const HttpRequest& request, const User& user, ReturnAction action);
  HttpResponse BulkPreview(const HttpRequest& request, const User& user);
  HttpResponse BulkApprove(const HttpRequest& request, const User& user);

  ServerStore& store_;
  FindingsCache& findings_;
};

}  // namespace tributary::server
