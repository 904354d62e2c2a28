// Tells the server how this agent is (POST /v1/agent/heartbeat) at the end
// of a sync: version, queue depth, store size, its clock (the server works
// out the skew), certificate expiry, last error, imports paused.
//
// Sent when any of that changed since the last heartbeat the server took, or
// when that one is kHeartbeatRefresh old: a sync with nothing to do is then a
// single request (the pull, which the server also counts as the agent seen).
#pragma once

#include <cstdint>
#include <string>

#include "config/agent_config.h"
#include "store/local_store.h"
#include "sync/transport.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

inline constexpr std::int64_t kHeartbeatRefreshMs = 60 * 60 * 1000;

// Returns whether a heartbeat was sent. Throws Error (see
// sync/server_refusal.h) if the server refuses it.
bool SendHeartbeatIfDue(Transport& client, const std::string& server_url, LocalStore& store,
                        const AgentPaths& paths, const Clock& clock);

}  // namespace tributary::agent
