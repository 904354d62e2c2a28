// Every practice's agent as the operator reads it, for `tributary-server
// agents` (a table, or --json) and GET /v1/agents (JSON): last seen and
// offline for how long, behind by how many changes, certificate expiry,
// clock skew, queue, store size, last error.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "enrol/agent_registry.h"

namespace tributary::server {

// "3d 4h", "12m", "40s": how long `ms` is, for a person.
std::string Span(std::int64_t ms);

// Certificates expiring within this many days are flagged.
inline constexpr int kCertificateWarningDays = 14;

boost::json::array AgentsJson(const std::vector<AgentStatus>& agents, std::int64_t now_ms);
std::string AgentsTable(const std::vector<AgentStatus>& agents, std::int64_t now_ms);

// Each practice's current agent: its newest enrolment not revoked, else its
// newest. Practices never enrolled are absent.
std::map<std::string, AgentStatus> CurrentAgents(const std::vector<AgentStatus>& agents);

// What a PCN manager needs to know of a practice's agent beside its returns:
// {"last_seen", "offline_seconds", "behind_by", "certificate_expires",
//  "imports_paused", "last_error"}; null when the practice has no agent.
boost::json::value AgentHealthJson(const AgentStatus* agent, std::int64_t now_ms);
// The same in a few words: "agent offline 9 days", "agent seen 4m ago",
// "no agent enrolled", with "imports paused" or a certificate expiring.
std::string AgentHealthNote(const AgentStatus* agent, std::int64_t now_ms);

}  // namespace tributary::server
