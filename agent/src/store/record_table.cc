#include "store/record_table.h"

namespace tributary::agent {
namespace {

std::optional<HlcTimestamp> HeldBase(sqlite::Statement& stmt, int column) {
  if (stmt.ColumnIsNull(column)) return std::nullopt;
  return stmt.ColumnUnsigned(column);
}

}  // namespace

void RecordTable::CreateSchema(sqlite::Database& db) {
  // Stores made before records could wait for a person key.
  if (db.HasColumn("records", "fields") && !db.HasColumn("records", "held_base")) {
    db.Exec("ALTER TABLE records ADD COLUMN held_base INTEGER");
  }
  db.Exec(R"sql(
-- The current value of every record held at the practice.
CREATE TABLE IF NOT EXISTS records (
  dataset    TEXT NOT NULL,
  record_key TEXT NOT NULL,
  period     TEXT NOT NULL,
  fields     TEXT NOT NULL,    -- canonical JSON of the wire fields
  version    INTEGER NOT NULL, -- HLC timestamp of the last change
  held_base  INTEGER,          -- set while held back from the outbox: the server's version
  PRIMARY KEY (dataset, record_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_period ON records (dataset, period);
-- The few records held for a person key, found without reading the rest.
CREATE INDEX IF NOT EXISTS records_held ON records (dataset, period) WHERE held_base IS NOT NULL;
)sql");
}

RecordTable::RecordTable(sqlite::Database& db)
    : db_(db),
      write_(db.Prepare(
          "INSERT INTO records (dataset, record_key, period, fields, version, held_base) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dataset, record_key) DO UPDATE SET "
          "period = excluded.period, fields = excluded.fields, version = excluded.version, "
          "held_base = excluded.held_base")),
      remove_(db.Prepare("DELETE FROM records WHERE dataset = ? AND record_key = ?")) {}

std::optional<StoredRecord> RecordTable::Find(const std::string& dataset, const std::string& key) {
  auto stmt = db_.Prepare(
      "SELECT record_key, period, fields, version, held_base FROM records "
      "WHERE dataset = ? AND record_key = ?");
  stmt.Bind(1, dataset).Bind(2, key);
  if (!stmt.Step()) return std::nullopt;
  return StoredRecord{stmt.ColumnText(0), stmt.ColumnText(1),
                      ParseCanonicalJson(stmt.ColumnText(2)), stmt.ColumnUnsigned(3),
                      HeldBase(stmt, 4)};
}

std::vector<StoredRecord> RecordTable::InMonth(const std::string& dataset,
                                               const std::string& period) {
  std::vector<StoredRecord> records;
  for (Row& row : RowsInMonth(dataset, period)) {
    records.push_back(
        {std::move(row.key), period, ParseCanonicalJson(row.fields), row.version, row.held_base});
  }
  return records;
}

std::vector<RecordTable::Row> RecordTable::RowsInMonth(const std::string& dataset,
                                                       const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT record_key, fields, version, held_base FROM records "
      "WHERE dataset = ? AND period = ? ORDER BY record_key");
  stmt.Bind(1, dataset).Bind(2, period);
  std::vector<Row> rows;
  while (stmt.Step()) {
    rows.push_back(
        {stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnUnsigned(2), HeldBase(stmt, 3)});
  }
  return rows;
}

std::optional<HlcTimestamp> RecordTable::VersionOf(const std::string& dataset,
                                                   const std::string& key) {
  auto stmt = db_.Prepare("SELECT version FROM records WHERE dataset = ? AND record_key = ?");
  stmt.Bind(1, dataset).Bind(2, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnUnsigned(0);
}

void RecordTable::Write(const std::string& dataset, const std::string& key,
                        const std::string& period, const std::string& fields_json,
                        HlcTimestamp version, std::optional<HlcTimestamp> held_base) {
  write_.Bind(1, dataset).Bind(2, key).Bind(3, period).Bind(4, fields_json);
  write_.BindUnsigned(5, version);
  if (held_base) {
    write_.BindUnsigned(6, *held_base);
  } else {
    write_.BindNull(6);
  }
  write_.Run();
}

void RecordTable::Remove(const std::string& dataset, const std::string& key) {
  remove_.Bind(1, dataset).Bind(2, key);
  remove_.Run();
}

std::vector<PeriodCount> RecordTable::Counts() {
  auto stmt = db_.Prepare(
      "SELECT dataset, period, count(*) FROM records GROUP BY dataset, period "
      "ORDER BY dataset, period");
  std::vector<PeriodCount> counts;
  while (stmt.Step()) {
    counts.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2)});
  }
  return counts;
}

}  // namespace tributary::agent

namespace tributary::agent {

std::vector<StoredRecord> RecordTable::Held(const std::string& dataset) {
  auto stmt = db_.Prepare(
      "SELECT record_key, period, fields, version, held_base FROM records "
      "WHERE dataset = ? AND held_base IS NOT NULL ORDER BY record_key");
  stmt.Bind(1, dataset);
  std::vector<StoredRecord> held;
  while (stmt.Step()) {
    held.push_back({stmt.ColumnText(0), stmt.ColumnText(1), ParseCanonicalJson(stmt.ColumnText(2)),
                    stmt.ColumnUnsigned(3), HeldBase(stmt, 4)});
  }
  return held;
}

bool RecordTable::AnyHeld(const std::string& dataset, const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT 1 FROM records WHERE dataset = ? AND period = ? AND held_base IS NOT NULL LIMIT 1");
  stmt.Bind(1, dataset).Bind(2, period);
  return stmt.Step();
}

std::size_t RecordTable::HeldCount() {
  auto stmt = db_.Prepare("SELECT count(*) FROM records WHERE held_base IS NOT NULL");
  stmt.Step();
  return static_cast<std::size_t>(stmt.ColumnUnsigned(0));
}

}  // namespace tributary::agent
