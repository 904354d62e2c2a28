#include "audit/audit_log.h"

#include "tributary/common/digest.h"

namespace tributary::server {
namespace {

std::string AuditHash(const std::string& previous_hash, std::int64_t at_ms,
                      const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail) {
  // Length-prefixed fields, so no two different entries hash the same text.
  std::string text = previous_hash;
  for (const std::string& field : {std::to_string(at_ms), actor, action, subject, detail}) {
    text += "\n" + std::to_string(field.size()) + ":" + field;
  }
  return digest::Sha256Hex(text);
}

}  // namespace

void AuditLog::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- Who did what, append-only. Each entry's hash covers the previous entry's
-- hash, so an edited or deleted entry breaks the chain.
CREATE TABLE IF NOT EXISTS audit_log (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  detail        TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash          TEXT NOT NULL
);
)sql");
  db.ForbidChanges("audit_log", "the audit log is append-only");
}

void AuditLog::Append(const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail, std::int64_t now_ms) {
  auto last = db_.Prepare("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
  std::string previous = last.Step() ? last.ColumnText(0) : std::string(64, '0');
  auto insert = db_.Prepare(
      "INSERT INTO audit_log (at_ms, actor, action, subject, detail, previous_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, now_ms).Bind(2, actor).Bind(3, action).Bind(4, subject).Bind(5, detail);
  insert.Bind(6, previous).Bind(7, AuditHash(previous, now_ms, actor, action, subject, detail));
  insert.Run();
}

std::optional<std::int64_t> AuditLog::FirstBrokenEntry() {
  auto stmt = db_.Prepare(
      "SELECT id, at_ms, actor, action, subject, detail, previous_hash, hash "
      "FROM audit_log ORDER BY id");
  std::string previous(64, '0');
  while (stmt.Step()) {
    std::string expected = AuditHash(previous, stmt.ColumnInt(1), stmt.ColumnText(2),
                                     stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5));
    if (stmt.ColumnText(6) != previous || stmt.ColumnText(7) != expected) {
      return stmt.ColumnInt(0);
    }
    previous = stmt.ColumnText(7);
  }
  return std::nullopt;
}

std::int64_t AuditLog::Count() {
  auto stmt = db_.Prepare("SELECT count(*) FROM audit_log");
  stmt.Step();
  return stmt.ColumnInt(0);
}

}  // namespace tributary::server
