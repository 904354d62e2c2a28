// Every practice's agent as the operator reads it, for `tributary-server
// agents` (a table, or --json) and GET /v1/agents (JSON): last seen and
// offline for how long, behind by how many changes, certificate expiry,
// clock skew, queue, store size, last error.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "store/server_store.h"

namespace tributary::server {

// Certificates expiring within this many days are flagged.
inline constexpr int kCertificateWarningDays = 14;

boost::json::array AgentsJson(const std::vector<AgentStatus>& agents, std::int64_t now_ms);
std::string AgentsTable(const std::vector<AgentStatus>& agents, std::int64_t now_ms);

}  // namespace tributary::server
