// Person keys as an attacker meets them: with a practice's whole data
// directory and the server's store (not its OPRF key), no key can be matched
// to a registration number; the server evaluates only for enrolled agents,
// only so many a day, and only elements of the group.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>

#include "agent_store_files.h"
#include "database/connection.h"
#include "deployment.h"
#include "importer/file_import.h"
#include "store/local_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/files.h"
#include "tributary/common/hlc.h"
#include "tributary/common/oprf.h"
#include "tributary/protocol/codec.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::string Bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every run of exactly 64 hex characters in `bytes`: each a candidate secret.
std::set<std::string> HexRuns(const std::string& bytes) {
  std::set<std::string> runs;
  static const std::regex kHex("[0-9a-fA-F]{64}");
  for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), kHex);
       it != std::sregex_iterator(); ++it) {
    runs.insert(it->str());
  }
  return runs;
}

std::string FromHex(const std::string& hex) { return digest::FromHex(hex).value(); }

// The identities behind a practice's sample workforce: the attacker's best
// case, the very registration numbers it hopes to match.
std::vector<std::string> Identities(const std::string& practice) {
  std::vector<std::string> out;
  std::ifstream in(SamplePractice(practice) / "workforce-2026-08.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos;
         start = comma + 1) {
      f.push_back(line.substr(start, comma - start));
    }
    f.push_back(line.substr(start));
    out.push_back(!f.at(5).empty() ? f[5] + ":" + f[6] : f.at(11) + ":" + f.at(12));
  }
  return out;
}

// The person keys the server holds for `practice`.
std::set<std::string> PersonKeysOf(const ServerUnderTest& server, const std::string& practice) {
  std::set<std::string> keys;
  for (const std::string& row : ServerRecords(server, practice)) {
    auto at = row.find("\"person_key\":\"");
    if (at != std::string::npos) keys.insert(row.substr(at + 14, 64));
  }
  return keys;
}

// Every way the attacker tries to key `identity` with what it holds.
std::set<std::string> Attempts(const std::set<std::string>& candidates,
                               const std::string& identity) {
  std::set<std::string> keys{digest::Sha256Hex(identity)};
  for (const std::string& c : candidates) {
    keys.insert(digest::HmacSha256Hex(FromHex(c), identity));
    keys.insert(digest::HmacSha256Hex(c, identity));
    keys.insert(digest::Sha256Hex(c + identity));
  }
  return keys;
}

// Matches of the attack against `targets`.
std::size_t Matches(const std::set<std::string>& candidates, const std::vector<std::string>& ids,
                    const std::set<std::string>& targets) {
  std::size_t matched = 0;
  for (const std::string& identity : ids) {
    for (const std::string& key : Attempts(candidates, identity)) matched += targets.count(key);
  }
  return matched;
}

class OldHmacKeys final : public agent::PersonKeyer {
 public:
  explicit OldHmacKeys(std::string secret_hex) : secret_(FromHex(secret_hex)) {}
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
    std::vector<std::string> keys;
    for (const std::string& i : identities) keys.push_back(digest::HmacSha256Hex(secret_, i));
    return keys;
  }

 private:
  std::string secret_;
};

std::int64_t AuditCount(const ServerUnderTest& server, const std::string& action) {
  auto db = OpenServerStore(server);
  auto stmt = db->Prepare("SELECT count(*) FROM audit_log WHERE action = ?");
  stmt.Bind(1, action);
  stmt.Step();
  return stmt.ColumnInt(0);
}

agent::HttpsResponse AskForKeys(Deployment& d, agent::HttpsClient& client, std::size_t n) {
  protocol::PersonKeyRequest request;
  for (std::size_t i = 0; i < n; ++i) {
    request.blinded.push_back(
        oprf::ToHex(oprf::Blind("GMC:" + std::to_string(7000000 + i)).element));
  }
  return client.Post(d.server().Url() + "/v1/person-keys", protocol::Encode(request),
                     {"Content-Type: application/json"});
}

}  // namespace

