// The pull path under faults: the server's notices reach the agent exactly
// once however the connection is cut or the agent killed, and a PCN
// manager's query reaches the practice's `status`.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "agent_store_files.h"
#include "cluster.h"
#include "database/connection.h"
#include "fault_proxy.h"
#include "people_client.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::filesystem::path SampleOrgs() {
  return SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
}

// The sample hierarchy with T01100 moved to `pcn` (a different file each
// time, so each import is a change the practice hears of).
std::filesystem::path OrgsWithPractice(const TempDir& dir, const std::string& pcn, int n) {
  std::string text = files::Read(SampleOrgs());
  std::size_t at = text.find("T01100,");
  std::size_t parent = text.find(",PRACTICE,", at) + std::string(",PRACTICE,").size();
  text.replace(parent, text.find(',', parent) - parent, pcn);
  auto path = dir.path() / ("orgs-" + std::to_string(n) + ".csv");
  files::WriteAtomic(path, text);
  return path;
}

std::uint64_t ServerFeedEnd(const ServerUnderTest& server, const std::string& practice) {
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare("SELECT coalesce(max(id), 0) FROM practice_feed WHERE practice = ?");
  stmt.Bind(1, practice);
  stmt.Step();
  return static_cast<std::uint64_t>(stmt.ColumnInt(0));
}

std::uint64_t AgentCursor(const AgentUnderTest& agent) {
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare("SELECT value FROM state WHERE key = 'pull_cursor'");
  return stmt.Step() ? std::stoull(stmt.ColumnText(0)) : 0;
}

boost::json::object Status(AgentUnderTest& agent) {
  return boost::json::parse(agent.RunOk({"status", "--json"})).as_object();
}

}  // namespace

TEST_CASE("pull: cuts and kills at random points lose and repeat no notice") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100", "request_timeout_seconds = 2\n");
  agent.Enrol(server);
  FaultProxy proxy("127.0.0.1", server.port());
  std::string via_proxy = server.UrlVia(proxy.port());
  std::mt19937_64 rng(20261125);
  std::string last_pcn;
  std::uint64_t previous_cursor = 0;
  for (int round = 1; round <= 20; ++round) {
    INFO("round " << round);
    last_pcn = round % 2 == 0 ? "U10010" : "U10017";
    REQUIRE(server.Command({"orgs", "import", OrgsWithPractice(dir, last_pcn, round).string()})
                .exit_code == 0);
    int fault = std::uniform_int_distribution<int>(0, 2)(rng);
    FaultPlan plan;
    if (fault == 0)
      plan.cut_response_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 6000)(rng);
    if (fault == 1)
      plan.cut_request_after_bytes = std::uniform_int_distribution<std::uint64_t>(0, 3000)(rng);
    proxy.SetPlan(plan);
    if (fault == 2) {
      ChildProcess sync(
          {TRIBUTARY_AGENT_BIN, "sync", "--server", via_proxy, "--data-dir",
           agent.data_dir().string(), "--config", agent.data_dir().string() + ".toml"},
          dir.path() / "sync.log");
      // Not synchronisation: the random instant is the fault being injected.
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 150)(rng)));
      sync.Signal(SIGKILL);
      sync.Wait();
    } else {
      RunResult r = agent.Run({"sync", "--server", via_proxy});
      CHECK((r.exit_code == 0 || r.exit_code == 4));
    }
    proxy.Reset();
    // The agent holds a prefix of its feed: never past the end, never going back.
    std::uint64_t cursor = AgentCursor(agent);
    CHECK(cursor <= ServerFeedEnd(server, "T01100"));
    CHECK(cursor >= previous_cursor);
    previous_cursor = cursor;
  }
  agent.RunOk({"sync"});
  auto status = Status(agent);
  REQUIRE(status.at("hierarchy").is_object());
  CHECK(status.at("hierarchy").at("pcn").as_string() == last_pcn);
  CHECK(AgentCursor(agent) == ServerFeedEnd(server, "T01100"));
  CHECK(ServerFeedEnd(server, "T01100") >= 20);  // one notice per import at least
}

