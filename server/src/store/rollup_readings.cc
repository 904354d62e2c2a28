// A month's rollups as the store's users read them: the kept totals
// (rollup/totals_store.h), re-totalled first where stale, with the states of
// the month's returns, read at one moment; and `rollups verify`. Part of
// ServerStore.
#include "rollup/totals_store.h"
#include "store/server_store.h"
#include "tributary/common/error.h"

namespace tributary::server {

void ServerStore::RefreshStaleRollupsLocked(const std::optional<std::string>& period) {
  db::Transaction txn(db_);
  TotalsStore(db_).RefreshStale(period);
  txn.Commit();
}

void ServerStore::ReadReturnStatesLocked(const std::string& period,
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
  db::ReadTransaction snapshot(db_);
  RollupMonth month;
  ReadReturnStatesLocked(period, practices, month);
  month.totals = TotalsStore(db_).Read(period, practices);
  return month;
}

std::vector<std::string> ServerStore::RollupDifferences() {
  std::lock_guard lock(mutex_);
  RefreshStaleRollupsLocked(std::nullopt);  // stale is pending, not wrong
  db::ReadTransaction snapshot(db_);        // one consistent reading
  return TotalsStore(db_).Differences();
}

}  // namespace tributary::server
