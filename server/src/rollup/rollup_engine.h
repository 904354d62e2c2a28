// Computes the month's rollups at practice, PCN, place and ICS level from the
// records themselves (docs/design.md invariant 3: rollups equal the records).
//
// Definitions (docs/rollups.md):
// - membership is the hierarchy on the month's first day;
// - headcount counts each person key once per organisation, FTE sums;
// - ARRS figures are records funded ARRS;
// - rates divide by the practices' registered list (the month's latest
//   list_size extract) and cover only practices with both data and a list;
// - practices_covered is how many practices' records a figure includes;
// - a practice counts as submitted when all of its month's returns are
//   submitted, approved or locked, and as approved when all are approved or
//   locked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orgs/org_hierarchy.h"
#include "returns/return_state.h"
#include "rollup/rollup_row.h"
#include "rollup/rollup_totals.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

struct RollupFilter {
  std::optional<OrgLevel> level;
  std::string code;     // empty: every organisation
  std::string dataset;  // empty: every dataset
};

// Every rollup row for `period` ("YYYY-MM") that passes `filter`, ordered by
// level (practice first), code, dataset, measure and dimensions, from each
// practice's totals for the month and its returns' states. Practices with
// records but absent from the hierarchy still get practice-level rows.
std::vector<RollupRow> ComputeRollups(
    const OrgHierarchy& hierarchy, const std::string& period,
    const std::map<std::string, RollupTotals>& practices,
    const std::map<std::string, std::map<std::string, ReturnState>>& returns,
    const RollupFilter& filter);

// The same, straight from each practice's records (and PracticeMonth::returns).
std::vector<RollupRow> ComputeRollups(const OrgHierarchy& hierarchy, const std::string& period,
                                      const std::map<std::string, PracticeMonth>& data,
                                      const RollupFilter& filter);

}  // namespace tributary::server
