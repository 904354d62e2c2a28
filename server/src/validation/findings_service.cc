#include "validation/findings_service.h"

#include <algorithm>
#include <set>

#include "reconcile/record_readings.h"
#include "rollup/rollup_readings.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "validation/cross_practice_rules.h"

namespace tributary::server {
namespace {

constexpr int kHistoryMonths = 12;

// The month `months` before `period` ("YYYY-MM").
std::string MonthsBefore(const std::string& period, int months) {
  auto p = ParsePeriod(period);
  if (!p) return period;
  int index = p->year * 12 + (p->month - 1) - months;
  return Period{index / 12, index % 12 + 1}.ToString();
}

}  // namespace

FindingsOfMonth CrossPracticeFindings(ServerStore& store, const std::string& period) {
  auto all = CrossPracticeFindings(store, std::vector<std::string>{period});
  return std::move(all[period]);
}

std::map<std::string, FindingsOfMonth> CrossPracticeFindings(
    ServerStore& store, const std::vector<std::string>& periods) {
  std::map<std::string, FindingsOfMonth> out;
  if (periods.empty()) return out;
  auto [lowest, highest] = std::minmax_element(periods.begin(), periods.end());
  std::string from = MonthsBefore(*lowest, kHistoryMonths);
  // Rates for every month the rules look back over; staff for one checked
  // month at a time. Never the records themselves (cross_practice_rules.h).
  std::map<std::string, MonthFacts> months;
  for (const std::string& p : RecordReadings(store).Periods()) {
    if (p < from || p > *highest) continue;
    MonthFacts& facts = months[p];
    for (const auto& [practice, rate] : RollupReadings(store).AppointmentsPerThousand(p)) {
      facts[practice].appointments_per_thousand = rate;
    }
  }
  std::shared_ptr<const OrgHierarchy> shared_hierarchy = store.Hierarchy();
  const OrgHierarchy& hierarchy = *shared_hierarchy;
  for (const std::string& period : std::set<std::string>(periods.begin(), periods.end())) {
    MonthFacts& facts = months[period];
    RecordReadings(store).Visit(period, "workforce",
                                [&facts](const std::string& practice, const FieldMap& r) {
                                  facts[practice].staff.push_back(StaffLineOf(r));
                                });
    FindingsOfMonth& findings = out[period];
    for (CrossPracticeFinding& f : CheckAcrossPractices(hierarchy, period, months)) {
      std::vector<CrossPracticeFinding>& of_return = findings[f.practice][f.dataset];
      of_return.push_back(std::move(f));
    }
    for (auto& [practice, practice_facts] : facts) practice_facts.staff = {};
  }
  return out;
}

}  // namespace tributary::server
