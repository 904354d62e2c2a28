// Person keys on the server: the OPRF key's file and its binding to the
// store, each practice's daily allowance, and the old secret's removal.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "person_keys/oprf_key_file.h"
#include "person_keys/person_key_service.h"
#include "server_fixture.h"
#include "store/settings.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternal;
}

std::vector<oprf::Element> Blinded(std::size_t n) {
  std::vector<oprf::Element> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(oprf::Blind("GMC:" + std::to_string(i)).element);
  return out;
}

std::int64_t AuditEntries(const tributary::testing::TempDir& dir, const std::string& action) {
  auto db = tributary::testing::OpenTestStore(dir);
  auto stmt = db->Prepare("SELECT count(*) FROM audit_log WHERE action = ?");
  stmt.Bind(1, action);
  stmt.Step();
  return stmt.ColumnInt(0);
}

}  // namespace

TEST_CASE(
    "person keys: a practice's allowance is counted per day; beyond it, refused and audited") {
  ServerFixture f;
  AgentIdentity agent = f.EnrolPractice("T01100");
  AgentIdentity other = f.EnrolPractice("T01113");
  PersonKeyService service(f.store, oprf::Key::Generate(), 5);
  PersonKeyAnswer first = service.Evaluate(agent, Blinded(3));
  CHECK_FALSE(first.refused);
  CHECK(first.evaluated.size() == 3);
  CHECK(first.used_today == 3);
  PersonKeyAnswer over = service.Evaluate(agent, Blinded(3));
  CHECK(over.refused);
  CHECK(over.evaluated.empty());
  CHECK(AuditEntries(f.dir, "person_keys_refused") == 1);
  // What was refused was not counted: two more still fit today.
  CHECK(service.Evaluate(agent, Blinded(2)).used_today == 5);
  CHECK(service.Evaluate(agent, Blinded(1)).refused);
  // Another practice has its own allowance; tomorrow this one has its again.
  CHECK(service.Evaluate(other, Blinded(5)).used_today == 5);
  f.clock.Advance(24 * 3600 * 1000);
  CHECK(service.Evaluate(agent, Blinded(5)).used_today == 5);
  CHECK(AuditEntries(f.dir, "person_keys_refused") == 2);
}

TEST_CASE("person keys: an element that is not one is refused before anything is counted") {
  ServerFixture f;
  AgentIdentity agent = f.EnrolPractice("T01100");
  PersonKeyService service(f.store, oprf::Key::Generate(), 5);
  std::vector<oprf::Element> blinded = Blinded(2);
  blinded[1].fill(0xff);
  CHECK(CodeOf([&] { service.Evaluate(agent, blinded); }) == ErrorCode::kInvalidInput);
  CHECK(service.Evaluate(agent, Blinded(5)).used_today == 5);
}

TEST_CASE(
    "person keys: the OPRF key file is made once, 0600, and refused when others may read it") {
  tributary::testing::TempDir dir;
  ServerPaths paths{dir.path(), ""};
  CreateOprfKey(paths);
  struct stat st {};
  REQUIRE(::stat((dir.path() / "oprf.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string hex = LoadOprfKey(paths).ToHex();
  CHECK(LoadOrCreateOprfKey(paths).ToHex() == hex);  // never replaced
  CHECK(CodeOf([&] { CreateOprfKey(paths); }) == ErrorCode::kAlreadyExists);
  ::chmod((dir.path() / "oprf.key").c_str(), 0644);
  CHECK(CodeOf([&] { LoadOprfKey(paths); }) == ErrorCode::kForbidden);
  ::chmod((dir.path() / "oprf.key").c_str(), 0600);
  files::WriteAtomic(dir.path() / "oprf.key", "not a key\n");
  CHECK(CodeOf([&] { LoadOprfKey(paths); }) == ErrorCode::kCorruption);
  std::filesystem::remove(dir.path() / "oprf.key");
  CHECK(CodeOf([&] { LoadOprfKey(paths); }) == ErrorCode::kNotFound);
}

TEST_CASE("person keys: a systemd credential is preferred to the file") {
  tributary::testing::TempDir dir;
  ServerPaths paths{dir.path() / "data", ""};
  std::filesystem::create_directories(paths.dir);
  CreateOprfKey(paths);
  oprf::Key credential = oprf::Key::Generate();
  std::filesystem::create_directories(dir.path() / "credentials");
  files::WriteAtomic(dir.path() / "credentials" / "oprf.key", credential.ToHex());
  ::setenv("CREDENTIALS_DIRECTORY", (dir.path() / "credentials").c_str(), 1);
  std::string loaded = LoadOprfKey(paths).ToHex();
  ::unsetenv("CREDENTIALS_DIRECTORY");
  CHECK(loaded == credential.ToHex());
  CHECK(LoadOprfKey(paths).ToHex() != credential.ToHex());
}

TEST_CASE("person keys: a store made with one OPRF key refuses another") {
  ServerFixture f;
  ServerPaths paths{f.dir.path(), ""};
  oprf::Key key = oprf::Key::Generate();
  BindStoreToOprfKey(f.store, key, paths);
  BindStoreToOprfKey(f.store, oprf::Key::FromHex(key.ToHex()), paths);  // the same key again
  CHECK(CodeOf([&] { BindStoreToOprfKey(f.store, oprf::Key::Generate(), paths); }) ==
        ErrorCode::kConflict);
}

TEST_CASE("person keys: a store of schema 6 forgets the ICS-wide HMAC secret", "[sqlite]") {
  tributary::testing::TempDir dir;
  FakeClock clock{1'700'000'000'000};
  { ServerStore store(tributary::testing::TestStore(dir), clock); }
  {
    auto db = sqlite::Database::Open(dir.path() / "server.db");
    db.Exec("INSERT INTO settings (key, value) VALUES ('person_key_secret', 'abcd')");
    db.Exec("UPDATE settings SET value = '6' WHERE key = 'schema_version'");
  }
  ServerStore store(tributary::testing::TestStore(dir), clock);
  CHECK_FALSE(Settings(store).Get("person_key_secret"));
  CHECK(Settings(store).Get("schema_version") == "8");
}
