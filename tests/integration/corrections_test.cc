// Central corrections and conflicts end to end: a PCN manager corrects a
// record, the practice's agent takes it on; a practice edit from an older
// base meets a newer correction, both are kept, and the manager's choice
// reaches the practice.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "cluster.h"
#include "sync/https_client.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::testing;
namespace json = boost::json;

namespace {

class Api {
 public:
  Api(ServerUnderTest& server, const std::string& role, const std::string& scope)
      : server_(server), client_(Options(server)) {
    RunResult user = server.Command(
        {"user", "add", "--name", "Pat", "--role", role, "--scope", scope, "--json"});
    REQUIRE(user.exit_code == 0);
    token_ = std::string(json::parse(user.out).at("token").as_string());
  }
  agent::HttpsResponse Get(const std::string& target) {
    return client_.Get(server_.Url() + target, {"Authorization: Bearer " + token_});
  }
  agent::HttpsResponse Post(const std::string& target, const json::value& body) {
    return client_.Post(server_.Url() + target, json::serialize(body),
                        {"Authorization: Bearer " + token_, "Content-Type: application/json"});
  }

 private:
  static agent::HttpsClientOptions Options(const ServerUnderTest& server) {
    agent::HttpsClientOptions o;
    o.ca_certificate_pem = files::Read(server.data_dir() / "ca.pem");
    return o;
  }
  ServerUnderTest& server_;
  agent::HttpsClient client_;
  std::string token_;
};

json::object ListSizeRecord(Api& api) {
  auto r = api.Get("/v1/records?practice=T01100&dataset=list_size&period=2026-08");
  REQUIRE(r.status == 200);
  json::value parsed = json::parse(r.body);
  auto records = parsed.at("records").as_array();
  REQUIRE(records.size() == 1);
  return records[0].as_object();
}

json::object Correction(const json::object& record, const std::string& patients) {
  json::object fields = record.at("fields").as_object();
  fields["patients"] = patients;
  return {{"practice", "T01100"},
          {"dataset", "list_size"},
          {"fields", fields},
          {"base_version", record.at("version")}};
}

void ImportListSize(AgentUnderTest& agent, const TempDir& dir, const std::string& patients) {
  auto file = dir.path() / ("list-" + patients + ".csv");
  files::WriteAtomic(
      file, "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-08-01,T01100," + patients + "\n");
  agent.RunOk({"import", file.string()});
}

}  // namespace

