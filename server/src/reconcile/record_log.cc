#include "reconcile/record_log.h"

namespace tributary::server {
namespace {

// Rows to a statement: keys looked up, and records and log entries written.
constexpr std::size_t kKeysPerFind = 256;
constexpr std::size_t kRowsPerWrite = 64;

std::string Repeated(const std::string& group, std::size_t times) {
  std::string text;
  for (std::size_t i = 0; i < times; ++i) text += (i ? ", " : "") + group;
  return text;
}

std::string UpsertSql(std::size_t rows) {
  return "INSERT INTO records (practice, dataset, record_key, period, fields, version, origin, "
         "updated_at_ms) VALUES " +
         Repeated("(?, ?, ?, ?, ?, ?, ?, ?)", rows) +
         " ON CONFLICT (practice, dataset, record_key) DO UPDATE SET period = excluded.period, "
         "fields = excluded.fields, version = excluded.version, origin = excluded.origin, "
         "updated_at_ms = excluded.updated_at_ms";
}

std::string LogSql(std::size_t rows) {
  return "INSERT INTO change_log (practice, dataset, record_key, op, fields, previous_fields, "
         "version, base_version, origin, seq, received_at_ms) VALUES " +
         Repeated("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
}

void BindUpsert(db::Statement& stmt, int at, const RecordWrite& c, std::int64_t now_ms) {
  stmt.Bind(at, c.practice).Bind(at + 1, c.dataset).Bind(at + 2, c.key).Bind(at + 3, c.period);
  stmt.Bind(at + 4, *c.fields).BindUnsigned(at + 5, c.version).Bind(at + 6, c.origin);
  stmt.Bind(at + 7, now_ms);
}

void BindLog(db::Statement& stmt, int at, const RecordWrite& c,
             const std::optional<std::string>& previous, std::int64_t now_ms) {
  stmt.Bind(at, c.practice).Bind(at + 1, c.dataset).Bind(at + 2, c.key);
  stmt.Bind(at + 3, c.fields ? "upsert" : "delete");
  if (c.fields) {
    stmt.Bind(at + 4, *c.fields);
  } else {
    stmt.BindNull(at + 4);
  }
  stmt.BindOptional(at + 5, previous).BindUnsigned(at + 6, c.version);
  stmt.BindUnsigned(at + 7, c.base_version).Bind(at + 8, c.origin).BindUnsigned(at + 9, c.seq);
  stmt.Bind(at + 10, now_ms);
}

}  // namespace

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

// One index seek per month held, not a scan of every record: SELECT
// DISTINCT would read all of records_by_month.
std::vector<std::string> RecordLog::Periods() {
  auto stmt = db_.Prepare(
      "WITH RECURSIVE held(period) AS ("
      "  SELECT min(period) FROM records"
      "  UNION ALL"
      "  SELECT (SELECT min(period) FROM records WHERE period > held.period) FROM held"
      "  WHERE held.period IS NOT NULL)"
      "SELECT period FROM held WHERE period IS NOT NULL ORDER BY period");
  std::vector<std::string> out;
  while (stmt.Step()) out.push_back(stmt.ColumnText(0));
  return out;
}

RecordLog::RecordLog(db::Connection& db)
    : db_(db),
      find_(db.Prepare("SELECT fields, version, origin, period FROM records "
                       "WHERE practice = ? AND dataset = ? AND record_key = ?")),
      upsert_(db.Prepare(UpsertSql(1))),
      remove_(
          db.Prepare("DELETE FROM records WHERE practice = ? AND dataset = ? AND record_key = ?")),
      log_(db.Prepare(LogSql(1))) {}

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

std::map<std::string, HeldRow> RecordLog::FindMany(const std::string& practice,
                                                   const std::string& dataset,
                                                   const std::vector<std::string>& keys) {
  std::map<std::string, HeldRow> held;
  if (keys.empty()) return held;
  auto stmt = db_.Prepare(
      "SELECT record_key, fields, version, origin, period FROM records "
      "WHERE practice = ? AND dataset = ? AND record_key IN (" +
      Repeated("?", kKeysPerFind) + ")");
  for (std::size_t i = 0; i < keys.size(); i += kKeysPerFind) {
    stmt.Bind(1, practice).Bind(2, dataset);
    for (std::size_t k = 0; k < kKeysPerFind; ++k) {
      // A short last group repeats its first key: one statement for all.
      stmt.Bind(3 + static_cast<int>(k), i + k < keys.size() ? keys[i + k] : keys[i]);
    }
    while (stmt.Step()) {
      held[stmt.ColumnText(0)] = HeldRow{stmt.ColumnText(1), stmt.ColumnUnsigned(2),
                                         stmt.ColumnText(3), stmt.ColumnText(4)};
    }
    stmt.Reset();
  }
  return held;
}

void RecordLog::Write(const RecordWrite& c, const std::optional<std::string>& previous,
                      std::int64_t now_ms) {
  if (c.fields) {
    BindUpsert(upsert_, 1, c, now_ms);
    upsert_.Run();
  } else {
    remove_.Bind(1, c.practice).Bind(2, c.dataset).Bind(3, c.key);
    remove_.Run();
  }
  BindLog(log_, 1, c, previous, now_ms);
  log_.Run();
}

void RecordLog::WriteMany(
    const std::vector<std::pair<RecordWrite, const std::optional<std::string>*>>& changes,
    std::int64_t now_ms) {
  static const std::optional<std::string> kNone;
  auto previous = [](const auto& change) -> const std::optional<std::string>& {
    return change.second ? *change.second : kNone;
  };
  auto upserts = db_.Prepare(UpsertSql(kRowsPerWrite));
  std::vector<const RecordWrite*> pending;
  auto flush = [&] {
    std::size_t i = 0;
    for (; i + kRowsPerWrite <= pending.size(); i += kRowsPerWrite) {
      for (std::size_t k = 0; k < kRowsPerWrite; ++k) {
        BindUpsert(upserts, 1 + static_cast<int>(k) * 8, *pending[i + k], now_ms);
      }
      upserts.Run();
    }
    for (; i < pending.size(); ++i) {
      BindUpsert(upsert_, 1, *pending[i], now_ms);
      upsert_.Run();
    }
    pending.clear();
  };
  for (const auto& change : changes) {
    const RecordWrite& c = change.first;
    if (c.fields) {
      pending.push_back(&c);
      continue;
    }
    flush();  // a delete after the upserts before it
    remove_.Bind(1, c.practice).Bind(2, c.dataset).Bind(3, c.key);
    remove_.Run();
  }
  flush();
  auto logs = db_.Prepare(LogSql(kRowsPerWrite));
  std::size_t i = 0;
  for (; i + kRowsPerWrite <= changes.size(); i += kRowsPerWrite) {
    for (std::size_t k = 0; k < kRowsPerWrite; ++k) {
      const auto& change = changes[i + k];
      BindLog(logs, 1 + static_cast<int>(k) * 11, change.first, previous(change), now_ms);
    }
    logs.Run();
  }
  for (; i < changes.size(); ++i) {
    BindLog(log_, 1, changes[i].first, previous(changes[i]), now_ms);
    log_.Run();
  }
}

}  // namespace tributary::server
