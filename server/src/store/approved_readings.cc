// A month's rollups on the approved basis: each return that is approved or
// locked counts as it was approved; the rest count for nothing (but for
// coverage). Part of ServerStore.
#include "periods/month_figures.h"
#include "store/server_store.h"

namespace tributary::server {

RollupMonth ServerStore::ReadApprovedMonth(
    const std::string& period, const std::optional<std::vector<std::string>>& practices) {
  std::lock_guard lock(mutex_);
  db::ReadTransaction snapshot(db_);
  RollupMonth month;
  ReadReturnStatesLocked(period, practices, month);
  std::vector<std::string> approved_practices;
  if (practices) {
    approved_practices = *practices;
  } else {
    auto approved = db_.Prepare(
        "SELECT DISTINCT practice FROM returns "
        "WHERE period = ? AND state IN ('approved', 'locked') ORDER BY practice");
    approved.Bind(1, period);
    while (approved.Step()) approved_practices.push_back(approved.ColumnText(0));
  }
  auto records = db_.Prepare(
      "SELECT a.dataset, a.fields FROM return_approved_records a JOIN returns r "
      "ON r.practice = a.practice AND r.dataset = a.dataset AND r.period = a.period "
      "WHERE a.practice = ? AND a.period = ? AND r.state IN ('approved', 'locked') "
      "ORDER BY a.dataset, a.record_key");
  MonthFigures figures(period);
  for (const std::string& practice : approved_practices) {
    records.Bind(1, practice).Bind(2, period);
    std::vector<ServerRecord> held;
    while (records.Step()) {
      held.push_back({practice, records.ColumnText(0), ParseCanonicalJson(records.ColumnText(1))});
    }
    records.Reset();
    figures.AddPractice(practice, held);
  }
  month.totals = figures.totals();
  return month;
}

}  // namespace tributary::server