TEST_CASE(
    "corrections: a central correction reaches the practice, and a conflict is resolved by a "
    "person") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  auto orgs = SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
  REQUIRE(server.Command({"orgs", "import", orgs.string()}).exit_code == 0);
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  ImportListSize(agent, dir, "6600");
  agent.RunOk({"sync"});
  Api pat(server, "pcn-manager", "U10010");

  // 1. A correction from the version read; the practice takes it on at its next sync.
  json::object first_read = ListSizeRecord(pat);
  REQUIRE(pat.Post("/v1/records/correct", Correction(first_read, "7000")).status == 200);
  // A second correction from the same, now stale, reading is refused.
  CHECK(pat.Post("/v1/records/correct", Correction(first_read, "7001")).status == 409);
  CHECK(ListSizeRecord(pat).at("fields").at("patients").as_string() == "7000");
  agent.RunOk({"sync"});
  CHECK(AgentRecords(agent) == ServerRecords(server, "T01100"));

  // 2. The manager corrects again while the practice edits from the older value.
  REQUIRE(pat.Post("/v1/records/correct", Correction(ListSizeRecord(pat), "7100")).status == 200);
  ImportListSize(agent, dir, "6900");
  // Delivered, not applied: sync says so, and which, and why.
  RunResult kept = agent.Run({"sync"});
  CHECK(kept.exit_code == 6);
  CHECK(kept.err.find("list_size 2026-08-01 T01100: conflict: record: changed centrally") !=
        std::string::npos);
  auto listed = pat.Get("/v1/conflicts?period=2026-08");
  REQUIRE(listed.status == 200);
  json::value parsed = json::parse(listed.body);
  auto conflicts = parsed.at("conflicts").as_array();
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].at("practice_value").at("patients").as_string() == "6900");
  CHECK(conflicts[0].at("central_value").at("patients").as_string() == "7100");
  CHECK(ListSizeRecord(pat).at("fields").at("patients").as_string() == "7100");  // not overwritten

  // 3. The manager keeps the practice's value; everyone converges on it.
  auto resolved = pat.Post("/v1/conflicts/resolve",
                           json::object{{"id", conflicts[0].at("id")}, {"keep", "practice"}});
  REQUIRE(resolved.status == 200);
  CHECK(ListSizeRecord(pat).at("fields").at("patients").as_string() == "6900");
  agent.RunOk({"sync"});
  CHECK(AgentRecords(agent) == ServerRecords(server, "T01100"));
  json::value after = json::parse(pat.Get("/v1/conflicts?period=2026-08").body);
  CHECK(after.at("conflicts").as_array().empty());

  // Only a PCN manager of this PCN, or an admin, may correct or resolve.
  Api ian(server, "ics-analyst", "QT1");
  CHECK(ian.Get("/v1/conflicts?period=2026-08").status == 200);
  CHECK(ian.Post("/v1/records/correct", Correction(ListSizeRecord(pat), "1")).status == 403);
  CHECK(ian.Post("/v1/conflicts/resolve", json::object{{"id", 1}, {"keep", "central"}}).status ==
        403);
  Api sam(server, "pcn-manager", "U10017");
  CHECK(sam.Get("/v1/records?practice=T01100&dataset=list_size&period=2026-08").status == 403);
  CHECK(sam.Post("/v1/records/correct", Correction(ListSizeRecord(pat), "1")).status == 403);
  CHECK(sam.Get("/v1/conflicts?period=2026-08&code=U10010").status == 403);
}

TEST_CASE(
    "corrections: a practice enrolled anew that imports its files again makes no conflict but "
    "where a central correction differs") {
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  auto orgs = SamplePractice("T01100").parent_path().parent_path() / "orgs.csv";
  REQUIRE(server.Command({"orgs", "import", orgs.string()}).exit_code == 0);
  server.Start();
  AgentUnderTest first(dir.path() / "first", "T01100");
  first.Enrol(server);
  first.ImportSample({"2026-08", "2026-09"});
  ImportListSize(first, dir, "6600");
  first.RunOk({"sync"});
  Api pat(server, "pcn-manager", "U10010");
  REQUIRE(pat.Post("/v1/records/correct", Correction(ListSizeRecord(pat), "7000")).status == 200);
  std::vector<std::string> before = ServerRecords(server, "T01100");

  // A new PC: a fresh store, enrolled again, the same two months imported again.
  AgentUnderTest again(dir.path() / "again", "T01100");
  again.Enrol(server);
  again.ImportSample({"2026-08", "2026-09"});
  ImportListSize(again, dir, "6600");
  RunResult synced = again.Run({"sync"});
  // Only the list size differs from what the server holds: the PCN manager's correction.
  CHECK(synced.exit_code == 6);
  CHECK(synced.err.find("did not apply 1 change") != std::string::npos);
  json::value parsed = json::parse(pat.Get("/v1/conflicts?period=2026-08").body);
  auto conflicts = parsed.at("conflicts").as_array();
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].at("central_value").at("patients").as_string() == "7000");
  CHECK(
      json::parse(pat.Get("/v1/conflicts?period=2026-09").body).at("conflicts").as_array().empty());
  CHECK(ServerRecords(server, "T01100") == before);  // identical values changed nothing

  // The practice's own correction of what its earlier PC sent is simply applied.
  auto corrected = dir.path() / "list-2026-09.csv";
  files::WriteAtomic(corrected,
                     "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n2026-09-01,T01100,6650\n");
  again.RunOk({"import", corrected.string()});
  again.RunOk({"sync"});
  CHECK(
      json::parse(pat.Get("/v1/conflicts?period=2026-09").body).at("conflicts").as_array().empty());
  auto records = pat.Get("/v1/records?practice=T01100&dataset=list_size&period=2026-09");
  CHECK(records.body.find("6650") != std::string::npos);
}
