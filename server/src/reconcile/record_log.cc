#include "reconcile/record_log.h"

namespace tributary::server {

void RecordLog::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- The current value of every record, per practice.
CREATE TABLE IF NOT EXISTS records (
  practice      TEXT NOT NULL,
  dataset       TEXT NOT NULL,
  record_key    TEXT NOT NULL,
  period        TEXT NOT NULL,
  fields        TEXT NOT NULL,
  version       INTEGER NOT NULL,
  origin        TEXT NOT NULL,   -- agent id, or user for central corrections
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (practice, dataset, record_key)
) WITHOUT ROWID;
-- By month first: the readings that look at a whole month (rollup totals,
-- cross-practice rules, the months held) find it without scanning the nation,
-- and a practice's month is still one range. Replaces records_by_period
-- (practice first), which the same writes kept for fewer readers.
DROP INDEX IF EXISTS records_by_period;
CREATE INDEX IF NOT EXISTS records_by_month ON records (period, dataset, practice);

-- Every change applied, append-only: who, when, and what it replaced.
CREATE TABLE IF NOT EXISTS change_log (
  id              INTEGER PRIMARY KEY,
  practice        TEXT NOT NULL,
  dataset         TEXT NOT NULL,
  record_key      TEXT NOT NULL,
  op              TEXT NOT NULL,
  fields          TEXT,
  previous_fields TEXT,
  version         INTEGER NOT NULL,
  base_version    INTEGER NOT NULL,
  origin          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  received_at_ms  INTEGER NOT NULL
);
)sql");
}

RecordLog::RecordLog(db::Connection& db)
    : db_(db),
      find_(db.Prepare("SELECT fields, version, origin, period FROM records "
                       "WHERE practice = ? AND dataset = ? AND record_key = ?")),
      upsert_(db.Prepare(
          "INSERT INTO records (practice, dataset, record_key, period, fields, version, origin, "
          "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (practice, dataset, record_key) DO UPDATE SET period = excluded.period, "
          "fields = excluded.fields, version = excluded.version, origin = excluded.origin, "
          "updated_at_ms = excluded.updated_at_ms")),
      remove_(
          db.Prepare("DELETE FROM records WHERE practice = ? AND dataset = ? AND record_key = ?")),
      log_(db.Prepare(
          "INSERT INTO change_log (practice, dataset, record_key, op, fields, previous_fields, "
          "version, base_version, origin, seq, received_at_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {}

std::optional<HeldRow> RecordLog::Find(const std::string& practice, const std::string& dataset,
                                       const std::string& key) {
  find_.Bind(1, practice).Bind(2, dataset).Bind(3, key);
  std::optional<HeldRow> held;
  if (find_.Step()) {
    held = HeldRow{find_.ColumnText(0), find_.ColumnUnsigned(1), find_.ColumnText(2),
                   find_.ColumnText(3)};
  }
  find_.Reset();
  return held;
}

void RecordLog::Write(const RecordWrite& c, const std::optional<std::string>& previous,
                      std::int64_t now_ms) {
  if (c.fields) {
    upsert_.Bind(1, c.practice).Bind(2, c.dataset).Bind(3, c.key).Bind(4, c.period);
    upsert_.Bind(5, *c.fields).BindUnsigned(6, c.version).Bind(7, c.origin).Bind(8, now_ms);
    upsert_.Run();
  } else {
    remove_.Bind(1, c.practice).Bind(2, c.dataset).Bind(3, c.key);
    remove_.Run();
  }
  log_.Bind(1, c.practice)
      .Bind(2, c.dataset)
      .Bind(3, c.key)
      .Bind(4, c.fields ? "upsert" : "delete");
  if (c.fields)
    log_.Bind(5, *c.fields);
  else
    log_.BindNull(5);
  log_.BindOptional(6, previous).BindUnsigned(7, c.version).BindUnsigned(8, c.base_version);
  log_.Bind(9, c.origin).BindUnsigned(10, c.seq).Bind(11, now_ms);
  log_.Run();
}

}  // namespace tributary::server
