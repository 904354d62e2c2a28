// A month's rollup figures computed from given records — a published
// version's records, or the approved revisions' — rather than from the
// totals the store keeps of the current records. Practices are added one at
// a time and kept only as their totals, so a nation's month never sits in
// memory as records.
//
// Not thread-safe; one per computation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "orgs/org_hierarchy.h"
#include "reconcile/record_log.h"
#include "returns/return_state.h"
#include "rollup/rollup_engine.h"
#include "rollup/rollup_totals.h"

namespace tributary::server {

class MonthFigures {
 public:
  // `period` is YYYY-MM.
  explicit MonthFigures(std::string period) : period_(std::move(period)) {}

  // One practice's records of the month, any datasets (workforce,
  // appointments, list_size). Each practice is added once. A record that
  // cannot be totalled throws Error(kDatabase) naming the practice-month.
  void AddPractice(const std::string& practice, const std::vector<ServerRecord>& records);
  // A return's state, for coverage; a return never set counts as open.
  void SetState(const std::string& practice, const std::string& dataset, ReturnState state);

  // The totals and states added so far, as the rollup engine takes them.
  const std::map<std::string, RollupTotals>& totals() const { return totals_; }
  const std::map<std::string, std::map<std::string, ReturnState>>& states() const {
    return states_;
  }

  // Every figure at every level under `hierarchy`, passing `filter`.
  std::vector<RollupRow> Compute(const OrgHierarchy& hierarchy, const RollupFilter& filter) const;

 private:
  std::string period_;
  std::map<std::string, RollupTotals> totals_;
  std::map<std::string, std::map<std::string, ReturnState>> states_;
};

}  // namespace tributary::server
