// Each practice-month's rollup totals, kept beside the records and re-totalled
// from them when stale, and the readings of a month's rollups. Part of
// ServerStore.
#include <set>

#include "rollup/rollup_service.h"
#include "rollup/rollup_totals_codec.h"
#include "store/server_store.h"
#include "store/stored_fields.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// Kept totals decoded, or an error naming the practice-month: bytes that do
// not decode are damage to the store, which `rollups verify` reports.
RollupTotals KeptTotalsOf(const std::string& practice, const std::string& period,
                          std::string_view bytes) {
  try {
    return DecodeRollupTotals(bytes);
  } catch (const std::exception& e) {
    throw Error::Database(
        "the kept rollup totals of " + practice + " " + period +
        " cannot be read (`tributary-server rollups verify` lists them): " + e.what());
  }
}

}  // namespace

std::optional<KeptTotals> ServerStore::ComputeRollupLocked(const std::string& practice,
                                                           const std::string& period) {
  auto stmt = db_.Prepare(
      "SELECT dataset, fields FROM records INDEXED BY records_by_month "
      "WHERE practice = ? AND period = ? "
      "AND dataset IN ('workforce', 'appointments', 'list_size') ORDER BY dataset, record_key");
  stmt.Bind(1, practice).Bind(2, period);
  std::vector<ServerRecord> records;
  while (stmt.Step()) {
    records.push_back({practice, stmt.ColumnText(0), StoredFields(stmt.ColumnText(1))});
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
  return KeptTotals{EncodeRollupTotals(totals), server::AppointmentsPerThousand(totals)};
}

void ServerStore::RefreshRollupLocked(const std::string& practice, const std::string& period) {
  std::optional<KeptTotals> kept = ComputeRollupLocked(practice, period);
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

void ServerStore::MarkMonthChangedLocked(const std::string& practice, const std::string& period) {
  auto mark = db_.Prepare("INSERT OR IGNORE INTO rollup_stale (period, practice) VALUES (?, ?)");
  mark.Bind(1, period).Bind(2, practice);
  mark.Run();
  PublishedFindings(db_).MarkStale(period);
}

void ServerStore::RefreshStaleRollupsLocked(const std::optional<std::string>& period) {
  sqlite::Transaction txn(db_);
  auto stale = db_.Prepare(period ? "SELECT practice, period FROM rollup_stale WHERE period = ?"
                                  : "SELECT practice, period FROM rollup_stale");
  if (period) stale.Bind(1, *period);
  std::vector<std::pair<std::string, std::string>> months;
  while (stale.Step()) months.emplace_back(stale.ColumnText(0), stale.ColumnText(1));
  for (const auto& [practice, month] : months) RefreshRollupLocked(practice, month);
  auto clear = db_.Prepare(period ? "DELETE FROM rollup_stale WHERE period = ?"
                                  : "DELETE FROM rollup_stale");
  if (period) clear.Bind(1, *period);
  clear.Run();
  txn.Commit();
}

void ServerStore::ReadReturnStatesLocked(const std::string& period,
                                         const std::optional<std::vector<std::string>>& practices,
                                         RollupMonth& month) {
  auto add = [&month, &period](sqlite::Statement& stmt) {
    while (stmt.Step()) {
      std::string state = stmt.ColumnText(2);
      std::optional<ReturnState> parsed = ParseReturnState(state);
      if (!parsed) {
        throw Error::Database("the " + stmt.ColumnText(0) + "/" + stmt.ColumnText(1) + "/" +
                              period + " return has an unreadable state '" + state + "'");
      }
      month.returns[stmt.ColumnText(0)][stmt.ColumnText(1)] = *parsed;
    }
  };
  if (!practices) {
    auto returns = db_.Prepare("SELECT practice, dataset, state FROM returns WHERE period = ?");
    returns.Bind(1, period);
    add(returns);
    return;
  }
  auto returns =
      db_.Prepare("SELECT practice, dataset, state FROM returns WHERE practice = ? AND period = ?");
  for (const std::string& practice : *practices) {
    returns.Bind(1, practice).Bind(2, period);
    add(returns);
    returns.Reset();
  }
}

RollupMonth ServerStore::ReadRollupMonth(const std::string& period,
                                         const std::optional<std::vector<std::string>>& practices) {
  std::lock_guard lock(mutex_);
  RefreshStaleRollupsLocked(period);
  sqlite::ReadTransaction snapshot(db_);
  RollupMonth month;
  ReadReturnStatesLocked(period, practices, month);
  if (!practices) {
    auto totals = db_.Prepare(
        "SELECT practice, totals FROM rollup_practice_months WHERE period = ? ORDER BY practice");
    totals.Bind(1, period);
    while (totals.Step()) {
      std::string practice = totals.ColumnText(0);
      RollupTotals kept = KeptTotalsOf(practice, period, totals.ColumnBlob(1));
      month.totals.emplace(std::move(practice), std::move(kept));
    }
    return month;
  }
  auto totals =
      db_.Prepare("SELECT totals FROM rollup_practice_months WHERE period = ? AND practice = ?");
  for (const std::string& practice : *practices) {
    totals.Bind(1, period).Bind(2, practice);
    if (totals.Step()) {
      month.totals.emplace(practice, KeptTotalsOf(practice, period, totals.ColumnBlob(0)));
    }
    totals.Reset();
  }
  return month;
}

std::vector<std::string> ServerStore::RollupDifferences() {
  std::lock_guard lock(mutex_);
  RefreshStaleRollupsLocked(std::nullopt);  // stale is pending, not wrong
  sqlite::Transaction txn(db_);             // one consistent reading
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
    std::optional<KeptTotals> expected = ComputeRollupLocked(practice, period);
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
