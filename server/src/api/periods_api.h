// The months' life for ICS managers (docs/api.md "Months"):
//   GET  /v1/periods                        the user's ICS's months: state,
//                                           published versions, coverage in scope
//   POST /v1/periods/close    {"period"}    practices' changes to it are kept
//                                           but not applied (period_closed)
//   POST /v1/periods/reopen   {"period"}    practices' changes apply again
//   POST /v1/periods/publish  {"period"}    an immutable version N+1 of the month
//   GET  /v1/periods/lineage?period=&version=
//                                           what each return was when a version
//                                           used it, within the user's scope
// Anyone reads within scope; only an ICS manager or an admin closes, reopens
// or publishes, and only for the ICS of their scope.
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

class PeriodsApi {
 public:
  explicit PeriodsApi(ServerStore& store) : store_(store) {}

  // One operation each, in the order of the routes above. Each throws Error:
  // kInvalidArgument (400), kForbidden (403), kNotFound (404: no such
  // version), kConflict (409: an illegal move, or publishing an open month).
  HttpResponse List(const HttpRequest& request, const User& user);
  HttpResponse Close(const HttpRequest& request, const User& user);
  HttpResponse Reopen(const HttpRequest& request, const User& user);
  HttpResponse Publish(const HttpRequest& request, const User& user);
  HttpResponse Lineage(const HttpRequest& request, const User& user);

 private:
  HttpResponse Act(const HttpRequest& request, const User& user, const std::string& action);

  ServerStore& store_;
};

}  // namespace tributary::server
