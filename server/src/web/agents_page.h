// Every practice agent's health for admins, GET /agents: the table of
// `tributary-server agents` (GET /v1/agents) — practice, agent, last seen and
// offline for, changes behind, queue, certificate expiry, clock skew, store
// size, version, last error.
#pragma once

#include "http/http_message.h"
#include "web/api_client.h"
#include "web/web_request.h"

namespace tributary::server::web {

// Throws Error(kForbidden) for anyone but an admin, as the API does.
HttpResponse AgentsPage(const WebRequest& request, const ApiClient& api);

}  // namespace tributary::server::web
