// The operator's table of agents (report/agent_report.h): what an agent
// said of itself is printed as text, never as terminal commands or lines.
#include "report/agent_report.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace tributary::server;

TEST_CASE("agents table: an agent's last error cannot drive the terminal or forge a line") {
  AgentStatus agent;
  agent.practice = "T01100";
  agent.agent_id = "a-T01100";
  agent.last_seen_ms = 1'790'000'000'000;
  agent.last_error = "\x1b[2J\x1b]0;owned\x07refused\nT99999   enrolled   all fine";
  std::string table = AgentsTable({agent}, 1'790'000'060'000);
  CHECK(std::count(table.begin(), table.end(), '\n') == 2);  // the header and one agent
  CHECK(table.find('\x1b') == std::string::npos);
  CHECK(table.find('\x07') == std::string::npos);
  CHECK(table.find("\\x1b[2J\\x1b]0;owned\\x07refused\\x0aT99999   enrolled") != std::string::npos);
}