TEST_CASE(
    "security: with a practice's data directory and the server's store, but not its OPRF key, "
    "no person key matches a registration number") {
  Deployment d;
  AgentUnderTest other(d.dir().path() / "other", "T01113");
  other.Enrol(d.server());
  for (AgentUnderTest* agent : {&d.agent(), &other}) {
    agent->RunOk(
        {"import", (SamplePractice(agent->practice()) / "workforce-2026-08.csv").string()});
    agent->RunOk({"sync"});
  }
  std::set<std::string> targets = PersonKeysOf(d.server(), "T01113");
  REQUIRE(targets.size() > 10);

  // Everything the attacker holds: the practice's whole data directory (its
  // store decrypted with the key beside it) and the server's store.
  std::string held = DecryptedStoreBytes(d.agent().data_dir(), d.dir().path() / "decrypted.db");
  REQUIRE(held.find("Kettle") != std::string::npos);  // a name from the sample: decrypted
  for (const auto& entry : std::filesystem::recursive_directory_iterator(d.agent().data_dir())) {
    if (entry.is_regular_file()) held += Bytes(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(d.server().data_dir())) {
    if (entry.path().filename() != "oprf.key" && entry.is_regular_file()) {
      held += Bytes(entry.path());
    }
  }
  std::string oprf_key = files::Read(d.server().data_dir() / "oprf.key").substr(0, 64);
  CHECK(held.find(oprf_key) == std::string::npos);  // the key is in neither store
  CHECK(held.find("person_key_secret") == std::string::npos);
  std::set<std::string> candidates = HexRuns(held);
  REQUIRE(candidates.size() > 10);
  CHECK(Matches(candidates, Identities("T01113"), targets) == 0);

  // The same attack on a store keyed the old way matches every person: it is
  // the attack the old keys fell to, not one that cannot succeed.
  SystemClock clock;
  std::string old_secret = digest::RandomHex(32);
  agent::LocalStore old_store(d.dir().path() / "old.db", clock);
  old_store.SetState("person_key_secret", old_secret);
  OldHmacKeys old_keys(old_secret);
  agent::ImportSettings settings;
  settings.practice = "T01113";
  settings.person_keys = &old_keys;
  REQUIRE(agent::ImportFile(old_store, SamplePractice("T01113") / "workforce-2026-08.csv", nullptr,
                            settings, agent::FileOrigin::kNamedByPerson)
              .problems.empty());
  std::set<std::string> old_targets;
  for (const auto& record : old_store.Records(datasets::Workforce(), "2026-08")) {
    old_targets.insert(record.fields.at("person_key"));
  }
  std::string old_held = Bytes(d.dir().path() / "old.db") + Bytes(d.dir().path() / "old.db-wal");
  CHECK(Matches(HexRuns(old_held), Identities("T01113"), old_targets) == old_targets.size());
}

TEST_CASE("security: person keys are evaluated only for an enrolled agent's certificate") {
  Deployment d;
  agent::HttpsClient stranger = d.StrangerClient();
  auto r = AskForKeys(d, stranger, 1);
  CHECK(r.status == 401);
  CHECK(ErrorCodeOf(r) == "client_certificate_required");
  REQUIRE(d.server().Command({"agents", "revoke", "--practice", "T01100"}).exit_code == 0);
  agent::HttpsClient revoked = d.AgentClient();
  CHECK(AskForKeys(d, revoked, 1).status == 401);
}

TEST_CASE(
    "security: a practice asking for far more person keys than its staff is refused and "
    "audited; others are still served") {
  Deployment d("person_keys_per_day = 50\n");
  agent::HttpsClient client = d.AgentClient();
  CHECK(AskForKeys(d, client, 40).status == 200);
  auto walked = AskForKeys(d, client, 20);
  CHECK(walked.status == 429);
  CHECK(ErrorCodeOf(walked) == "person_key_allowance");
  CHECK(walked.retry_after_seconds > 0);
  CHECK(walked.retry_after_seconds <= 86400);
  CHECK(AuditCount(d.server(), "person_keys_refused") == 1);
  CHECK(AskForKeys(d, client, 10).status == 200);  // what was refused was not counted
  AgentUnderTest other(d.dir().path() / "other", "T01113");
  other.Enrol(d.server());
  other.RunOk({"import", (SamplePractice("T01113") / "workforce-2026-08.csv").string()});
}

TEST_CASE("security: person-key requests of what is not a group element are refused") {
  Deployment d;
  agent::HttpsClient client = d.AgentClient();
  oprf::Element identity{};
  protocol::PersonKeyRequest request{{oprf::ToHex(identity)}};
  auto r = client.Post(d.server().Url() + "/v1/person-keys", protocol::Encode(request),
                       {"Content-Type: application/json"});
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "invalid_input");
  auto too_many = AskForKeys(d, client, protocol::kMaxPersonKeysPerRequest + 1);
  CHECK(too_many.status == 413);
}
