// Tells the server how this agent is (POST /v1/agent/heartbeat) at the end
// of every sync: version, queue depth, store size, its clock (the server
// works out the skew), certificate expiry, last error, imports paused.
#pragma once

#include <string>

#include "config/agent_config.h"
#include "store/local_store.h"
#include "sync/https_client.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

// Throws Error (see sync/server_refusal.h) if the server refuses it.
void SendHeartbeat(HttpsClient& client, const std::string& server_url, LocalStore& store,
                   const AgentPaths& paths, const Clock& clock);

}  // namespace tributary::agent