TEST_CASE("pull: a PCN manager's query reaches the practice's status") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"submit", "--period", "2026-08", "--dataset", "workforce"});
  agent.RunOk({"sync"});

  RunResult user = server.Command(
      {"user", "add", "--name", "Pat", "--role", "pcn-manager", "--scope", "U10010", "--json"});
  REQUIRE(user.exit_code == 0);
  agent::HttpsClient client = PeopleClientFor(server);
  auto query = client.Post(
      server.Url() + "/v1/returns/query",
      R"({"practice":"T01100","dataset":"workforce","period":"2026-08","comment":"is S001 really 18.5 h?\u001b[2J\nforged"})",
      {"Authorization: Bearer " + std::string(boost::json::parse(user.out).at("token").as_string()),
       "Content-Type: application/json"});
  REQUIRE(query.status == 200);

  std::string out = agent.RunOk({"sync"});
  CHECK(out.find("notice(s) from the server") != std::string::npos);
  auto status = Status(agent);
  // The practice hears of each of its returns (every change makes a new
  // revision); the queried one carries the question.
  auto returns = status.at("returns").as_array();
  REQUIRE(returns.size() == 3);
  int queried = 0;
  for (const auto& r : returns) {
    if (r.at("dataset").as_string() != "workforce") {
      CHECK(r.at("state").as_string() == "open");
      continue;
    }
    ++queried;
    CHECK(r.at("state").as_string() == "queried");
    CHECK(r.at("comment").as_string() == "is S001 really 18.5 h?\x1b[2J\nforged");
  }
  CHECK(queried == 1);
  CHECK(status.at("hierarchy").at("pcn").as_string() == "U10010");
  // On the practice's terminal the comment is text, never a command or a line of its own.
  std::string text = agent.RunOk({"status"});
  CHECK(text.find("query: is S001 really 18.5 h?\\x1b[2J\\x0aforged") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

namespace {

std::vector<std::string> AddSharedParamedic(const std::string& hours) {
  return {"staff",
          "add",
          "--period",
          "2026-08",
          "--staff-id",
          "P777",
          "--given-name",
          "Noor",
          "--family-name",
          "Hale",
          "--registration-body",
          "HCPC",
          "--registration-number",
          "7007007",
          "--staff-group",
          "Direct Patient Care",
          "--staff-role",
          "Paramedic",
          "--contracted-hours",
          hours,
          "--employer-type",
          "PCN",
          "--employer-code",
          "U10010",
          "--employer-staff-id",
          "E07007",
          "--funding",
          "ARRS",
          "--start-date",
          "2024-04-01"};
}

// Runs the findings publisher now, as an admin would.
void PublishFindings(ServerUnderTest& server, const std::string& admin_token) {
  agent::HttpsClient client = PeopleClientFor(server);
  auto reply = client.Post(server.Url() + "/v1/findings/publish", "",
                           {"Authorization: Bearer " + admin_token});
  REQUIRE(reply.status == 200);
}

std::vector<std::string> CrossPracticeFindings(AgentUnderTest& agent) {
  std::vector<std::string> out;
  boost::json::object status = Status(agent);
  for (const auto& f : status.at("cross_practice_findings").as_array()) {
    out.push_back(std::string(f.at("period").as_string()) + " " +
                  std::string(f.at("finding").as_string()));
  }
  return out;
}

}  // namespace

TEST_CASE("pull: cross-practice findings reach each practice and so does their withdrawal") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  server.Start();
  RunResult admin = server.Command(
      {"user", "add", "--name", "Ada", "--role", "admin", "--scope", "QT1", "--json"});
  REQUIRE(admin.exit_code == 0);
  std::string token(boost::json::parse(admin.out).at("token").as_string());
  AgentUnderTest north(dir.path() / "north", "T01100");
  AgentUnderTest south(dir.path() / "south", "T01113");
  north.Enrol(server);
  south.Enrol(server);

  // The same paramedic, 0.67 FTE at each practice: 1.33 FTE in total.
  north.RunOk(AddSharedParamedic("25"));
  south.RunOk(AddSharedParamedic("25"));
  north.RunOk({"sync"});
  south.RunOk({"sync"});
  CHECK(CrossPracticeFindings(north).empty());  // not published yet

  PublishFindings(server, token);
  north.RunOk({"sync"});
  south.RunOk({"sync"});
  for (AgentUnderTest* agent : {&north, &south}) {
    auto findings = CrossPracticeFindings(*agent);
    INFO(agent->practice());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].find("2026-08 person ") == 0);
    // Told that the person works elsewhere too, never where or how much.
    CHECK(findings[0].find("works more than 1.0 FTE in total across 2 practices: 0.67 FTE at " +
                           agent->practice() + ", the rest at 1 other practice") !=
          std::string::npos);
    const std::string other = agent->practice() == "T01100" ? "T01113" : "T01100";
    CHECK(findings[0].find(other) == std::string::npos);
    CHECK(findings[0].find("1.33") == std::string::npos);
    CHECK(findings[0].find("[workforce.fte_over_one]") != std::string::npos);
  }
  CHECK(north.RunOk({"status"}).find("findings across practices (from the server):") !=
        std::string::npos);

  // The south practice corrects the hours; once published, both hear the
  // finding is gone, and a repeated pull changes nothing.
  south.RunOk(
      {"staff", "update", "--period", "2026-08", "--staff-id", "P777", "--contracted-hours", "10"});
  south.RunOk({"sync"});
  PublishFindings(server, token);
  north.RunOk({"sync"});
  south.RunOk({"sync"});
  CHECK(CrossPracticeFindings(north).empty());
  CHECK(CrossPracticeFindings(south).empty());
  std::uint64_t cursor = AgentCursor(north);
  PublishFindings(server, token);
  north.RunOk({"sync"});
  CHECK(AgentCursor(north) == cursor);  // nothing changed, nothing told
}
