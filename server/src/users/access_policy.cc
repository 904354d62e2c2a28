#include "users/access_policy.h"

namespace tributary::server {

bool AccessPolicy::CanSeeLevel(OrgLevel level) const {
  return static_cast<int>(level) <= static_cast<int>(ScopeLevel(user_.role));
}

bool AccessPolicy::CanSee(std::string_view code, std::string_view iso_date) const {
  const Organisation* org = hierarchy_.Find(code, iso_date);
  OrgLevel scope_level = ScopeLevel(user_.role);
  while (org != nullptr && static_cast<int>(org->level) < static_cast<int>(scope_level)) {
    org = hierarchy_.Find(org->parent, iso_date);
  }
  return org != nullptr && org->level == scope_level && org->code == user_.scope;
}

}  // namespace tributary::server
