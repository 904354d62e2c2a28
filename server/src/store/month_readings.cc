// Readings of whole months: the months held, a month's records one at a
// time, and the facts the cross-practice rules need. Part of ServerStore.
//
// None of these gathers a nation's month into memory: 6,300 practices'
// month is some 13 million records, and the findings look at thirteen months.
#include "store/server_store.h"
#include "tributary/common/dates.h"

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
  while (stmt.Step()) visit(stmt.ColumnText(0), ParseCanonicalJson(stmt.ColumnText(1)));
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
    out.push_back(
        {stmt.ColumnText(0), ParseCanonicalJson(stmt.ColumnText(1)), stmt.ColumnUnsigned(2)});
  }
  return out;
}

std::map<std::string, double> ServerStore::AppointmentsPerThousand(const std::string& period) {
  std::lock_guard lock(mutex_);
  RefreshStaleRollupsLocked(period);
  return TotalsStore(db_).AppointmentRates(period);
}

std::vector<PracticeSummary> ServerStore::Summaries() {
  std::lock_guard lock(mutex_);
  db::ReadTransaction snapshot(db_);
  std::map<std::string, PracticeSummary> by_practice;
  for (const auto& [practice, last_sync_ms] : AgentRegistry(db_).LastSyncs()) {
    PracticeSummary& s = by_practice[practice];
    s.practice = practice;
    if (last_sync_ms > 0) s.last_sync = FormatUtc(last_sync_ms);
  }
  auto counts = db_.Prepare(
      "SELECT practice, dataset, period, count(*), "
      "coalesce(sum(CASE WHEN dataset = 'appointments' "
      "THEN CAST(json_extract(fields, '$.count') AS INTEGER) END), 0) "
      "FROM records GROUP BY period, dataset, practice");  // records_by_month's order
  while (counts.Step()) {
    PracticeSummary& s = by_practice[counts.ColumnText(0)];
    s.practice = counts.ColumnText(0);
    PracticeSummary::Month& m = s.datasets[counts.ColumnText(1)][counts.ColumnText(2)];
    m.records = counts.ColumnInt(3);
    m.appointments = counts.ColumnInt(4);
  }
  std::vector<PracticeSummary> out;
  for (auto& [code, summary] : by_practice) out.push_back(std::move(summary));
  return out;
}

std::int64_t ServerStore::CountRecords(const std::string& practice, const std::string& dataset) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT count(*) FROM records WHERE practice = ? AND dataset = ?");
  stmt.Bind(1, practice).Bind(2, dataset);
  stmt.Step();
  return stmt.ColumnInt(0);
}

std::int64_t ServerStore::CountChanges(const std::string& practice) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT count(*) FROM change_log WHERE practice = ?");
  stmt.Bind(1, practice);
  stmt.Step();
  return stmt.ColumnInt(0);
}

std::int64_t ServerStore::LastChangeId() {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT COALESCE(MAX(id), 0) FROM change_log");
  stmt.Step();
  return stmt.ColumnInt(0);
}

}  // namespace tributary::server
