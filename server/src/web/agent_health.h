// A practice agent's health as the pages show it beside a return, from the
// API's "agent" object (report/agent_report.h AgentHealthJson): last seen,
// offline for how long, changes not yet sent, imports paused, certificate
// expiry (flagged within kCertificateWarningDays).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

namespace tributary::server::web {

// HTML for a table cell or summary value. `now_ms` dates the certificate.
std::string AgentHealthHtml(const boost::json::value& agent, std::int64_t now_ms);

}  // namespace tributary::server::web
