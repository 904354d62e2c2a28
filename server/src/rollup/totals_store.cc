#include "rollup/totals_store.h"

#include <set>

#include "rollup/rollup_service.h"
#include "rollup/rollup_totals_codec.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// Kept totals decoded, or an error naming the practice-month: bytes that do
// not decode are damage to the store, which `rollups verify` reports.
RollupTotals KeptTotalsOf(const std::string& practice, const std::string& period,
                          std::string_view bytes) {
  try {
    return DecodeRollupTotals(bytes);
  } catch (const Error& e) {
    throw Error::Database(
        "the kept rollup totals of " + practice + " " + period +
        " cannot be read (`tributary-server rollups verify` lists them): " + e.what());
  }
}

}  // namespace

void TotalsStore::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- What each practice's month adds to the rollups (rollup/rollup_totals.h),
-- and the practice's own appointment rate beside them, for the cross-practice
-- rules: reading thirteen months of a nation's totals to find it would read
-- gigabytes.
CREATE TABLE IF NOT EXISTS rollup_practice_months (
  period   TEXT NOT NULL,
  practice TEXT NOT NULL,
  totals   BLOB NOT NULL,  -- rollup/rollup_totals_codec.h (TEXT in stores made before schema 3)
  appointments_per_thousand REAL,  -- NULL without appointments and a list size
  PRIMARY KEY (period, practice)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_stale (
  period   TEXT NOT NULL,
  practice TEXT NOT NULL,
  PRIMARY KEY (period, practice)
) WITHOUT ROWID;
)sql");
  // The rate column and the index that reads it without the totals: a rate
  // stored after 13 KB of totals is read by walking their overflow pages (24
  // ms for 630 practices' month, against 0.3 ms from this covering index).
  // Stores made before the column fill it from the JSON totals they keep (the
  // same division as AppointmentsPerThousand; `rollups verify` compares).
  if (!db.HasColumn("rollup_practice_months", "appointments_per_thousand")) {
    db.ExecSchema(
        "ALTER TABLE rollup_practice_months ADD COLUMN appointments_per_thousand REAL;"
        "UPDATE rollup_practice_months SET appointments_per_thousand = "
        "json_extract(totals, '$.appointments_with_list') / "
        "json_extract(totals, '$.list_for_appointments') * 1000 "
        "WHERE json_extract(totals, '$.practices_appointment_rate') > 0;");
  }
  db.ExecSchema(
      "CREATE INDEX IF NOT EXISTS rollup_rates "
      "ON rollup_practice_months (period, practice, appointments_per_thousand)");
}

// Schema 3 keeps totals in the binary form every rollup read decodes instead
// of parsing JSON (rollup/rollup_totals_codec.h). Stores made before keep
// JSON, which they re-total from their records: converting the JSON would
// be quicker, but its decimal sums do not always read back to the doubles
// they were written from, and `rollups verify` compares exactly.
std::size_t TotalsStore::RetotalJson(const std::function<void(const std::string&)>& progress) {
  std::vector<std::pair<std::string, std::string>> months;
  auto text = db_.Prepare(
      "SELECT period, practice FROM rollup_practice_months WHERE typeof(totals) = 'text'");
  while (text.Step()) months.emplace_back(text.ColumnText(0), text.ColumnText(1));
  std::size_t done = 0;
  for (const auto& [period, practice] : months) {
    Refresh(practice, period);
    if (progress && ++done % 100 == 0) {
      progress("upgrading the store: re-totalled " + std::to_string(done) + " of " +
               std::to_string(months.size()) + " practice-months");
    }
  }
  return months.size();
}

std::optional<KeptTotals> TotalsStore::Compute(const std::string& practice,
                                               const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT dataset, fields FROM records INDEXED BY records_by_month "
      "WHERE practice = ? AND period = ? "
      "AND dataset IN ('workforce', 'appointments', 'list_size') ORDER BY dataset, record_key");
  stmt.Bind(1, practice).Bind(2, period);
  std::vector<ServerRecord> records;
  while (stmt.Step()) {
    records.push_back({practice, stmt.ColumnText(0), ParseCanonicalJson(stmt.ColumnText(1))});
  }
  auto months = GroupByPractice(records);
  if (months.empty()) return std::nullopt;
  RollupTotals totals;
  try {
    totals = PracticeTotals(practice, months.begin()->second);
  } catch (const std::exception& e) {
    // Validation keeps such records out; one that got in stops this month's
    // rollups, so say which.
    throw Error::Database("the records of " + practice + " " + period +
                          " cannot be totalled: " + e.what());
  }
  if (totals.empty()) return std::nullopt;
  return KeptTotals{EncodeRollupTotals(totals), AppointmentsPerThousand(totals)};
}

