// The agent's store at rest: encrypted with SQLCipher under a key kept
// outside it, so no plain file in the data directory holds a name, a
// registration number or a person key; its files are the owner's alone
// whatever the umask; a store from before encryption is encrypted in place,
// and a store is never opened with a wrong or missing key.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent_store_files.h"
#include "cluster.h"
#include "importer/file_import.h"
#include "local_person_keys.h"
#include "store/local_store.h"
#include "tributary/common/files.h"
#include "tributary/common/hlc.h"

using namespace tributary;
using namespace tributary::testing;

namespace {

std::string Bytes(const std::filesystem::path& path) { return files::Read(path); }

// Every regular file under `dir`, raw, concatenated.
std::string EveryFile(const std::filesystem::path& dir) {
  std::string held;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) held += Bytes(entry.path());
  }
  return held;
}

unsigned Mode(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// The process's umask for one scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : previous_(::umask(mask)) {}
  ~Umask() { ::umask(previous_); }

 private:
  mode_t previous_;
};

}  // namespace

TEST_CASE(
    "security: no plain file in the agent's data directory holds a name, a registration number "
    "or a person key, and every store file is 0600 whatever the umask") {
  Umask open_to_all(0);
  TempDir dir;
  ServerUnderTest server(dir.path() / "server");
  server.Start();
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.Enrol(server);
  agent.ImportSample({"2026-08"});
  agent.RunOk({"sync"});

  std::string raw = EveryFile(agent.data_dir());
  std::string decrypted = DecryptedStoreBytes(agent.data_dir(), dir.path() / "decrypted.db");
  // A family name, a registration number and a person key from the store:
  // each is in the decrypted store (the search works) and in no file as it lies.
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare("SELECT person_key FROM people LIMIT 1");
  REQUIRE(stmt.Step());
  std::string person_key = stmt.ColumnText(0);
  for (const std::string& secret : {std::string("Kettle"), std::string("7001056"), person_key}) {
    INFO(secret);
    CHECK(decrypted.find(secret) != std::string::npos);
    CHECK(raw.find(secret) == std::string::npos);
  }
  for (const char* name : {"agent.db", "agent.db-wal", "agent.db-shm", "store.key", "agent.key"}) {
    INFO(name);
    REQUIRE(std::filesystem::exists(agent.data_dir() / name));
    CHECK(Mode(agent.data_dir() / name) == 0600);
  }
}

TEST_CASE("security: a store from before encryption is encrypted in place, nothing lost") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  // An older agent's store: plain, world-readable, with the practice's records.
  {
    Umask old_default(022);
    SystemClock clock;
    agent::LocalStore plain(agent.data_dir() / "agent.db", clock);
    LocalPersonKeys keys;
    agent::ImportSettings settings;
    settings.practice = "T01100";
    settings.person_keys = &keys;
    REQUIRE(agent::ImportFile(plain, SamplePractice("T01100") / "workforce-2026-08.csv", nullptr,
                              settings, agent::FileOrigin::kNamedByPerson)
                .problems.empty());
  }
  REQUIRE(Bytes(agent.data_dir() / "agent.db").rfind("SQLite format 3", 0) == 0);
  std::vector<std::string> before = [&] {
    auto db = sqlite::Database::Open(agent.data_dir() / "agent.db");
    auto stmt = db.Prepare("SELECT record_key || fields FROM records ORDER BY 1");
    std::vector<std::string> rows;
    while (stmt.Step()) rows.push_back(stmt.ColumnText(0));
    return rows;
  }();
  REQUIRE(before.size() > 10);

  RunResult status = agent.Run({"status"});
  INFO(status.err);
  CHECK(status.exit_code != 2);
  CHECK(status.err.find("store_encrypted") != std::string::npos);
  CHECK(Bytes(agent.data_dir() / "agent.db").rfind("SQLite format 3", 0) != 0);
  CHECK(Mode(agent.data_dir() / "agent.db") == 0600);
  CHECK_FALSE(std::filesystem::exists(agent.data_dir() / "agent.db.encrypting"));
  CHECK(EveryFile(agent.data_dir()).find("Kettle") == std::string::npos);
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare("SELECT record_key || fields FROM records ORDER BY 1");
  std::vector<std::string> after;
  while (stmt.Step()) after.push_back(stmt.ColumnText(0));
  CHECK(after == before);
  // Once only: the next start opens it as it is.
  RunResult again = agent.Run({"status"});
  CHECK(again.err.find("store_encrypt") == std::string::npos);
}

TEST_CASE("security: a plain store another program has open is not encrypted under it") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  {
    SystemClock clock;
    agent::LocalStore plain(agent.data_dir() / "agent.db", clock);
    plain.SetState("practice", "T01100");
  }
  // An agent of an earlier version, still running with the store open.
  auto older = sqlite::Database::Open(agent.data_dir() / "agent.db");
  older.Exec("SELECT count(*) FROM state;");
  std::string before = Bytes(agent.data_dir() / "agent.db");
  RunResult refused = agent.Run({"status"});
  CHECK(refused.exit_code == 5);
  CHECK(refused.err.find("is open in another program") != std::string::npos);
  CHECK(Bytes(agent.data_dir() / "agent.db") == before);
  CHECK_FALSE(std::filesystem::exists(agent.data_dir() / "agent.db.encrypting"));
  // Once it has stopped, the store is encrypted with nothing lost.
  older = sqlite::Database::Open(dir.path() / "elsewhere.db");
  agent.RunOk({"status"});
  auto db = OpenAgentStore(agent.data_dir());
  auto stmt = db.Prepare("SELECT value FROM state WHERE key = 'practice'");
  REQUIRE(stmt.Step());
  CHECK(stmt.ColumnText(0) == "T01100");
}

TEST_CASE(
    "security: a store is never opened with a wrong or a missing key, and is left as it was") {
  TempDir dir;
  AgentUnderTest agent(dir.path() / "agent", "T01100");
  agent.RunOk({"status"});  // makes the key and the encrypted store
  std::string key = AgentStoreKey(agent.data_dir());
  REQUIRE(key.size() == 64);
  std::string store = Bytes(agent.data_dir() / "agent.db");

  files::WriteAtomic(agent.data_dir() / "store.key", std::string(64, 'a') + "\n");
  RunResult wrong = agent.Run({"status"});
  CHECK(wrong.exit_code != 0);
  CHECK(wrong.err.find("not encrypted with this store key") != std::string::npos);

  std::filesystem::remove(agent.data_dir() / "store.key");
  RunResult missing = agent.Run({"status"});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("store.key is missing") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(agent.data_dir() / "store.key"));  // no new key made

  files::WriteAtomic(agent.data_dir() / "store.key", key + "\n");
  ::chmod((agent.data_dir() / "store.key").c_str(), 0644);
  RunResult readable = agent.Run({"status"});
  CHECK(readable.exit_code != 0);
  CHECK(readable.err.find("may be read by others") != std::string::npos);

  ::chmod((agent.data_dir() / "store.key").c_str(), 0600);
  CHECK(Bytes(agent.data_dir() / "agent.db") == store);
  agent.RunOk({"status"});
}
