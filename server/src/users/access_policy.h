// Who may see what (docs/design.md invariant 5): a person sees an organisation when
// it is their scope or lies under it, by the hierarchy of the day in
// question. A PCN manager sees their PCN and its practices; a place analyst
// their place, its PCNs and practices; ICS staff the whole ICS.
#pragma once

#include <string_view>

#include "orgs/org_hierarchy.h"
#include "users/user.h"

namespace tributary::server {

class AccessPolicy {
 public:
  AccessPolicy(const User& user, const OrgHierarchy& hierarchy)
      : user_(user), hierarchy_(hierarchy) {}

  // True when `code` is the user's scope, or under it, on `iso_date`.
  bool CanSee(std::string_view code, std::string_view iso_date) const;

  // True when `level` is at or below the user's scope level: a PCN manager
  // can never see a place or an ICS.
  bool CanSeeLevel(OrgLevel level) const;

 private:
  const User& user_;
  const OrgHierarchy& hierarchy_;
};

}  // namespace tributary::server
