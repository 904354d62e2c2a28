// People new to the practice are recorded offline: their records are held
// under a placeholder until the next sync has the server make their person
// keys (store/pending_person_keys.h, sync/pending_key_client.h). The failure
// modes: no network at all, a corrected file or an edit before the key comes,
// a person dropped before the key comes, a submission made meanwhile, and a
// daily allowance spent half-way; in each, nothing is sent unkeyed, nothing
// identifying is sent, and nothing is lost.
#include <set>

#include "importer/csv_importer.h"
#include "importer/offline_person_keys.h"
#include "local_person_keys.h"
#include "scripted_transport.h"
#include "store/local_store.h"
#include "sync/pending_key_client.h"
#include "sync/person_key_client.h"
#include "sync/push_client.h"
#include "temp_dir.h"
#include "tributary/common/oprf.h"

using namespace tributary;
using namespace tributary::agent;
using namespace tributary::agent::testing;

namespace {

constexpr const char* kServer = "https://server.test";
constexpr const char* kHeader =
    "PRACTICE_CODE,PERIOD,STAFF_ID,GIVEN_NAME,FAMILY_NAME,REGISTRATION_BODY,REGISTRATION_NUMBER,"
    "STAFF_GROUP,STAFF_ROLE,CONTRACTED_HOURS,EMPLOYER_TYPE,EMPLOYER_CODE,EMPLOYER_STAFF_ID,FUNDING,"
    "START_DATE,END_DATE\n";

std::string Row(const std::string& period, const std::string& staff_id, const std::string& name,
                const std::string& gmc, const std::string& hours) {
  return "T01100," + period + "," + staff_id + "," + name + ",Okafor,GMC," + gmc +
         ",GP,Salaried GP," + hours + ",PRACTICE,T01100,,PRACTICE,2024-01-01,\n";
}

const oprf::Key& ServerOprfKey() {
  static const oprf::Key key =
      oprf::Key::FromHex("5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e");
  return key;
}

// The server's answer to POST /v1/person-keys: each blinded element evaluated.
HttpsResponse EvaluateKeys(const Exchange& e) {
  auto request = protocol::DecodePersonKeyRequest(e.body);
  REQUIRE(request.ok());
  protocol::PersonKeyReply reply;
  for (const std::string& blinded : request.value().blinded) {
    reply.evaluated.push_back(
        oprf::ToHex(oprf::BlindEvaluate(ServerOprfKey(), oprf::ElementFromHex(blinded))));
  }
  return Ok(protocol::Encode(reply));
}

struct Practice {
  tributary::testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  LocalStore store{dir.path() / "agent.db", clock};
  OfflinePersonKeys keys{store};
  ScriptedTransport transport;

  Practice() { store.SetState("practice", "T01100"); }

