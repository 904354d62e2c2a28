// Manual workforce entry: `staff add|update|end|list`, offline, and what of it
// reaches the server.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::vector<std::string> AddPriya() {
  return {"staff",
          "add",
          "--period",
          "2026-08",
          "--staff-id",
          "P002",
          "--given-name",
          "Priya",
          "--family-name",
          "Dale",
          "--registration-body",
          "HCPC",
          "--registration-number",
          "7001002",
          "--staff-group",
          "Direct Patient Care",
          "--staff-role",
          "Paramedic",
          "--contracted-hours",
          "30",
          "--employer-type",
          "PCN",
          "--employer-code",
          "U10010",
          "--employer-staff-id",
          "E01002",
          "--funding",
          "ARRS",
          "--start-date",
          "2024-04-01"};
}

// `args` with the value after `flag` replaced.
std::vector<std::string> With(std::vector<std::string> args, const std::string& flag,
                              const std::string& value) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) args[i + 1] = value;
  }
  return args;
}

boost::json::array StaffList(AgentUnderTest& agent, const std::string& period) {
  return boost::json::parse(agent.RunOk({"staff", "list", "--period", period, "--json"}))
      .as_array();
}

bool Contains(const std::vector<std::string>& rows, const std::string& text) {
  for (const auto& row : rows) {
    if (row.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE(
    "staff: a new person is added offline and waits for their key; then add, update and end "
    "work offline, and only the person key reaches the server") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  server.Stop();

  // New to the practice: saved at once, held until a sync makes the key.
  std::string added = agent.RunOk(AddPriya());
  CHECK(added.find("new to this practice") != std::string::npos);
  CHECK(AgentLastSeq(agent) == 0);
  auto waiting = StaffList(agent, "2026-08");
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].as_object().at("awaiting_key").as_bool());
  CHECK(waiting[0].as_object().at("person_key").is_null());
  CHECK(agent.RunOk({"staff", "list", "--period", "2026-08"}).find("awaiting key") !=
        std::string::npos);
  // Corrected before the key comes: the waiting entry is what changes.
  agent.RunOk(
      {"staff", "update", "--period", "2026-08", "--staff-id", "P002", "--contracted-hours", "24"});
  CHECK(StaffList(agent, "2026-08")[0].as_object().at("fte").as_string() == "0.64");
  agent.RunOk(
      {"staff", "update", "--period", "2026-08", "--staff-id", "P002", "--contracted-hours", "30"});
  CHECK(AgentLastSeq(agent) == 0);

  server.Start();
  agent.RunOk({"sync"});
  server.Stop();
  auto list = StaffList(agent, "2026-08");
  REQUIRE(list.size() == 1);
  auto priya = list[0].as_object();
  CHECK(priya.at("staff_id").as_string() == "P002");
  CHECK(priya.at("given_name").as_string() == "Priya");
  CHECK(priya.at("fte").as_string() == "0.8");
  CHECK(priya.at("person_key").as_string().size() == 64);
  CHECK_FALSE(priya.at("awaiting_key").as_bool());
  CHECK(AgentLastSeq(agent) == 1);
  CHECK(AgentAcknowledgedSeq(agent) == 1);

  agent.RunOk({"staff", "update", "--period", "2026-08", "--staff-id", "P002", "--contracted-hours",
               "37.5"});
  CHECK(StaffList(agent, "2026-08")[0].as_object().at("fte").as_string() == "1");
  agent.RunOk(
      {"staff", "end", "--period", "2026-08", "--staff-id", "P002", "--end-date", "2026-08-21"});
  CHECK(StaffList(agent, "2026-08")[0].as_object().at("end_date").as_string() == "2026-08-21");
  // Nothing was sent meanwhile: the two edits go as one change, the latest.
  CHECK(AgentLastSeq(agent) == 2);
  // Known now, the same person is added to another month offline, under the same key.
  agent.RunOk(With(AddPriya(), "--period", "2026-09"));
  CHECK(StaffList(agent, "2026-09")[0].as_object().at("person_key") == priya.at("person_key"));
  agent.RunOk(
      {"staff", "end", "--period", "2026-09", "--staff-id", "P002", "--end-date", "2026-09-01"});

  server.Start();
  agent.RunOk({"sync"});
  auto held = ServerRecords(server, "T01100");
  REQUIRE(held.size() == 2);
  CHECK(AgentRecords(agent) == held);
  CHECK_FALSE(Contains(held, "pending-"));
  CHECK(Contains(held, priya.at("person_key").as_string().c_str()));
  CHECK(Contains(held, "2026-08-21"));
  for (const char* local : {"Priya", "Dale", "7001002", "P002", "E01002"}) {
    INFO(local);
    CHECK_FALSE(Contains(held, local));
  }
}

TEST_CASE("staff: a correction to the registration replaces the record under its new key") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.RunOk(AddPriya());
  agent.RunOk({"sync"});
  std::string old_key =
      StaffList(agent, "2026-08")[0].as_object().at("person_key").as_string().c_str();
  CHECK(AgentLastSeq(agent) == 1);
  agent.RunOk({"staff", "update", "--period", "2026-08", "--staff-id", "P002",
               "--registration-number", "7001003"});
  auto list = StaffList(agent, "2026-08");
  REQUIRE(list.size() == 1);
  // A registration never keyed: the record waits for its key; the old one's
  // delete goes at once.
  CHECK(list[0].as_object().at("awaiting_key").as_bool());
  CHECK(AgentLastSeq(agent) == 2);

  agent.RunOk({"sync"});
  std::string new_key =
      StaffList(agent, "2026-08")[0].as_object().at("person_key").as_string().c_str();
  CHECK(new_key != old_key);
  CHECK(AgentLastSeq(agent) == 3);
  auto held = ServerRecords(server, "T01100");
  REQUIRE(held.size() == 1);
  CHECK(Contains(held, new_key));
  CHECK_FALSE(Contains(held, old_key));
}

TEST_CASE("staff: bad entries name the flag at fault and store nothing") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);

  RunResult r = agent.Run(With(AddPriya(), "--staff-role", "Wizard"));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("--staff-role: 'Wizard'") != std::string::npos);

  r = agent.Run(With(AddPriya(), "--contracted-hours", "81"));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("--contracted-hours") != std::string::npos);
  CHECK(AgentLastSeq(agent) == 0);

  agent.RunOk(AddPriya());
  r = agent.Run(AddPriya());
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("already has a record for 2026-08") != std::string::npos);

  r = agent.Run(
      {"staff", "end", "--period", "2026-08", "--staff-id", "P002", "--end-date", "2020-01-01"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("--end-date: is before START_DATE") != std::string::npos);

  r = agent.Run({"staff", "update", "--period", "2026-08", "--staff-id", "NOBODY",
                 "--contracted-hours", "10"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("NOBODY has no record for 2026-08") != std::string::npos);
  CHECK(AgentLastSeq(agent) == 0);  // new to the practice: held for its key, not in the outbox
  CHECK(StaffList(agent, "2026-08")[0].as_object().at("contracted_hours").as_string() == "30");
}
