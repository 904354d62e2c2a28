// Person keys made with the server's OPRF key, end to end: practices that
// share a person get one key for them, and stores keyed with the ICS-wide
// HMAC secret of old move to OPRF keys with the rollups unchanged.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <iterator>
#include <set>

#include "agent_store_files.h"
#include "cluster.h"
#include "importer/file_import.h"
#include "store/local_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/hlc.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

// What an agent of before made: an HMAC under the ICS-wide secret.
class OldHmacKeys final : public agent::PersonKeyer {
 public:
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
    std::vector<std::string> keys;
    for (const std::string& identity : identities) {
      keys.push_back(digest::HmacSha256Hex(std::string(32, '\x5b'), identity));
    }
    return keys;
  }
};

// Imports the practice's sample workforce for `month` as an agent of before
// did: records, outbox and people keyed with the old secret.
void ImportAsOldAgent(AgentUnderTest& agent, const std::string& month) {
  SystemClock clock;
  agent::LocalStore store(agent.data_dir() / "agent.db", clock, AgentStoreKey(agent.data_dir()));
  OldHmacKeys old_keys;
  agent::ImportSettings settings;
  settings.practice = agent.practice();
  settings.person_keys = &old_keys;
  auto result =
      agent::ImportFile(store, SamplePractice(agent.practice()) / ("workforce-" + month + ".csv"),
                        nullptr, settings, agent::FileOrigin::kNamedByPerson);
  REQUIRE(result.problems.empty());
}

void HoldOldSecret(AgentUnderTest& agent) {
  SystemClock clock;
  agent::LocalStore store(agent.data_dir() / "agent.db", clock, AgentStoreKey(agent.data_dir()));
  store.SetState("person_key_secret", std::string(64, '5'));
}

std::string WorkforceRollups(ServerUnderTest& server) {
  RunResult r = server.Command(
      {"rollups", "show", "--period", "2026-08", "--dataset", "workforce", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Starts the server holding the sample ICS's organisations (its PCNs,
// whose practices share staff).
void StartWithSampleOrgs(ServerUnderTest& server) {
  RunResult orgs = server.Command(
      {"orgs", "import",
       (SamplePractice("T01113").parent_path().parent_path() / "orgs.csv").string()});
  INFO(orgs.err);
  REQUIRE(orgs.exit_code == 0);
  server.Start();
}

// Every person key the server holds for `practice`.
std::set<std::string> ServerPersonKeys(const ServerUnderTest& server, const std::string& practice) {
  std::set<std::string> keys;
  for (const std::string& row : ServerRecords(server, practice)) {
    auto at = row.find("\"person_key\":\"");
    if (at != std::string::npos) keys.insert(row.substr(at + 14, 64));
  }
  return keys;
}

}  // namespace

TEST_CASE(
    "person keys: two practices sharing a person key them alike, and the PCN counts them once") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  StartWithSampleOrgs(server);
  AgentUnderTest first(dir.path() / "first", "T01113");
  AgentUnderTest second(dir.path() / "second", "T01126");
  for (AgentUnderTest* agent : {&first, &second}) {
    agent->Enrol(server);
    agent->RunOk(
        {"import", (SamplePractice(agent->practice()) / "workforce-2026-08.csv").string()});
    agent->RunOk({"sync"});
  }
  std::set<std::string> a = ServerPersonKeys(server, "T01113");
  std::set<std::string> b = ServerPersonKeys(server, "T01126");
  std::vector<std::string> shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  CHECK(shared.size() == 2);  // the PCN's two ARRS staff who work at both
  std::set<std::string> everyone = a;
  everyone.insert(b.begin(), b.end());
  RunResult pcn =
      server.Command({"rollups", "show", "--period", "2026-08", "--level", "pcn", "--code",
                      "U10010", "--dataset", "workforce", "--totals", "--format", "csv"});
  REQUIRE(pcn.exit_code == 0);
  CHECK(pcn.out.find("pcn,U10010,2026-08,workforce,headcount,,,,,,," +
                     std::to_string(everyone.size()) + ",") != std::string::npos);
}

TEST_CASE(
    "person keys: a store keyed with the old secret re-keys at its next sync, as ordinary "
    "changes, and the rollups stay as they were") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  StartWithSampleOrgs(server);
  std::vector<std::unique_ptr<AgentUnderTest>> agents;
  for (const char* practice : {"T01113", "T01126"}) {
    agents.push_back(std::make_unique<AgentUnderTest>(dir.path() / practice, practice));
    agents.back()->Enrol(server);
    ImportAsOldAgent(*agents.back(), "2026-08");
    agents.back()->RunOk({"sync"});
  }
  std::string before = WorkforceRollups(server);
  std::set<std::string> old_keys = ServerPersonKeys(server, "T01113");
  REQUIRE_FALSE(old_keys.empty());

  for (auto& agent : agents) {
    HoldOldSecret(*agent);
    boost::json::object result = boost::json::parse(agent->RunOk({"sync", "--json"})).as_object();
    CHECK(result.at("changes_sent").to_number<std::uint64_t>() > 0);
    RequireExactlyOnce(server, *agent);
    CHECK(AgentRecords(*agent) == ServerRecords(server, agent->practice()));
    // The secret is forgotten; a second sync has nothing to re-key.
    auto db = OpenAgentStore(agent->data_dir());
    auto held = db.Prepare("SELECT count(*) FROM state WHERE key = 'person_key_secret'");
    REQUIRE(held.Step());
    CHECK(held.ColumnInt(0) == 0);
    boost::json::object again = boost::json::parse(agent->RunOk({"sync", "--json"})).as_object();
    CHECK(again.at("changes_sent").to_number<std::uint64_t>() == 0);
  }
  std::set<std::string> new_keys = ServerPersonKeys(server, "T01113");
  CHECK(new_keys.size() == old_keys.size());
  std::vector<std::string> kept;
  std::set_intersection(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(),
                        std::back_inserter(kept));
  CHECK(kept.empty());
  CHECK(WorkforceRollups(server) == before);
  // A practice keying the same people afresh gets the keys the re-keyed one has.
  AgentUnderTest fresh(dir.path() / "fresh", "T01113");
  fresh.Enrol(server);
  fresh.RunOk({"import", (SamplePractice("T01113") / "workforce-2026-08.csv").string()});
  fresh.RunOk({"sync"});
  CHECK(ServerPersonKeys(server, "T01113") == new_keys);
}