  ReplaceResult Import(const std::string& csv, const std::string& sha) {
    ImportSettings settings;
    settings.practice = "T01100";
    settings.person_keys = &keys;
    ParsedImport parsed = ParseImport(csv, nullptr, settings);
    REQUIRE(parsed.problems.empty());
    return store.ReplacePeriods(*parsed.dataset, parsed.periods, parsed.people, sha, "f.csv",
                                parsed.rows);
  }
  PendingKeysResult KeyPending() {
    PersonKeyClient server(transport, kServer);
    return KeyPendingPeople(store, server);
  }
  std::vector<OutboxEntry> Outbox() { return store.PendingChanges(0, 100000); }
};

bool IsPersonKey(const std::string& key) {
  return key.size() == 64 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("offline people: a new starter is stored with no network, held out of the outbox") {
  Practice p;  // no transport step is scripted: any request fails the test
  ReplaceResult r = p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5") +
                                 Row("2026-10", "S2", "Ben", "7000002", "20"),
                             "a");
  CHECK(r.upserts == 2);
  CHECK(r.held == 2);
  CHECK(p.Outbox().empty());
  CHECK(p.store.LastSeq() == 0);
  LocalStore::KeyWait wait = p.store.AwaitingKeys();
  CHECK(wait.people == 2);
  CHECK(wait.records == 2);
  CHECK(wait.since == "2026-09-21T14:13:20Z");
  auto records = p.store.Records(datasets::Workforce(), "2026-10");
  REQUIRE(records.size() == 2);
  for (const StoredRecord& record : records) {
    CHECK(IsPendingPersonKey(record.fields.at("person_key")));
    CHECK(record.held_base.has_value());
  }
  // The same person in another month waits under the same placeholder.
  p.Import(std::string(kHeader) + Row("2026-11", "S1", "Ada", "7000001", "37.5"), "b");
  CHECK(p.store.AwaitingKeys().people == 2);
  CHECK(p.store.AwaitingKeys().records == 3);
  std::string ada_in_october;
  for (const StoredRecord& record : p.store.Records(datasets::Workforce(), "2026-10")) {
    if (record.fields.at("contracted_hours") == "37.5") {
      ada_in_october = record.fields.at("person_key");
    }
  }
  CHECK(p.store.Records(datasets::Workforce(), "2026-11").at(0).fields.at("person_key") ==
        ada_in_october);
}

TEST_CASE("offline people: the next sync keys them first, and only blinded values leave") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5") +
               Row("2026-10", "S2", "Ben", "7000002", "20"),
           "a");
  p.transport.ReplyWith(EvaluateKeys);
  PendingKeysResult keyed = p.KeyPending();
  CHECK(keyed.people_keyed == 2);
  CHECK(keyed.records_released == 2);
  CHECK(keyed.people_waiting == 0);
  CHECK(p.store.AwaitingKeys().records == 0);
  std::vector<OutboxEntry> outbox = p.Outbox();
  REQUIRE(outbox.size() == 2);
  std::set<std::string> keys;
  for (const OutboxEntry& e : outbox) {
    FieldMap fields = ParseCanonicalJson(e.fields_json);
    CHECK(IsPersonKey(fields.at("person_key")));
    CHECK(e.base_version == 0);
    keys.insert(fields.at("person_key"));
  }
  // The keys are the ones the server's OPRF key makes for these people.
  tributary::testing::LocalPersonKeys same_server;
  auto expected = same_server.KeysFor({"GMC:7000001", "GMC:7000002"});
  CHECK(keys == std::set<std::string>(expected.begin(), expected.end()));
  // The names stay, under the key now.
  CHECK(p.store.FindPerson(expected[0])->given_name == "Ada");
  // One request, carrying blinded elements and nothing that identifies anyone.
  REQUIRE(p.transport.exchanges().size() == 1);
  for (const char* identifying : {"7000001", "7000002", "GMC", "Ada", "Ben", "Okafor", "S1"}) {
    INFO(identifying);
    CHECK(p.transport.exchanges()[0].body.find(identifying) == std::string::npos);
  }
  // The push that follows carries the keys, and nothing that identifies anyone.
  p.transport.ReplyWith(AcknowledgeAll);
  PushSummary pushed = PushClient(p.store, p.transport, kServer, 100, p.clock).PushAll();
  CHECK(pushed.changes_sent == 2);
  REQUIRE(p.transport.exchanges().size() == 2);
  std::optional<std::string> push = protocol::Decompress(p.transport.exchanges()[1].body, 1 << 20);
  REQUIRE(push);
  CHECK(push->find(expected[0]) != std::string::npos);
  for (const char* identifying : {"7000001", "7000002", "Ada", "Ben", "Okafor", "S1", "pending-"}) {
    INFO(identifying);
    CHECK(push->find(identifying) == std::string::npos);
  }
  // Known now: the next import of them is keyed at once, offline.
  ReplaceResult again =
      p.Import(std::string(kHeader) + Row("2026-11", "S1", "Ada", "7000001", "30"), "b");
  CHECK(again.held == 0);
  CHECK(p.Outbox().size() == 3);
}

