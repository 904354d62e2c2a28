#include "export/export_records.h"

#include "store/server_store.h"

namespace tributary::server {

PracticeRecords ExportRecords::Month(const std::string& period, const std::string& dataset,
                                     const std::vector<std::string>& practices,
                                     bool approved_only) {
  return store_.Read([&](StoreReading& r) {
    auto latest = r.db().Prepare(
        "SELECT fields FROM records INDEXED BY records_by_month "
        "WHERE period = ? AND dataset = ? AND practice = ? ORDER BY record_key");
    auto approved = r.db().Prepare(
        "SELECT a.fields FROM return_approved_records a JOIN returns r "
        "ON r.practice = a.practice AND r.dataset = a.dataset AND r.period = a.period "
        "WHERE a.period = ? AND a.dataset = ? AND a.practice = ? "
        "AND r.state IN ('approved', 'locked') ORDER BY a.record_key");
    db::Statement& read = approved_only ? approved : latest;
    PracticeRecords out;
    for (const std::string& practice : practices) {
      read.Reset();
      read.Bind(1, period).Bind(2, dataset).Bind(3, practice);
      std::vector<FieldMap>& records = out[practice];
      while (read.Step()) records.push_back(ParseCanonicalJson(read.ColumnText(0)));
    }
    return out;
  });
}

std::optional<PublishedRecords> ExportRecords::Published(const std::string& ics,
                                                         const std::string& period,
                                                         std::optional<std::int64_t> version,
                                                         const std::string& dataset) {
  return store_.Read([&](StoreReading& r) -> std::optional<PublishedRecords> {
    PublishedVersions versions(r.db());
    std::optional<PublishedVersion> found = versions.Find(ics, period, version);
    if (!found) return std::nullopt;
    PublishedRecords out{*found, versions.Organisations(*found), {}};
    for (const LineageEntry& entry : versions.Lineage(*found)) {
      if (entry.dataset != dataset) continue;
      std::vector<FieldMap>& records = out.records[entry.practice];
      for (const auto& [key, fields] : versions.Records(entry.sha256)) {
        records.push_back(ParseCanonicalJson(fields));
      }
    }
    return out;
  });
}

}  // namespace tributary::server
