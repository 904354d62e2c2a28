#include "audit/audit_log.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

const std::string kGenesis(64, '0');

// Length-prefixed fields, so no two different entries hash the same text.
std::string EntryText(const std::string& previous_hash, std::int64_t at_ms,
                      const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail) {
  std::string text = previous_hash;
  for (const std::string& field : {std::to_string(at_ms), actor, action, subject, detail}) {
    text += "\n" + std::to_string(field.size()) + ":" + field;
  }
  return text;
}

// The audit key's bytes (keys/server_keys.h checks it is 64 hex characters).
std::string KeyBytes(const std::string& hex) {
  std::optional<std::string> bytes = digest::FromHex(hex);
  if (!bytes) throw Error::Corruption("the audit key is not hex");
  return *bytes;
}

AuditEntry ReadEntry(const db::Statement& stmt) {
  return {stmt.ColumnInt(0),  stmt.ColumnInt(1),  stmt.ColumnText(2),
          stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5),
          stmt.ColumnText(6), stmt.ColumnText(7), stmt.ColumnInt(8) != 0};
}

constexpr const char* kColumns =
    "SELECT id, at_ms, actor, action, subject, detail, previous_hash, hash, keyed "
    "FROM audit_log ";

}  // namespace

void AuditLog::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- Who did what, append-only. Each entry's hash covers the previous entry's
-- hash, so an edited or deleted entry breaks the chain; keyed entries' hash
-- is an HMAC under the audit key kept outside the store.
CREATE TABLE IF NOT EXISTS audit_log (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  detail        TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash          TEXT NOT NULL,
  keyed         INTEGER NOT NULL DEFAULT 0
);
)sql");
  if (!db.HasColumn("audit_log", "keyed")) {
    db.ExecSchema("ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0");
  }
  db.ForbidChanges("audit_log", "the audit log is append-only");
}

void AuditLog::Append(const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail, std::int64_t now_ms) {
  auto last = db_.Prepare("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  std::string previous = last.Step() ? last.ColumnText(0) : kGenesis;
  std::string text = EntryText(previous, now_ms, actor, action, subject, detail);
  bool keyed = !key_.empty();
  std::string hash = keyed ? digest::HmacSha256Hex(KeyBytes(key_), text) : digest::Sha256Hex(text);
  auto insert = db_.Prepare(
      "INSERT INTO audit_log (at_ms, actor, action, subject, detail, previous_hash, hash, keyed) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, now_ms).Bind(2, actor).Bind(3, action).Bind(4, subject).Bind(5, detail);
  insert.Bind(6, previous).Bind(7, hash).Bind(8, std::int64_t{keyed ? 1 : 0});
  insert.Run();
}

std::optional<std::int64_t> AuditLog::FirstBrokenEntry() {
  auto stmt = db_.Prepare(std::string(kColumns) + "ORDER BY id");
  std::string previous = kGenesis;
  bool seen_keyed = false;
  std::string key = KeyBytes(key_);
  while (stmt.Step()) {
    AuditEntry e = ReadEntry(stmt);
    std::string text = EntryText(previous, e.at_ms, e.actor, e.action, e.subject, e.detail);
    bool holds = e.previous_hash == previous;
    if (e.keyed) {
      seen_keyed = true;
      holds = holds && !key_.empty() && e.hash == digest::HmacSha256Hex(key, text);
    } else {
      holds = holds && !seen_keyed && e.hash == digest::Sha256Hex(text);
    }
    if (!holds) return e.id;
    previous = e.hash;
  }
  return std::nullopt;
}

std::int64_t AuditLog::Count() {
  auto stmt = db_.Prepare("SELECT count(*) FROM audit_log");
  stmt.Step();
  return stmt.ColumnInt(0);
}

std::optional<std::string> AuditLog::HeadAfter(std::int64_t count) {
  if (count == 0) return kGenesis;
  auto stmt = db_.Prepare("SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?");
  stmt.Bind(1, count - 1);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

std::vector<AuditEntry> AuditLog::Entries() {
  auto stmt = db_.Prepare(std::string(kColumns) + "ORDER BY id");
  std::vector<AuditEntry> out;
  while (stmt.Step()) out.push_back(ReadEntry(stmt));
  return out;
}

}  // namespace tributary::server
