// Rules only the server can apply, because they look across practices or
// across months (DESIGN: validation on both sides, the server's
// authoritative). They never refuse data: they are findings for the PCN
// manager to look into.
//
//   workforce.fte_over_one        one person's FTE across all practices exceeds 1.0
//   workforce.arrs_two_employers  one person ARRS-funded by two employers in a month
//   appointments.outlier_own_history
//                                 appointments per 1,000 patients below half or above
//                                 one and a half times the practice's own average over
//                                 those of the 12 calendar months before it that it
//                                 reported (at least 2)
//   appointments.outlier_pcn_peers
//                                 appointments per 1,000 patients below half or above
//                                 twice the median of its PCN's practices (at least 3)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "orgs/org_hierarchy.h"
#include "rollup/rollup_engine.h"

namespace tributary::server {

struct CrossPracticeFinding {
  std::string practice;
  std::string dataset;
  std::string rule;
  std::string reason;
};

// `months` holds the month checked and as many other months as are known, by
// "YYYY-MM"; findings are for `period` only.
std::vector<CrossPracticeFinding> CheckAcrossPractices(
    const OrgHierarchy& hierarchy, const std::string& period,
    const std::map<std::string, std::map<std::string, PracticeMonth>>& months);

}  // namespace tributary::server
