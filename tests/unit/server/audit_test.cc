// The audit log keyed with the server's audit key, and its signed
// checkpoints: what an insider who can write the store, but holds neither
// key, can no longer hide.
#include <catch2/catch.hpp>

#include "audit/audit_service.h"
#include "enrol/agent_service.h"
#include "server_fixture.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/signing.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

const std::string kAuditKey(64, 'a');

void AllowTampering(db::Connection& db) {
  if (db.engine() == db::Engine::kSqlite) {
    db.Exec("DROP TRIGGER audit_log_no_update");
    db.Exec("DROP TRIGGER audit_log_no_delete");
    db.Exec("DROP TRIGGER audit_checkpoints_no_delete");
  } else {
    db.Exec("DROP TRIGGER audit_log_no_change ON audit_log");
    db.Exec("DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints");
  }
}

// Entry `id`'s text as the chain hashes it (audit/audit_log.cc).
std::string EntryText(db::Connection& db, std::int64_t id, const std::string& previous) {
  auto stmt =
      db.Prepare("SELECT at_ms, actor, action, subject, detail FROM audit_log WHERE id = ?");
  stmt.Bind(1, id);
  REQUIRE(stmt.Step());
  std::string text = previous;
  for (const std::string& field : {std::to_string(stmt.ColumnInt(0)), stmt.ColumnText(1),
                                   stmt.ColumnText(2), stmt.ColumnText(3), stmt.ColumnText(4)}) {
    text += "\n" + std::to_string(field.size()) + ":" + field;
  }
  return text;
}

// Changes entry `id`'s detail and chains it and every later entry again,
// hashing with `hash` as the insider can.
void RewriteAndChain(db::Connection& db, std::int64_t id,
                     const std::function<std::string(const std::string&)>& hash, bool keyed) {
  AllowTampering(db);
  auto upd = db.Prepare("UPDATE audit_log SET detail = 'nothing happened' WHERE id = ?");
  upd.Bind(1, id);
  upd.Run();
  auto prev = db.Prepare("SELECT hash FROM audit_log WHERE id = ?");
  prev.Bind(1, id - 1);
  std::string previous = prev.Step() ? prev.ColumnText(0) : std::string(64, '0');
  auto ids = db.Prepare("SELECT id FROM audit_log WHERE id >= ? ORDER BY id");
  ids.Bind(1, id);
  std::vector<std::int64_t> later;
  while (ids.Step()) later.push_back(ids.ColumnInt(0));
  for (std::int64_t e : later) {
    std::string h = hash(EntryText(db, e, previous));
    auto set =
        db.Prepare("UPDATE audit_log SET previous_hash = ?, hash = ?, keyed = ? WHERE id = ?");
    set.Bind(1, previous).Bind(2, h).Bind(3, std::int64_t{keyed ? 1 : 0}).Bind(4, e);
    set.Run();
    previous = h;
  }
}

std::string FromHex(const std::string& hex) { return digest::FromHex(hex).value(); }

void AddUsers(ServerFixture& f, int n) {
  static int made = 0;
  for (int i = 0; i < n; ++i, ++made) {
    f.AddUser("u-" + std::to_string(made), "Pat", Role::kIcsAnalyst, "QT1",
              "t" + std::to_string(made));
  }
}

}  // namespace

TEST_CASE("audit: keyed entries rewritten and chained again without the key are caught") {
  ServerFixture f;
  f.store.UseAuditKey(kAuditKey);
  AddUsers(f, 3);
  REQUIRE_FALSE(AuditService(f.store).FirstBrokenEntry());
  for (const AuditEntry& e : AuditService(f.store).Entries()) CHECK(e.keyed);
  auto db = tributary::testing::OpenTestStore(f.dir);
  SECTION("chained again with plain SHA-256, as the log was before it was keyed") {
    RewriteAndChain(
        *db, 2, [](const std::string& t) { return digest::Sha256Hex(t); }, false);
    CHECK(AuditService(f.store).FirstBrokenEntry() == 2);
  }
  SECTION("chained again with a key the insider guessed") {
    RewriteAndChain(
        *db, 2, [](const std::string& t) { return digest::HmacSha256Hex(std::string(32, 'x'), t); },
        true);
    CHECK(AuditService(f.store).FirstBrokenEntry() == 2);
  }
  SECTION("with the key the rewrite holds: only a checkpoint kept elsewhere catches it") {
    RewriteAndChain(
        *db, 2, [](const std::string& t) { return digest::HmacSha256Hex(FromHex(kAuditKey), t); },
        true);
    CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
  }
}

