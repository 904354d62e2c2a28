// A person who uses the server's API: a PCN manager, a place or ICS analyst,
// or an administrator, each with a scope — the one organisation whose
// practices they may see.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orgs/organisation.h"

namespace tributary::server {

enum class Role { kPcnManager, kPlaceAnalyst, kIcsAnalyst, kAdmin };

// "pcn-manager", "place-analyst", "ics-analyst", "admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// The level of organisation a role's scope names: a PCN manager's scope is a
// PCN, a place analyst's a place, an ICS analyst's and an admin's an ICS.
OrgLevel ScopeLevel(Role role);

struct User {
  std::string user_id;
  std::string name;
  Role role = Role::kIcsAnalyst;
  std::string scope;  // an organisation code at ScopeLevel(role)
};

}  // namespace tributary::server
