#include "reporting/reporting_tables.h"

#include <algorithm>

namespace tributary::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS reporting_months (
  period          TEXT NOT NULL,
  ics             TEXT NOT NULL,
  mark            INTEGER NOT NULL,   -- feed_events' last id when computed
  refreshed_at_ms INTEGER NOT NULL,
  PRIMARY KEY (period, ics)
) WITHOUT ROWID;

-- Figures as the API writes them (rollup/rollup_row.h FormatValue), so the
-- views' numbers are the CSV's.
CREATE TABLE IF NOT EXISTS reporting_rollups (
  period            TEXT NOT NULL,
  ics               TEXT NOT NULL,
  ordinal           INTEGER NOT NULL,
  level             TEXT NOT NULL,
  code              TEXT NOT NULL,
  dataset           TEXT NOT NULL,
  measure           TEXT NOT NULL,
  staff_group       TEXT NOT NULL,
  staff_role        TEXT NOT NULL,
  hcp_type          TEXT NOT NULL,
  appt_mode         TEXT NOT NULL,
  appt_status       TEXT NOT NULL,
  booking_interval  TEXT NOT NULL,
  value             TEXT NOT NULL,
  practices_covered INTEGER NOT NULL,
  PRIMARY KEY (period, ics, ordinal)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reporting_orgs (
  period     TEXT NOT NULL,
  ics        TEXT NOT NULL,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  org_type   TEXT NOT NULL,
  parent     TEXT NOT NULL,
  pcn        TEXT NOT NULL,
  place      TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT NOT NULL,
  PRIMARY KEY (period, ics, code)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reporting_scopes (
  role TEXT NOT NULL,
  ics  TEXT NOT NULL,
  PRIMARY KEY (role, ics)
) WITHOUT ROWID;
)sql";

// Rows per INSERT: one round trip to PostgreSQL per this many figures.
constexpr std::size_t kRowsPerInsert = 64;
constexpr int kRollupColumns = 15;

std::string RollupInsert(std::size_t rows) {
  std::string sql =
      "INSERT INTO reporting_rollups (period, ics, ordinal, level, code, dataset, measure, "
      "staff_group, staff_role, hcp_type, appt_mode, appt_status, booking_interval, value, "
      "practices_covered) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "(" : ", (";
    for (int c = 0; c < kRollupColumns; ++c) sql += c == 0 ? "?" : ", ?";
    sql += ")";
  }
  return sql;
}

void BindRollup(db::Statement& stmt, int first, const ReportingMonth& month, std::size_t ordinal) {
  const RollupRow& r = month.rows[ordinal];
  stmt.Bind(first, month.period).Bind(first + 1, month.ics);
  stmt.Bind(first + 2, static_cast<std::int64_t>(ordinal));
  stmt.Bind(first + 3, r.level).Bind(first + 4, r.code).Bind(first + 5, r.dataset);
  stmt.Bind(first + 6, r.measure).Bind(first + 7, r.staff_group).Bind(first + 8, r.staff_role);
  stmt.Bind(first + 9, r.hcp_type).Bind(first + 10, r.appt_mode).Bind(first + 11, r.appt_status);
  stmt.Bind(first + 12, r.booking_interval).Bind(first + 13, FormatValue(r.value));
  stmt.Bind(first + 14, r.practices_covered);
}

}  // namespace

void ReportingTables::CreateSchema(db::Connection& db) { db.ExecSchema(kSchema); }

bool ReportingTables::Replace(const ReportingMonth& month, std::int64_t mark, std::int64_t now_ms) {
  auto held = db_.Prepare("SELECT mark FROM reporting_months WHERE period = ? AND ics = ?");
  held.Bind(1, month.period).Bind(2, month.ics);
  if (held.Step() && held.ColumnInt(0) > mark) return false;
  held.Reset();
  for (const char* table : {"reporting_rollups", "reporting_orgs"}) {
    auto remove =
        db_.Prepare(std::string("DELETE FROM ") + table + " WHERE period = ? AND ics = ?");
    remove.Bind(1, month.period).Bind(2, month.ics);
    remove.Run();
  }
  auto many = db_.Prepare(RollupInsert(kRowsPerInsert));
  auto one = db_.Prepare(RollupInsert(1));
  std::size_t i = 0;
  for (; i + kRowsPerInsert <= month.rows.size(); i += kRowsPerInsert) {
    for (std::size_t k = 0; k < kRowsPerInsert; ++k) {
      BindRollup(many, static_cast<int>(k) * kRollupColumns + 1, month, i + k);
    }
    many.Run();
  }
  for (; i < month.rows.size(); ++i) {
    BindRollup(one, 1, month, i);
    one.Run();
  }
  auto org = db_.Prepare(
      "INSERT INTO reporting_orgs (period, ics, code, name, org_type, parent, pcn, place, "
      "valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const ReportingOrg& o : month.orgs) {
    org.Bind(1, month.period).Bind(2, month.ics).Bind(3, o.code).Bind(4, o.name);
    org.Bind(5, o.org_type).Bind(6, o.parent).Bind(7, o.pcn).Bind(8, o.place);
    org.Bind(9, o.valid_from).Bind(10, o.valid_to);
    org.Run();
  }
  auto done = db_.Prepare(
      "INSERT INTO reporting_months (period, ics, mark, refreshed_at_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (period, ics) DO UPDATE SET mark = excluded.mark, "
      "refreshed_at_ms = excluded.refreshed_at_ms");
  done.Bind(1, month.period).Bind(2, month.ics).Bind(3, mark).Bind(4, now_ms);
  done.Run();
  return true;
}

void ReportingTables::RemoveOthers(const std::string& period, const std::vector<std::string>& keep,
                                   std::int64_t mark) {
  auto held = db_.Prepare("SELECT ics FROM reporting_months WHERE period = ? AND mark <= ?");
  held.Bind(1, period).Bind(2, mark);
  std::vector<std::string> gone;
  while (held.Step()) {
    std::string ics = held.ColumnText(0);
    if (std::find(keep.begin(), keep.end(), ics) == keep.end()) gone.push_back(ics);
  }
  for (const std::string& ics : gone) {
    for (const char* table : {"reporting_rollups", "reporting_orgs", "reporting_months"}) {
      auto remove =
          db_.Prepare(std::string("DELETE FROM ") + table + " WHERE period = ? AND ics = ?");
      remove.Bind(1, period).Bind(2, ics);
      remove.Run();
    }
  }
}

std::vector<std::string> ReportingTables::Periods() {
  auto stmt = db_.Prepare("SELECT DISTINCT period FROM reporting_months ORDER BY period");
  std::vector<std::string> periods;
  while (stmt.Step()) periods.push_back(stmt.ColumnText(0));
  return periods;
}

}  // namespace tributary::server
