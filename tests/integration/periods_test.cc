// The month's life with the real programs: the operator closes, publishes and
// lists months on the command line; the practice's agent is told the month
// closed and says so; its late change is kept, not applied; `rollups verify`
// checks the version; people's access expires and is revoked.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "people_client.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::filesystem::path SampleOrgs() {
  return SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
}

std::string AddUser(ServerUnderTest& server, const std::string& name, const std::string& role,
                    const std::string& scope, const std::string& ttl = "90d") {
  RunResult r = server.Command(
      {"user", "add", "--name", name, "--role", role, "--scope", scope, "--ttl", ttl, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return std::string(boost::json::parse(r.out).at("token").as_string());
}

}  // namespace

TEST_CASE("periods cli: close, a late change kept, publish, verify, list and lineage") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});

  RunResult open_publish = server.Command({"periods", "publish", "--period", "2026-08"});
  CHECK(open_publish.exit_code == 5);
  CHECK(open_publish.err.find("close it first") != std::string::npos);

  RunResult closed = server.Command({"periods", "close", "--period", "2026-08"});
  REQUIRE(closed.exit_code == 0);
  CHECK(closed.out.find("QT1 2026-08: closed") != std::string::npos);
  CHECK(server.Command({"periods", "close", "--period", "2026-08"}).exit_code == 5);

  // The practice hears of it at its next sync, and its late change is kept
  // by the server, not applied.
  std::vector<std::string> before = ServerRecords(server, "T01100");
  agent.RunOk(
      {"staff", "update", "--period", "2026-08", "--staff-id", "S001", "--contracted-hours", "21"});
  RunResult late = agent.Run({"sync"});
  CHECK(late.exit_code == 6);  // delivered, not applied
  CHECK(late.err.find("workforce 2026-08 staff S001: invalid: period: period_closed") !=
        std::string::npos);
  CHECK(ServerRecords(server, "T01100") == before);
  auto status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("closed_periods").as_array().size() == 1);
  CHECK(status.at("closed_periods").as_array()[0].as_string() == "2026-08");
  auto findings = status.at("findings").as_array();
  REQUIRE_FALSE(findings.empty());
  CHECK(std::string(findings[0].at("detail").as_string()).find("period_closed") !=
        std::string::npos);
  CHECK(agent.RunOk({"status"}).find("months closed:     2026-08") != std::string::npos);

  RunResult published = server.Command({"periods", "publish", "--period", "2026-08", "--json"});
  REQUIRE(published.exit_code == 0);
  auto version = boost::json::parse(published.out);
  CHECK(version.at("version").as_int64() == 1);
  CHECK(version.at("ics").as_string() == "QT1");

  RunResult verify = server.Command({"rollups", "verify"});
  CHECK(verify.exit_code == 0);
  CHECK(verify.out.find("1 published version(s) recomputed from their lineage agree") !=
        std::string::npos);

  RunResult list = server.Command({"periods", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  auto months = boost::json::parse(list.out).at("periods").as_array();
  REQUIRE(months.size() == 1);
  CHECK(months[0].at("state").as_string() == "closed");
  CHECK(months[0].at("versions").as_array().size() == 1);
  CHECK(months[0].at("coverage").at("practices_expected").as_int64() > 1);
  CHECK(server.Command({"periods", "list"}).out.find("2026-08 closed") != std::string::npos);

  RunResult lineage =
      server.Command({"periods", "lineage", "--period", "2026-08", "--version", "1"});
  REQUIRE(lineage.exit_code == 0);
  CHECK(lineage.out.find("T01100   workforce") != std::string::npos);
  CHECK(server.Command({"periods", "lineage", "--period", "2026-08", "--version", "2"}).exit_code ==
        5);

  // The published figures from the command line equal the API's.
  RunResult cli = server.Command({"rollups", "show", "--period", "2026-08", "--basis", "published",
                                  "--version", "1", "--format", "csv"});
  REQUIRE(cli.exit_code == 0);
  std::string token = AddUser(server, "Ivy", "ics-manager", "QT1");
  auto api = PeopleClientFor(server).Get(
      server.Url() + "/v1/rollups?period=2026-08&basis=published&format=csv",
      {"Authorization: Bearer " + token});
  REQUIRE(api.status == 200);
  CHECK(api.body == cli.out);

  RunResult reopened = server.Command({"periods", "reopen", "--period", "2026-08"});
  REQUIRE(reopened.exit_code == 0);
  agent.RunOk({"sync"});
  status = boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
  CHECK(status.at("closed_periods").as_array().empty());

  RunResult audit = server.Command({"audit", "verify"});
  CHECK(audit.exit_code == 0);
}

TEST_CASE("users cli: tokens expire, are revoked by name, and the list says which") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  RunResult too_long = server.Command(
      {"user", "add", "--name", "A", "--role", "ics-analyst", "--scope", "QT1", "--ttl", "366d"});
  CHECK(too_long.exit_code == 2);
  CHECK(too_long.err.find("at most 365d") != std::string::npos);
  CHECK(server
            .Command({"user", "add", "--name", "A", "--role", "ics-analyst", "--scope", "QT1",
                      "--ttl", "soon"})
            .exit_code == 2);
  RunResult role =
      server.Command({"user", "add", "--name", "A", "--role", "ics-boss", "--scope", "QT1"});
  CHECK(role.exit_code == 2);
  CHECK(role.err.find("ics-manager") != std::string::npos);

  server.Start();
  std::string pat = AddUser(server, "Pat Lee", "pcn-manager", "U10010", "30d");
  std::string ivy = AddUser(server, "Ivy Chen", "ics-manager", "QT1");
  auto client = PeopleClientFor(server);
  auto periods = [&](const std::string& token) {
    return client.Get(server.Url() + "/v1/periods", {"Authorization: Bearer " + token}).status;
  };
  CHECK(periods(pat) == 200);
  CHECK(periods(ivy) == 200);

  RunResult revoked = server.Command({"user", "revoke", "--name", "Pat Lee"});
  REQUIRE(revoked.exit_code == 0);
  CHECK(periods(pat) == 401);  // at once, on the running server
  CHECK(periods(ivy) == 200);
  CHECK(server.Command({"user", "revoke", "--name", "Pat Lee"}).exit_code == 5);

  AddUser(server, "Ivy Chen", "ics-analyst", "QT1");
  RunResult ambiguous = server.Command({"user", "revoke", "--name", "Ivy Chen"});
  CHECK(ambiguous.exit_code == 5);
  CHECK(ambiguous.err.find("name one with --id") != std::string::npos);

  auto users = boost::json::parse(server.Command({"user", "list", "--json"}).out).as_array();
  REQUIRE(users.size() == 3);
  int active = 0, gone = 0;
  for (const auto& u : users) {
    std::string status(u.at("status").as_string());
    if (status == "active") ++active;
    if (status == "revoked") {
      ++gone;
      CHECK(u.at("name").as_string() == "Pat Lee");
      CHECK(u.at("revoked").is_string());
    }
  }
  CHECK(active == 2);
  CHECK(gone == 1);
  RunResult audit = server.Command({"audit", "verify"});
  CHECK(audit.exit_code == 0);
  CHECK(audit.out.find("5 entries") != std::string::npos);  // hierarchy, 3 grants, 1 revocation
}
