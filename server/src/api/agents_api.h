// GET /v1/agents (admin): every practice's agent health, as
// {"agents": [...]} (report/agent_report.h for the fields).
#pragma once

#include "http/http_message.h"
#include "store/server_store.h"
#include "users/user.h"

namespace tributary::server {

class AgentsApi {
 public:
  explicit AgentsApi(ServerStore& store) : store_(store) {}

  // Throws Error(kForbidden) for anyone but an admin.
  HttpResponse Get(const HttpRequest& request, const User& user);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
