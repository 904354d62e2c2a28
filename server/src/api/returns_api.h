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
#include "returns/return_service.h"
#include "store/server_store.h"
#include "users/user.h"
#include "validation/findings_cache.h"

namespace tributary::server {

class ReturnsApi {
 public:
  // Both must outlive the API.
  ReturnsApi(ServerStore& store, FindingsCache& findings)
      : store_(store), returns_(store), findings_(findings) {}

  // One operation each, in the order of the routes above. Each throws Error:
  // kInvalidArgument (400), kForbidden (403), kNotFound (404), kConflict
  // (409, an illegal move or a stale revision).
  HttpResponse List(const HttpRequest& request, const User& user);
  HttpResponse Detail(const HttpRequest& request, const User& user);
  HttpResponse Query(const HttpRequest& request, const User& user);
  HttpResponse Approve(const HttpRequest& request, const User& user);
  HttpResponse BulkPreview(const HttpRequest& request, const User& user);
  HttpResponse BulkApprove(const HttpRequest& request, const User& user);

 private:
  HttpResponse Act(const HttpRequest& request, const User& user, ReturnAction action);

  ServerStore& store_;
  ReturnService returns_;
  FindingsCache& findings_;
};

}  // namespace tributary::server
