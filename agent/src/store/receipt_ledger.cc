#include "store/receipt_ledger.h"

namespace tributary::agent {

void ReceiptLedger::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
-- The server's signed receipts, as they came. Never changed, never removed.
CREATE TABLE IF NOT EXISTS receipts (
  id               INTEGER PRIMARY KEY,
  practice         TEXT NOT NULL,
  from_seq         INTEGER NOT NULL,
  to_seq           INTEGER NOT NULL,
  acknowledged_seq INTEGER NOT NULL,
  changes_sha256   TEXT NOT NULL,
  at_ms            INTEGER NOT NULL,
  public_key       TEXT NOT NULL,
  signature        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS receipts_append_only_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'the receipt ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS receipts_append_only_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'the receipt ledger is append-only'); END;
)sql");
}

void ReceiptLedger::Append(const protocol::Receipt& r) {
  auto stmt = db_.Prepare(
      "INSERT INTO receipts (practice, from_seq, to_seq, acknowledged_seq, changes_sha256, at_ms, "
      "public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  stmt.Bind(1, r.practice)
      .Bind(2, static_cast<std::int64_t>(r.from_seq))
      .Bind(3, static_cast<std::int64_t>(r.to_seq))
      .Bind(4, static_cast<std::int64_t>(r.acknowledged_seq));
  stmt.Bind(5, r.changes_sha256)
      .Bind(6, static_cast<std::int64_t>(r.at_ms))
      .Bind(7, r.public_key)
      .Bind(8, r.signature);
  stmt.Run();
}

std::vector<protocol::Receipt> ReceiptLedger::All() {
  auto stmt = db_.Prepare(
      "SELECT practice, from_seq, to_seq, acknowledged_seq, changes_sha256, at_ms, public_key, "
      "signature FROM receipts ORDER BY id");
  std::vector<protocol::Receipt> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), static_cast<std::uint64_t>(stmt.ColumnInt(1)),
                   static_cast<std::uint64_t>(stmt.ColumnInt(2)),
                   static_cast<std::uint64_t>(stmt.ColumnInt(3)), stmt.ColumnText(4),
                   static_cast<std::uint64_t>(stmt.ColumnInt(5)), stmt.ColumnText(6),
                   stmt.ColumnText(7)});
  }
  return out;
}

}  // namespace tributary::agent
