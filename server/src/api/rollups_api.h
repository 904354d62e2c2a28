// GET /v1/rollups?level=&code=&period=&dataset=&format= for people with an
// API token: the tidy rollup rows they are allowed to see, as JSON
// ({"rows": [...]}) or CSV (format=csv, or Accept: text/csv).
//
// Asking for an organisation or a level outside one's scope is refused (403);
// asking broadly returns only the rows inside it.
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

class RollupsApi {
 public:
  explicit RollupsApi(ServerStore& store) : store_(store) {}

  // Throws Error: kInvalidArgument for a bad parameter, kForbidden outside scope.
  HttpResponse Get(const HttpRequest& request, const User& user);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