TEST_CASE("audit: entries from before the key are checked as written, and keyed ones follow") {
  ServerFixture f;
  AddUsers(f, 2);  // a store opened without the key, as before schema 7
  f.store.UseAuditKey(kAuditKey);
  f.AddUser("u-ann", "Ann", Role::kAdmin, "QT1", "t-ann");
  std::vector<AuditEntry> entries = AuditService(f.store).Entries();
  REQUIRE(entries.size() == 3);
  CHECK_FALSE(entries[0].keyed);
  CHECK(entries[2].keyed);
  CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
  // Without the key, a keyed entry cannot be checked: verification needs it.
  ServerStore keyless(tributary::testing::TestStore(f.dir), f.clock);
  CHECK(AuditService(keyless).FirstBrokenEntry() == entries[2].id);
}

TEST_CASE("audit: a signed checkpoint catches a cut end, a rewritten past and a forgery") {
  ServerFixture f;
  f.store.UseAuditKey(kAuditKey);
  signing::SigningKey key = signing::SigningKey::Generate();
  AddUsers(f, 3);
  AuditCheckpoint checkpoint = AuditService(f.store).Checkpoint(key);
  CHECK(checkpoint.entries == 3);
  AddUsers(f, 1);
  CHECK(AuditService(f.store).CheckCheckpoints({checkpoint}, key.PublicKeyHex()).empty());

  AuditCheckpoint forged = checkpoint;
  forged.entries = 2;
  CHECK(AuditService(f.store).CheckCheckpoints({forged}, key.PublicKeyHex()).at(0) ==
        "the checkpoint of 2 entries at " + std::to_string(checkpoint.at_ms) +
            " is not signed by this server");
  signing::SigningKey other = signing::SigningKey::Generate();
  AuditCheckpoint alien = checkpoint;
  alien.public_key = other.PublicKeyHex();
  alien.signature = other.Sign(CheckpointText(alien));
  CHECK(AuditService(f.store).CheckCheckpoints({alien}, key.PublicKeyHex()).size() == 1);

  auto db = tributary::testing::OpenTestStore(f.dir);
  SECTION("entries cut from the end") {
    AllowTampering(*db);
    db->Exec("DELETE FROM audit_log WHERE id > 2");
    CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());  // what is left chains
    auto problems = AuditService(f.store).CheckCheckpoints({checkpoint}, key.PublicKeyHex());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("entries were removed from its end") != std::string::npos);
  }
  SECTION("an entry rewritten by an insider holding the audit key") {
    RewriteAndChain(
        *db, 1, [](const std::string& t) { return digest::HmacSha256Hex(FromHex(kAuditKey), t); },
        true);
    CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
    auto problems = AuditService(f.store).CheckCheckpoints({checkpoint}, key.PublicKeyHex());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("entries up to it were changed") != std::string::npos);
  }
}

TEST_CASE("audit: tokens, enrolments, renewals and revocations are in the log") {
  ServerFixture f;
  f.store.UseAuditKey(kAuditKey);
  AgentIdentity agent = f.EnrolPractice("T01100");
  REQUIRE(AgentService(f.store).AddCertificate(agent.agent_id, "s-renewed", 1'900'000'000'000, 0));
  AgentService(f.store).Revoke("T01100", "operator");
  std::vector<std::string> actions;
  for (const AuditEntry& e : AuditService(f.store).Entries()) actions.push_back(e.action);
  CHECK(actions ==
        std::vector<std::string>{"token_create", "agent_enrol", "agent_renew", "agents_revoke"});
  CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
}
