#include "reconcile/record_readings.h"

#include "enrol/agent_registry.h"
#include "reconcile/record_log.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"

namespace tributary::server {

std::vector<std::string> RecordReadings::Periods() {
  return store_.Read([](StoreReading& r) { return RecordLog(r.db()).Periods(); });
}

void RecordReadings::Visit(
    const std::string& period, const std::string& dataset,
    const std::function<void(const std::string& practice, const FieldMap& fields)>& visit) {
  store_.Read([&](StoreReading& r) {
    auto stmt = r.db().Prepare(
        "SELECT practice, fields FROM records WHERE period = ? AND dataset = ? "
        "ORDER BY practice, record_key");
    stmt.Bind(1, period).Bind(2, dataset);
    while (stmt.Step()) visit(stmt.ColumnText(0), ParseCanonicalJson(stmt.ColumnText(1)));
  });
}

std::vector<HeldRecord> RecordReadings::Of(const std::string& practice, const std::string& dataset,
                                           const std::string& period) {
  return store_.Read([&](StoreReading& r) {
    auto stmt = r.db().Prepare(
        "SELECT record_key, fields, version FROM records INDEXED BY records_by_month "
        "WHERE period = ? AND dataset = ? AND practice = ? ORDER BY record_key");
    stmt.Bind(1, period).Bind(2, dataset).Bind(3, practice);
    std::vector<HeldRecord> out;
    while (stmt.Step()) {
      out.push_back(
          {stmt.ColumnText(0), ParseCanonicalJson(stmt.ColumnText(1)), stmt.ColumnUnsigned(2)});
    }
    return out;
  });
}

std::vector<PracticeSummary> RecordReadings::Summaries() {
  return store_.Read([](StoreReading& r) {
    std::map<std::string, PracticeSummary> by_practice;
    for (const auto& [practice, last_sync_ms] : AgentRegistry(r.db()).LastSyncs()) {
      PracticeSummary& s = by_practice[practice];
      s.practice = practice;
      if (last_sync_ms > 0) s.last_sync = FormatUtc(last_sync_ms);
    }
    auto counts = r.db().Prepare(
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
  });
}

std::int64_t RecordReadings::LastChangeId() {
  return store_.Read([](StoreReading& r) {
    auto stmt = r.db().Prepare("SELECT COALESCE(MAX(id), 0) FROM change_log");
    stmt.Step();
    return stmt.ColumnInt(0);
  });
}

std::int64_t RecordReadings::CountRecords(const std::string& practice, const std::string& dataset) {
  return store_.Read([&](StoreReading& r) {
    auto stmt = r.db().Prepare("SELECT count(*) FROM records WHERE practice = ? AND dataset = ?");
    stmt.Bind(1, practice).Bind(2, dataset);
    stmt.Step();
    return stmt.ColumnInt(0);
  });
}

std::int64_t RecordReadings::CountChanges(const std::string& practice) {
  return store_.Read([&](StoreReading& r) {
    auto stmt = r.db().Prepare("SELECT count(*) FROM change_log WHERE practice = ?");
    stmt.Bind(1, practice);
    stmt.Step();
    return stmt.ColumnInt(0);
  });
}

}  // namespace tributary::server
