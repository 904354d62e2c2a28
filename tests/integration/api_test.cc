// The people's API over real HTTPS: a user made on the command line reads
// rollups with a bearer token, within their scope only.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "database/connection.h"
#include "people_client.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::string AddUser(ServerUnderTest& server, const std::string& role, const std::string& scope) {
  RunResult r = server.Command(
      {"user", "add", "--name", "Pat Lee", "--role", role, "--scope", scope, "--json"});
  REQUIRE(r.exit_code == 0);
  return std::string(boost::json::parse(r.out).at("token").as_string());
}

}  // namespace

TEST_CASE("api: a PCN manager reads their PCN's rollups over HTTPS, and nothing else") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(
      server
          .Command({"orgs", "import",
                    (SamplePractice("T01100").parent_path().parent_path() / "orgs.csv").string()})
          .exit_code == 0);
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});

  std::string token = AddUser(server, "pcn-manager", "U10010");
  agent::HttpsClient client = PeopleClientFor(server);
  auto csv = client.Get(server.Url() + "/v1/rollups?level=pcn&period=2026-08&format=csv",
                        {"Authorization: Bearer " + token});
  CHECK(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.find("pcn,U10010,2026-08,appointments,appointments,,,,,,,") != std::string::npos);
  CHECK(csv.body.find("T01100") == std::string::npos);  // level=pcn only

  auto other =
      client.Get(server.Url() + "/v1/rollups?code=U10017", {"Authorization: Bearer " + token});
  CHECK(other.status == 403);
  auto anonymous = client.Get(server.Url() + "/v1/rollups");
  CHECK(anonymous.status == 401);
}

TEST_CASE("api: user add checks the role and that the scope fits it") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  RunResult before =
      server.Command({"user", "add", "--name", "A", "--role", "pcn-manager", "--scope", "U10010"});
  CHECK(before.exit_code == 5);
  CHECK(before.err.find("orgs import") != std::string::npos);
  REQUIRE(
      server
          .Command({"orgs", "import",
                    (SamplePractice("T01100").parent_path().parent_path() / "orgs.csv").string()})
          .exit_code == 0);
  RunResult wrong_level =
      server.Command({"user", "add", "--name", "A", "--role", "pcn-manager", "--scope", "T1A"});
  CHECK(wrong_level.exit_code == 2);
  CHECK(wrong_level.err.find("--scope T1A is not a PCN") != std::string::npos);
  CHECK(server.Command({"user", "add", "--name", "A", "--role", "boss", "--scope", "QT1"})
            .exit_code == 2);
  AddUser(server, "ics-analyst", "QT1");
  RunResult list = server.Command({"user", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  auto users = boost::json::parse(list.out).as_array();
  REQUIRE(users.size() == 1);
  CHECK(users[0].at("role").as_string() == "ics-analyst");
  CHECK(list.out.find("trb_") == std::string::npos);  // tokens are never shown again
}

TEST_CASE("api: audit verify passes on an honest log and names the first tampered entry") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(
      server
          .Command({"orgs", "import",
                    (SamplePractice("T01100").parent_path().parent_path() / "orgs.csv").string()})
          .exit_code == 0);
  AddUser(server, "ics-analyst", "QT1");
  AddUser(server, "pcn-manager", "U10010");
  RunResult ok = server.Command({"audit", "verify"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("3 entries") != std::string::npos);  // the hierarchy and two users
  {
    auto db = OpenServerStore(server);
    db->Exec(db->engine() == server::db::Engine::kSqlite
                 ? "DROP TRIGGER audit_log_no_update"
                 : "DROP TRIGGER audit_log_no_change ON audit_log");
    db->Exec("UPDATE audit_log SET actor = 'someone else' WHERE id = 2");
  }
  RunResult broken = server.Command({"audit", "verify"});
  CHECK(broken.exit_code == 5);
  CHECK(broken.err.find("breaks at entry 2") != std::string::npos);
}
