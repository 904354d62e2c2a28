#include "periods/month_figures.h"

#include "rollup/rollup_service.h"
#include "tributary/common/error.h"

namespace tributary::server {

void MonthFigures::AddPractice(const std::string& practice,
                               const std::vector<ServerRecord>& records) {
  std::map<std::string, PracticeMonth> months = GroupByPractice(records);
  auto month = months.find(practice);
  if (month == months.end()) return;
  RollupTotals totals;
  try {
    totals = PracticeTotals(practice, month->second);
  } catch (const std::exception& e) {
    throw Error::Database("the records of " + practice + " " + period_ +
                          " cannot be totalled: " + e.what());
  }
  // As the kept totals: a practice-month that adds nothing is not there.
  if (!totals.empty()) totals_[practice] = std::move(totals);
}

void MonthFigures::SetState(const std::string& practice, const std::string& dataset,
                            ReturnState state) {
  states_[practice][dataset] = state;
}

std::vector<RollupRow> MonthFigures::Compute(const OrgHierarchy& hierarchy,
                                             const RollupFilter& filter) const {
  return ComputeRollups(hierarchy, period_, totals_, states_, filter);
}

}  // namespace tributary::server
