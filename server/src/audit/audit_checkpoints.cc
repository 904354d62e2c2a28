#include "audit/audit_checkpoints.h"

#include "tributary/common/signing.h"

namespace tributary::server {

std::string CheckpointText(const AuditCheckpoint& c) {
  return "tributary-audit-checkpoint 1\nentries " + std::to_string(c.entries) + "\nhead " + c.head +
         "\nat_ms " + std::to_string(c.at_ms) + "\n";
}

bool CheckpointSignatureHolds(const AuditCheckpoint& c) {
  return signing::Verify(c.public_key, CheckpointText(c), c.signature);
}

void AuditCheckpoints::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- Signed checkpoints of the audit log: its length and head at a moment.
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  id         INTEGER PRIMARY KEY,
  entries    INTEGER NOT NULL,
  head       TEXT NOT NULL,
  at_ms      INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
);
)sql");
  db.ForbidChanges("audit_checkpoints", "audit checkpoints are append-only");
}

void AuditCheckpoints::Add(const AuditCheckpoint& c) {
  auto stmt = db_.Prepare(
      "INSERT INTO audit_checkpoints (entries, head, at_ms, public_key, signature) "
      "VALUES (?, ?, ?, ?, ?)");
  stmt.Bind(1, c.entries).Bind(2, c.head).Bind(3, c.at_ms).Bind(4, c.public_key);
  stmt.Bind(5, c.signature);
  stmt.Run();
}

std::vector<AuditCheckpoint> AuditCheckpoints::All() {
  auto stmt = db_.Prepare(
      "SELECT entries, head, at_ms, public_key, signature FROM audit_checkpoints ORDER BY id");
  std::vector<AuditCheckpoint> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnInt(0), stmt.ColumnText(1), stmt.ColumnInt(2), stmt.ColumnText(3),
                   stmt.ColumnText(4)});
  }
  return out;
}

}  // namespace tributary::server