TEST_CASE("offline people: a corrected file or an edit before the key replaces what waits") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5") +
               Row("2026-10", "S2", "Ben", "7000002", "20"),
           "a");
  // Corrected: Ada's hours change, Ben was never here.
  ReplaceResult r =
      p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "30"), "b");
  CHECK(r.upserts == 1);
  CHECK(r.deletes == 1);
  CHECK(p.Outbox().empty());  // the server never had either: nothing to tell it
  CHECK(p.store.AwaitingKeys().people == 1);
  // An edit by hand of the waiting record.
  StoredRecord ada = p.store.Records(datasets::Workforce(), "2026-10").at(0);
  FieldMap edited = ada.fields;
  edited["contracted_hours"] = "15";
  edited["fte"] = "0.4";
  p.store.UpsertRecord(datasets::Workforce(), edited, nullptr);
  CHECK(p.Outbox().empty());

  p.transport.ReplyWith(EvaluateKeys);
  PendingKeysResult keyed = p.KeyPending();
  CHECK(keyed.people_keyed == 1);  // Ben is not asked for: nothing of his waits
  auto request = protocol::DecodePersonKeyRequest(p.transport.exchanges()[0].body);
  REQUIRE(request.ok());
  CHECK(request.value().blinded.size() == 1);
  std::vector<OutboxEntry> outbox = p.Outbox();
  REQUIRE(outbox.size() == 1);
  CHECK(ParseCanonicalJson(outbox[0].fields_json).at("contracted_hours") == "15");
  CHECK(p.store.People().size() == 1);  // Ben's details went with his record
}

TEST_CASE("offline people: a submission made meanwhile waits for the records it vouches for") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5"), "a");
  FieldMap submission = {{"practice", "T01100"},
                         {"dataset", "workforce"},
                         {"period", "2026-10"},
                         {"submitted_at", "2026-11-02T09:00:00Z"}};
  p.store.UpsertRecord(datasets::Submission(), submission, nullptr);
  // A submission of another dataset has nothing to wait for.
  submission["dataset"] = "appointments";
  p.store.UpsertRecord(datasets::Submission(), submission, nullptr);
  REQUIRE(p.Outbox().size() == 1);
  CHECK(ParseCanonicalJson(p.Outbox()[0].fields_json).at("dataset") == "appointments");

  p.transport.ReplyWith(EvaluateKeys);
  p.KeyPending();
  std::vector<OutboxEntry> outbox = p.Outbox();
  REQUIRE(outbox.size() == 3);
  CHECK(outbox[1].dataset == "workforce");
  CHECK(outbox[2].dataset == "submission");  // after the records, as if made after them
  CHECK(ParseCanonicalJson(outbox[2].fields_json).at("dataset") == "workforce");
}

TEST_CASE("offline people: a held submission whose people were dropped goes at the next sync") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5"), "a");
  p.store.UpsertRecord(datasets::Submission(),
                       {{"practice", "T01100"},
                        {"dataset", "workforce"},
                        {"period", "2026-10"},
                        {"submitted_at", "2026-11-02T09:00:00Z"}},
                       nullptr);
  StoredRecord ada = p.store.Records(datasets::Workforce(), "2026-10").at(0);
  CHECK(p.store.DeleteRecord(datasets::Workforce(), ada.key));
  CHECK(p.Outbox().empty());
  PendingKeysResult r = p.KeyPending();  // no request: nobody waits
  CHECK(p.transport.exchanges().empty());
  CHECK(r.records_released == 1);
  REQUIRE(p.Outbox().size() == 1);
  CHECK(p.Outbox()[0].dataset == "submission");
}

TEST_CASE("offline people: a spent allowance keeps what was made and the rest waits") {
  Practice p;
  std::string csv = kHeader;
  const std::size_t people = protocol::kMaxPersonKeysPerRequest + 5;
  for (std::size_t i = 0; i < people; ++i) {
    csv += Row("2026-10", "S" + std::to_string(i), "P" + std::to_string(i),
               std::to_string(7100000 + i), "10");
  }
  p.Import(csv, "a");
  p.transport.ReplyWith(EvaluateKeys);
  // The rest (5) refused whole, then in halves, down to one.
  for (int i = 0; i < 3; ++i) {
    p.transport.Reply(Refusal(429, "person_key_allowance", "allowance spent", std::nullopt, 3600));
  }
  PendingKeysResult r = p.KeyPending();
  REQUIRE(p.transport.script_done());
  CHECK(r.people_keyed == protocol::kMaxPersonKeysPerRequest);
  CHECK(r.people_waiting == 5);
  CHECK(r.deferred.find("person_key_allowance") != std::string::npos);
  CHECK(p.Outbox().size() == protocol::kMaxPersonKeysPerRequest);
  CHECK(p.store.AwaitingKeys().people == 5);
  CHECK(p.store.GetState("person_keys_deferred") == r.deferred);
  for (const OutboxEntry& e : p.Outbox()) {
    CHECK(IsPersonKey(ParseCanonicalJson(e.fields_json).at("person_key")));
  }
  // The next day: the rest, and nothing asked twice.
  p.transport.ReplyWith(EvaluateKeys);
  r = p.KeyPending();
  CHECK(r.people_keyed == 5);
  auto request = protocol::DecodePersonKeyRequest(p.transport.exchanges().back().body);
  REQUIRE(request.ok());
  CHECK(request.value().blinded.size() == 5);
  CHECK(p.Outbox().size() == people);
  CHECK(p.store.AwaitingKeys().records == 0);
}

