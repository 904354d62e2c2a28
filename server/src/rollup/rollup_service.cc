#include "rollup/rollup_service.h"

namespace tributary::server {

std::map<std::string, PracticeMonth> GroupByPractice(const std::vector<ServerRecord>& records) {
  std::map<std::string, PracticeMonth> data;
  std::map<std::string, std::string> latest_extract;
  for (const ServerRecord& r : records) {
    PracticeMonth& m = data[r.practice];
    if (r.dataset == "workforce") {
      m.workforce.push_back(r.fields);
    } else if (r.dataset == "appointments") {
      m.appointments.push_back(r.fields);
    } else if (r.dataset == "list_size") {
      const std::string& extract = r.fields.at("extract_date");
      std::string& latest = latest_extract[r.practice];
      if (extract > latest) {
        latest = extract;
        m.list_size = std::stoll(r.fields.at("patients"));
      }
    }
  }
  return data;
}

std::vector<RollupRow> QueryRollups(ServerStore& store, const RollupQuery& query) {
  std::shared_ptr<const OrgHierarchy> shared_hierarchy = store.Hierarchy();
  const OrgHierarchy& hierarchy = *shared_hierarchy;
  std::vector<std::string> periods =
      query.period.empty() ? store.Periods() : std::vector<std::string>{query.period};
  std::vector<RollupRow> rows;
  for (const std::string& period : periods) {
    // One organisation's figures need only its own practices' totals and
    // returns (a practice missing from the hierarchy is its own only practice).
    std::optional<std::vector<std::string>> practices;
    if (!query.filter.code.empty()) {
      practices = hierarchy.PracticesUnder(query.filter.code, period + "-01");
      if (practices->empty()) practices->push_back(query.filter.code);
    }
    RollupMonth inputs = store.ReadRollupMonth(period, practices);
    auto month = ComputeRollups(hierarchy, period, inputs.totals, inputs.returns, query.filter);
    rows.insert(rows.end(), std::make_move_iterator(month.begin()),
                std::make_move_iterator(month.end()));
  }
  return rows;
}

}  // namespace tributary::server
