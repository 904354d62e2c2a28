// The command lines as people and scripts use them: --version, help for one
// command, and --json where a script reads the answer.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::filesystem::path SampleOrgs() {
  return SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
}

}  // namespace

TEST_CASE("cli: --version prints the version and exits 0, for both programs") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  RunResult a = agent.Run({"--version"});
  CHECK(a.exit_code == 0);
  CHECK(a.out == std::string("tributary-agent ") + TRIBUTARY_VERSION + "\n");
  ServerUnderTest server(dir.path() / "server");
  RunResult s = server.Command({"--version"});
  CHECK(s.exit_code == 0);
  CHECK(s.out == std::string("tributary-server ") + TRIBUTARY_VERSION + "\n");
}

TEST_CASE("cli: help for one command shows that command only") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  RunResult import = agent.Run({"import", "--help"});
  CHECK(import.exit_code == 0);
  CHECK(import.out.find("  import FILE") != std::string::npos);
  CHECK(import.out.find("  sync ") == std::string::npos);
  CHECK(import.out.find("Options for every command:") != std::string::npos);
  CHECK(agent.Run({"help", "staff"}).out.find("  staff end ") != std::string::npos);
  RunResult all = agent.Run({"--help"});
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("  import FILE") != std::string::npos);
  CHECK(all.out.find("  sync ") != std::string::npos);
  CHECK(agent.Run({}).exit_code == 2);  // no command: the manual, as a usage error
  CHECK(agent.Run({"help", "frobnicate"}).exit_code == 2);

  ServerUnderTest server(dir.path() / "server");
  RunResult periods = server.Command({"periods", "--help"});
  CHECK(periods.exit_code == 0);
  CHECK(periods.out.find("  periods publish") != std::string::npos);
  CHECK(periods.out.find("  user add") == std::string::npos);
}

TEST_CASE("cli: --json where scripts read the answer: import, sync, orgs list") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  REQUIRE(server.Command({"orgs", "import", SampleOrgs().string()}).exit_code == 0);
  RunResult orgs = server.Command({"orgs", "list", "--period", "2026-10", "--json"});
  REQUIRE(orgs.exit_code == 0);
  auto listed = boost::json::parse(orgs.out);
  CHECK(listed.at("date").as_string() == "2026-10-01");
  bool moved = false;
  for (const auto& o : listed.at("organisations").as_array()) {
    if (o.at("code").as_string() == "T01113") moved = o.at("parent").as_string() == "U10017";
  }
  CHECK(moved);  // the sample's practice that changes PCN on 1 October

  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  std::string file = (SamplePractice("T01100") / "list_size-2026-08.csv").string();
  auto imported = boost::json::parse(agent.RunOk({"import", file, "--json"}));
  CHECK(imported.at("dataset").as_string() == "list_size");
  CHECK(imported.at("upserts").as_int64() == 1);
  CHECK(imported.at("already_imported").as_bool() == false);
  auto again = boost::json::parse(agent.RunOk({"import", file, "--json"}));
  CHECK(again.at("already_imported").as_bool());

  std::string bad_path = (dir.path() / "bad.csv").string();
  files::WriteAtomic(bad_path,
                     "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-08-01,T01100,-5\n");
  RunResult bad = agent.Run({"import", bad_path, "--json"});
  CHECK(bad.exit_code == 3);
  auto refused = boost::json::parse(bad.out);
  REQUIRE(refused.at("problems").as_array().size() == 1);
  CHECK(std::string(refused.at("problems").as_array()[0].as_string())
            .find(":2: NUMBER_OF_PATIENTS") != std::string::npos);

  auto synced = boost::json::parse(agent.RunOk({"sync", "--json"}));
  CHECK(synced.at("changes_sent").as_int64() == 1);
  CHECK(synced.at("acknowledged_seq").as_int64() == 1);
  CHECK(synced.at("requests").as_int64() >= 2);
}
