#include "rollup/rollup_readings.h"

#include "periods/month_figures.h"
#include "reconcile/record_log.h"
#include "rollup/totals_store.h"
#include "store/server_store.h"

namespace tributary::server {
namespace {

// The states of the month's returns that anyone acted on, into `month`.
void ReadReturnStates(db::Connection& db, const std::string& period,
                      const std::optional<std::vector<std::string>>& practices,
                      RollupMonth& month) {
  auto add = [&month, &period](db::Statement& stmt) {
    while (stmt.Step()) {
      month.returns[stmt.ColumnText(0)][stmt.ColumnText(1)] =
          StoredReturnState(stmt.ColumnText(2), "the " + stmt.ColumnText(0) + "/" +
                                                    stmt.ColumnText(1) + "/" + period + " return");
    }
  };
  if (!practices) {
    auto returns = db.Prepare("SELECT practice, dataset, state FROM returns WHERE period = ?");
    returns.Bind(1, period);
    add(returns);
    return;
  }
  auto returns =
      db.Prepare("SELECT practice, dataset, state FROM returns WHERE practice = ? AND period = ?");
  for (const std::string& practice : *practices) {
    returns.Bind(1, practice).Bind(2, period);
    add(returns);
    returns.Reset();
  }
}

}  // namespace

void RollupReadings::RefreshStale(const std::optional<std::string>& period) {
  store_.Write([&](StoreTransaction& t) { TotalsStore(t.db()).RefreshStale(period); });
}

RollupMonth RollupReadings::Latest(const std::string& period,
                                   const std::optional<std::vector<std::string>>& practices) {
  RefreshStale(period);
  return store_.Read([&](StoreReading& r) {
    RollupMonth month;
    ReadReturnStates(r.db(), period, practices, month);
    month.totals = TotalsStore(r.db()).Read(period, practices);
    return month;
  });
}

// Each return that is approved or locked counts as it was approved; the rest
// count for nothing (but for coverage).
RollupMonth RollupReadings::Approved(const std::string& period,
                                     const std::optional<std::vector<std::string>>& practices) {
  return store_.Read([&](StoreReading& r) {
    RollupMonth month;
    ReadReturnStates(r.db(), period, practices, month);
    std::vector<std::string> approved_practices;
    if (practices) {
      approved_practices = *practices;
    } else {
      auto approved = r.db().Prepare(
          "SELECT DISTINCT practice FROM returns "
          "WHERE period = ? AND state IN ('approved', 'locked') ORDER BY practice");
      approved.Bind(1, period);
      while (approved.Step()) approved_practices.push_back(approved.ColumnText(0));
    }
    auto records = r.db().Prepare(
        "SELECT a.dataset, a.fields FROM return_approved_records a JOIN returns r "
        "ON r.practice = a.practice AND r.dataset = a.dataset AND r.period = a.period "
        "WHERE a.practice = ? AND a.period = ? AND r.state IN ('approved', 'locked') "
        "ORDER BY a.dataset, a.record_key");
    MonthFigures figures(period);
    for (const std::string& practice : approved_practices) {
      records.Bind(1, practice).Bind(2, period);
      std::vector<ServerRecord> held;
      while (records.Step()) {
        held.push_back(
            {practice, records.ColumnText(0), ParseCanonicalJson(records.ColumnText(1))});
      }
      records.Reset();
      figures.AddPractice(practice, held);
    }
    month.totals = figures.totals();
    return month;
  });
}

std::map<std::string, double> RollupReadings::AppointmentsPerThousand(const std::string& period) {
  RefreshStale(period);
  return store_.Read([&](StoreReading& r) { return TotalsStore(r.db()).AppointmentRates(period); });
}

std::vector<std::string> RollupReadings::Differences() {
  RefreshStale(std::nullopt);  // stale is pending, not wrong
  return store_.Read([](StoreReading& r) { return TotalsStore(r.db()).Differences(); });
}

}  // namespace tributary::server
