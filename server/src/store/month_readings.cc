// Readings of whole months: the months held, a month's records one at a
// time, and the facts the cross-practice rules need. Part of ServerStore.
//
// None of these gathers a nation's month into memory: 6,300 practices'
// month is some 13 million records, and the findings look at thirteen months.
#include "store/server_store.h"
#include "store/stored_fields.h"

namespace tributary::server {

std::vector<std::string> ServerStore::Periods() {
  std::lock_guard lock(mutex_);
  return PeriodsLocked();
}

std::vector<std::string> ServerStore::PeriodsLocked() {
  // One index seek per month held, not a scan of every record: SELECT
  // DISTINCT would read all of records_by_month.
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

void ServerStore::VisitRecords(
    const std::string& period, const std::string& dataset,
    const std::function<void(const std::string& practice, const FieldMap& fields)>& visit) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT practice, fields FROM records WHERE period = ? AND dataset = ? "
      "ORDER BY practice, record_key");
  stmt.Bind(1, period).Bind(2, dataset);
  while (stmt.Step()) visit(stmt.ColumnText(0), StoredFields(stmt.ColumnText(1)));
}

std::vector<HeldRecord> ServerStore::RecordsOf(const std::string& practice,
                                               const std::string& dataset,
                                               const std::string& period) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "SELECT record_key, fields, version FROM records INDEXED BY records_by_month "
      "WHERE period = ? AND dataset = ? AND practice = ? ORDER BY record_key");
  stmt.Bind(1, period).Bind(2, dataset).Bind(3, practice);
  std::vector<HeldRecord> out;
  while (stmt.Step()) {
    out.push_back({stmt.ColumnText(0), StoredFields(stmt.ColumnText(1)),
                   static_cast<std::uint64_t>(stmt.ColumnInt(2))});
  }
  return out;
}

std::map<std::string, double> ServerStore::AppointmentsPerThousand(const std::string& period) {
  std::lock_guard lock(mutex_);
  RefreshStaleRollupsLocked(period);
  auto stmt = db_.Prepare(
      "SELECT practice, appointments_per_thousand FROM rollup_practice_months "
      "WHERE period = ? AND appointments_per_thousand IS NOT NULL");
  stmt.Bind(1, period);
  std::map<std::string, double> out;
  while (stmt.Step()) {
    out.emplace(stmt.ColumnText(0), stmt.ColumnDouble(1));
  }
  return out;
}

}  // namespace tributary::server