void TotalsStore::Refresh(const std::string& practice, const std::string& period) {
  std::optional<KeptTotals> kept = Compute(practice, period);
  if (!kept) {
    auto remove =
        db_.Prepare("DELETE FROM rollup_practice_months WHERE period = ? AND practice = ?");
    remove.Bind(1, period).Bind(2, practice);
    remove.Run();
    return;
  }
  auto save = db_.Prepare(
      "INSERT INTO rollup_practice_months (period, practice, totals, appointments_per_thousand) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (period, practice) DO UPDATE SET "
      "totals = excluded.totals, appointments_per_thousand = excluded.appointments_per_thousand");
  save.Bind(1, period).Bind(2, practice).BindBlob(3, kept->encoded);
  if (kept->appointments_per_thousand) save.Bind(4, *kept->appointments_per_thousand);
  save.Run();
}

void TotalsStore::MarkStale(const std::string& practice, const std::string& period) {
  auto mark = db_.Prepare(
      "INSERT INTO rollup_stale (period, practice) VALUES (?, ?) ON CONFLICT DO NOTHING");
  mark.Bind(1, period).Bind(2, practice);
  mark.Run();
}

void TotalsStore::RefreshStale(const std::optional<std::string>& period) {
  auto stale = db_.Prepare(period ? "SELECT practice, period FROM rollup_stale WHERE period = ?"
                                  : "SELECT practice, period FROM rollup_stale");
  if (period) stale.Bind(1, *period);
  std::vector<std::pair<std::string, std::string>> months;
  while (stale.Step()) months.emplace_back(stale.ColumnText(0), stale.ColumnText(1));
  for (const auto& [practice, month] : months) Refresh(practice, month);
  auto clear = db_.Prepare(period ? "DELETE FROM rollup_stale WHERE period = ?"
                                  : "DELETE FROM rollup_stale");
  if (period) clear.Bind(1, *period);
  clear.Run();
}

std::map<std::string, RollupTotals> TotalsStore::Read(
    const std::string& period, const std::optional<std::vector<std::string>>& practices) {
  std::map<std::string, RollupTotals> out;
  if (!practices) {
    auto totals = db_.Prepare(
        "SELECT practice, totals FROM rollup_practice_months WHERE period = ? ORDER BY practice");
    totals.Bind(1, period);
    while (totals.Step()) {
      std::string practice = totals.ColumnText(0);
      RollupTotals kept = KeptTotalsOf(practice, period, totals.ColumnBlob(1));
      out.emplace(std::move(practice), std::move(kept));
    }
    return out;
  }
  auto totals =
      db_.Prepare("SELECT totals FROM rollup_practice_months WHERE period = ? AND practice = ?");
  for (const std::string& practice : *practices) {
    totals.Bind(1, period).Bind(2, practice);
    if (totals.Step()) out.emplace(practice, KeptTotalsOf(practice, period, totals.ColumnBlob(0)));
    totals.Reset();
  }
  return out;
}

std::map<std::string, double> TotalsStore::AppointmentRates(const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT practice, appointments_per_thousand FROM rollup_practice_months "
      "WHERE period = ? AND appointments_per_thousand IS NOT NULL");
  stmt.Bind(1, period);
  std::map<std::string, double> out;
  while (stmt.Step()) out.emplace(stmt.ColumnText(0), stmt.ColumnDouble(1));
  return out;
}

std::vector<std::string> TotalsStore::Differences() {
  // Practice-months only, not their totals: a nation's kept totals are
  // hundreds of megabytes. Each is read when compared.
  std::set<std::pair<std::string, std::string>> months;
  auto kept = db_.Prepare("SELECT practice, period FROM rollup_practice_months");
  while (kept.Step()) months.emplace(kept.ColumnText(0), kept.ColumnText(1));
  auto held = db_.Prepare(
      "SELECT DISTINCT practice, period FROM records INDEXED BY records_by_month "
      "WHERE dataset IN ('workforce', 'appointments', 'list_size')");
  while (held.Step()) months.emplace(held.ColumnText(0), held.ColumnText(1));
  auto stored = db_.Prepare(
      "SELECT totals, appointments_per_thousand FROM rollup_practice_months "
      "WHERE period = ? AND practice = ?");
  std::vector<std::string> differences;
  for (const auto& [practice, period] : months) {
    std::optional<KeptTotals> expected = Compute(practice, period);
    stored.Bind(1, period).Bind(2, practice);
    std::optional<KeptTotals> actual;
    if (stored.Step()) {
      actual = KeptTotals{stored.ColumnBlob(0), std::nullopt};
      if (!stored.ColumnIsNull(1)) actual->appointments_per_thousand = stored.ColumnDouble(1);
    }
    stored.Reset();
    if (expected != actual) {
      differences.push_back(practice + " " + period + ": " +
                            (!actual     ? "missing from the rollups"
                             : !expected ? "in the rollups but has no records"
                                         : "rollup totals differ from the records"));
    }
  }
  return differences;
}

}  // namespace tributary::server
