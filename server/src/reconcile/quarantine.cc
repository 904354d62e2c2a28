#include "reconcile/quarantine.h"

namespace tributary::server {

std::string_view RefusalCodeName(RefusalCode code) {
  switch (code) {
    case RefusalCode::kInvalid:
      return "invalid";
    case RefusalCode::kPeriodClosed:
      return "period_closed";
    case RefusalCode::kReturnLocked:
      return "return_locked";
  }
  return "invalid";
}

void Quarantine::CreateSchema(db::Connection& db) {
  if (db.HasColumn("quarantine", "seq") && !db.HasColumn("quarantine", "code")) {
    db.ExecSchema(
        "ALTER TABLE quarantine ADD COLUMN code TEXT NOT NULL DEFAULT 'invalid';"
        "UPDATE quarantine SET code = 'return_locked' WHERE reasons LIKE '%is locked%';");
  }
  db.ExecSchema(R"sql(
-- Changes kept but not applied: kept, visible, fixable by a later change.
CREATE TABLE IF NOT EXISTS quarantine (
  agent_id       TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  practice       TEXT NOT NULL,
  dataset        TEXT NOT NULL,
  record_key     TEXT NOT NULL,
  period         TEXT NOT NULL,  -- '' when the change names no month
  fields         TEXT,
  reasons        TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,
  code           TEXT NOT NULL DEFAULT 'invalid',  -- invalid, period_closed, return_locked
  PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;
)sql");
}

Quarantine::Quarantine(db::Connection& db)
    : db_(db),
      keep_(db.Prepare(
          "INSERT INTO quarantine (agent_id, seq, practice, dataset, record_key, period, fields, "
          "reasons, received_at_ms, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (agent_id, seq) DO UPDATE SET practice = excluded.practice, "
          "dataset = excluded.dataset, record_key = excluded.record_key, "
          "period = excluded.period, fields = excluded.fields, reasons = excluded.reasons, "
          "received_at_ms = excluded.received_at_ms, code = excluded.code")) {}

void Quarantine::Keep(const std::string& agent_id, std::uint64_t seq, const std::string& practice,
                      const std::string& dataset, const std::string& key, const std::string& period,
                      const std::string& fields, const std::string& reasons, RefusalCode code,
                      std::int64_t now_ms) {
  keep_.Bind(1, agent_id).BindUnsigned(2, seq).Bind(3, practice).Bind(4, dataset).Bind(5, key);
  keep_.Bind(6, period).Bind(7, fields).Bind(8, reasons).Bind(9, now_ms);
  keep_.Bind(10, RefusalCodeName(code));
  keep_.Run();
}

std::vector<RefusedChange> Quarantine::Of(const ReturnKey& key) {
  auto stmt = db_.Prepare(
      "SELECT seq, record_key, code, reasons, coalesce(fields, ''), received_at_ms "
      "FROM quarantine WHERE practice = ? AND period = ? AND "
      "(dataset = ? OR (dataset = 'submission' AND "
      "CASE WHEN fields <> '' THEN json_extract(fields, '$.dataset') END = ?)) "
      "ORDER BY received_at_ms DESC, seq DESC LIMIT 50");
  stmt.Bind(1, key.practice).Bind(2, key.period).Bind(3, key.dataset).Bind(4, key.dataset);
  std::vector<RefusedChange> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnUnsigned(0), stmt.ColumnText(1), stmt.ColumnText(2),
                   stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnInt(5)});
  }
  return out;
}

}  // namespace tributary::server