TEST_CASE("offline people: a network failure while asking keeps everything waiting") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5"), "a");
  p.transport.Fail("connection refused");
  CHECK_THROWS_AS(p.KeyPending(), Error);
  CHECK(p.Outbox().empty());
  CHECK(p.store.AwaitingKeys().records == 1);
}

TEST_CASE(
    "offline people: a request larger than what is left of the allowance is asked in halves") {
  Practice p;
  std::string csv = kHeader;
  for (int i = 0; i < 4; ++i) {
    csv += Row("2026-10", "S" + std::to_string(i), "P", std::to_string(7200000 + i), "10");
  }
  p.Import(csv, "a");
  auto spent = Refusal(429, "person_key_allowance", "allowance spent", std::nullopt, 3600);
  p.transport.Reply(spent);             // 4 at once: more than is left
  p.transport.ReplyWith(EvaluateKeys);  // 2 of them
  p.transport.Reply(spent);             // the other 2
  p.transport.Reply(spent);             // 1 of them: nothing left today
  PendingKeysResult r = p.KeyPending();
  REQUIRE(p.transport.script_done());
  CHECK(r.people_keyed == 2);
  CHECK(r.people_waiting == 2);
  CHECK(p.Outbox().size() == 2);
}

TEST_CASE("offline people: a key request the server fails leaves them waiting; the push goes on") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5"), "a");
  p.transport.Reply(Refusal(500, "internal", "the server failed"));
  PendingKeysResult r = p.KeyPending();  // no throw: the sync pushes what it can
  CHECK(r.people_keyed == 0);
  CHECK(r.people_waiting == 1);
  CHECK(r.deferred.find("the server failed") != std::string::npos);
  CHECK(p.store.AwaitingKeys().records == 1);
  // Refused as an agent: the sync cannot go on.
  p.transport.Reply(Refusal(401, "identity_revoked", "revoked"));
  CHECK_THROWS_AS(p.KeyPending(), Error);
}

TEST_CASE(
    "offline people: a submission released after held records follows them, after an "
    "earlier one not yet sent") {
  Practice p;
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5"), "a");
  p.transport.ReplyWith(EvaluateKeys);
  p.KeyPending();  // Ada keyed: the month's records in the outbox
  FieldMap submission = {{"practice", "T01100"},
                         {"dataset", "workforce"},
                         {"period", "2026-10"},
                         {"submitted_at", "2026-11-02T09:00:00Z"}};
  p.store.UpsertRecord(datasets::Submission(), submission, nullptr);  // not sent yet
  p.Import(std::string(kHeader) + Row("2026-10", "S1", "Ada", "7000001", "37.5") +
               Row("2026-10", "S9", "Locum", "7000009", "8"),
           "b");
  submission["submitted_at"] = "2026-11-03T09:00:00Z";
  p.store.UpsertRecord(datasets::Submission(), submission, nullptr);  // held with the locum
  p.transport.ReplyWith(EvaluateKeys);
  p.KeyPending();
  std::vector<OutboxEntry> outbox = p.Outbox();
  REQUIRE(outbox.size() == 4);
  CHECK(outbox[1].dataset == "submission");
  CHECK(outbox[2].dataset == "workforce");  // the locum
  CHECK(outbox[3].dataset == "submission");
  CHECK(ParseCanonicalJson(outbox[3].fields_json).at("submitted_at") == "2026-11-03T09:00:00Z");
  CHECK(outbox[3].base_version == outbox[1].version);
}
