// A practice submits its month with the real agent; the server's returns
// follow, and a closed month refuses later changes with a reason the
// practice sees in `status`.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "people_client.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::string StateLine(ServerUnderTest& server, const std::string& dataset) {
  RunResult r = server.Command({"returns", "list", "--period", "2026-08", "--code", "T01100"});
  REQUIRE(r.exit_code == 0);
  std::size_t at = r.out.find("T01100   " + dataset);
  REQUIRE(at != std::string::npos);
  return r.out.substr(at, r.out.find('\n', at) - at);
}

}  // namespace

TEST_CASE("returns: submit travels behind the data, and a locked month refuses later changes") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  auto orgs = SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
  REQUIRE(server.Command({"orgs", "import", orgs.string()}).exit_code == 0);
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});

  // Offline: submit queues behind the imported data.
  std::string out = agent.RunOk({"submit", "--period", "2026-08"});
  CHECK(out.find("workforce 2026-08: submitted") != std::string::npos);
  RunResult nothing = agent.Run({"submit", "--period", "2026-09"});
  CHECK(nothing.exit_code == 3);
  CHECK(StateLine(server, "workforce").find("open") != std::string::npos);

  agent.RunOk({"sync"});
  for (const char* dataset : {"workforce", "appointments", "list_size"}) {
    INFO(dataset);
    CHECK(StateLine(server, dataset).find("submitted") != std::string::npos);
  }

  // The PCN manager approves the workforce return over HTTPS; the operator
  // closes the month.
  RunResult user = server.Command(
      {"user", "add", "--name", "Pat", "--role", "pcn-manager", "--scope", "U10010", "--json"});
  REQUIRE(user.exit_code == 0);
  std::string token(boost::json::parse(user.out).at("token").as_string());
  agent::HttpsClient client = PeopleClientFor(server);
  auto read = client.Get(
      server.Url() + "/v1/returns/detail?practice=T01100&dataset=workforce&period=2026-08",
      {"Authorization: Bearer " + token});
  REQUIRE(read.status == 200);
  std::int64_t revision = boost::json::parse(read.body).at("revision").as_int64();
  auto approved =
      client.Post(server.Url() + "/v1/returns/approve",
                  R"({"practice":"T01100","dataset":"workforce","period":"2026-08","revision":)" +
                      std::to_string(revision) + "}",
                  {"Authorization: Bearer " + token, "Content-Type: application/json"});
  REQUIRE(approved.status == 200);
  REQUIRE(server.Command({"returns", "lock", "--period", "2026-08"}).exit_code == 0);
  CHECK(StateLine(server, "workforce").find("locked") != std::string::npos);
  CHECK(StateLine(server, "appointments").find("submitted") != std::string::npos);

  // A later workforce change is refused, kept, and the practice sees why.
  std::size_t before = ServerRecords(server, "T01100").size();
  agent.RunOk(
      {"staff", "update", "--period", "2026-08", "--staff-id", "S001", "--contracted-hours", "20"});
  RunResult kept = agent.Run({"sync"});
  CHECK(kept.exit_code == 6);  // delivered, not applied
  CHECK(kept.err.find("workforce 2026-08 staff S001: invalid: period: the T01100/workforce/2026-08 "
                      "return is locked") != std::string::npos);
  CHECK(ServerRecords(server, "T01100").size() == before);
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("pending_changes").to_number<std::uint64_t>() == 0);
  auto findings = status.at("findings").as_array();
  REQUIRE_FALSE(findings.empty());
  CHECK(std::string(findings[0].at("detail").as_string()).find("is locked") != std::string::npos);
  CHECK(StateLine(server, "workforce").find("refused change") != std::string::npos);
}
