// Rules only the server can apply, because they look across practices or
// across months (docs/design.md: validation on both sides, the server's
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
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "orgs/org_hierarchy.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

// Whom a person finding involves: other practices' staff, so each viewer is
// told only what their scope covers (validation/finding_disclosure.h).
struct PersonInvolvement {
  std::string handle;  // the first 8 characters of the person key
  // workforce.fte_over_one: every practice employing them, and their FTE there.
  std::map<std::string, double> fte_by_practice;
  // workforce.arrs_two_employers: every employer funding them.
  std::set<std::string> employers;
};

struct CrossPracticeFinding {
  std::string practice;
  std::string dataset;
  std::string rule;
  // The whole reason, every organisation named: for a viewer who may see
  // them all. Anyone else is told TellFinding's.
  std::string reason;
  std::optional<PersonInvolvement> person;  // the person rules'
};

// One workforce record, as far as the rules look at it.
struct StaffLine {
  std::string person_key;
  double fte = 0;
  bool arrs_funded = false;
  std::string employer_code;
};
// Throws std::exception when "fte" is not a number (the server stored it).
StaffLine StaffLineOf(const FieldMap& workforce_record);

// What the rules need of one practice's month. Only this, not its records:
// thirteen months of a nation's records do not fit in a server's memory.
struct PracticeFacts {
  std::vector<StaffLine> staff;                     // needed for the month checked only
  std::optional<double> appointments_per_thousand;  // needs appointments and a list size
};
using MonthFacts = std::map<std::string, PracticeFacts>;  // by practice

// `months` holds the month checked and as many other months as are known, by
// "YYYY-MM"; findings are for `period` only.
std::vector<CrossPracticeFinding> CheckAcrossPractices(
    const OrgHierarchy& hierarchy, const std::string& period,
    const std::map<std::string, MonthFacts>& months);

}  // namespace tributary::server
