// Where a practice stood in the hierarchy on a day, with the names an NHS
// file prints beside each code: its PCN, its place (the sub-ICB location)
// and its ICS (the ICB).
#pragma once

#include <optional>
#include <string>

#include "orgs/org_hierarchy.h"

namespace tributary::server {

struct PracticeGeography {
  std::string practice_code, practice_name;
  std::string pcn_code, pcn_name;
  std::string place_code, place_name;
  std::string ics_code, ics_name;
};

// nullopt when the practice, or a link of its chain, did not exist on `day`.
std::optional<PracticeGeography> GeographyOf(const OrgHierarchy& hierarchy,
                                             const std::string& practice, const std::string& day);

}  // namespace tributary::server
