#include "periods/published_verification.h"

#include "periods/month_figures.h"
#include "periods/published_versions.h"
#include "reconcile/record_log.h"
#include "returns/return_book.h"

namespace tributary::server {
namespace {

std::string Describe(const RollupRow& r) {
  return r.level + " " + r.code + " " + r.dataset + " " + r.measure;
}

}  // namespace

std::vector<std::string> PublishedDifferences(db::Connection& db) {
  PublishedVersions versions(db);
  ReturnBook returns(db);
  std::vector<std::string> differences;
  for (const PublishedVersion& v : versions.Versions()) {
    std::string name = v.ics + " " + v.period + " version " + std::to_string(v.version);
    std::vector<LineageEntry> lineage = versions.Lineage(v);
    MonthFigures figures(v.period);
    std::vector<ServerRecord> practice_records;
    for (std::size_t i = 0; i < lineage.size(); ++i) {
      const LineageEntry& e = lineage[i];
      std::string what = name + ": " + e.practice + "/" + e.dataset;
      KeyedRecords kept = versions.Records(e.sha256);
      if (RecordsSha256(kept) != e.sha256 || static_cast<std::int64_t>(kept.size()) != e.records) {
        differences.push_back(what + ": the records kept for it no longer match its lineage");
      }
      ReturnKey key{e.practice, e.dataset, v.period};
      if (returns.Get(key).revision == e.revision &&
          RecordsSha256(HeldReturnRecords(db, e.practice, e.dataset, v.period)) != e.sha256) {
        differences.push_back(what + ": its records changed without a new revision (still " +
                              std::to_string(e.revision) + ")");
      }
      figures.SetState(e.practice, e.dataset, e.state);
      for (const auto& [record_key, fields] : kept) {
        practice_records.push_back({e.practice, e.dataset, ParseCanonicalJson(fields)});
      }
      // The lineage is ordered by practice: total each practice at its end.
      if (i + 1 == lineage.size() || lineage[i + 1].practice != e.practice) {
        figures.AddPractice(e.practice, practice_records);
        practice_records.clear();
      }
    }
    OrgHierarchy hierarchy(versions.Organisations(v));
    std::vector<RollupRow> expected = figures.Compute(hierarchy, RollupFilter{});
    std::vector<RollupRow> stored = versions.Figures(v);
    if (expected != stored) {
      std::size_t i = 0;
      while (i < expected.size() && i < stored.size() && expected[i] == stored[i]) ++i;
      std::string first = i < stored.size()     ? Describe(stored[i])
                          : i < expected.size() ? Describe(expected[i])
                                                : "";
      differences.push_back(name + ": its figures do not follow from its lineage's records (" +
                            std::to_string(stored.size()) + " stored, " +
                            std::to_string(expected.size()) +
                            " recomputed; first difference: " + first + ")");
    }
  }
  return differences;
}

}  // namespace tributary::server
