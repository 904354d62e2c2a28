// A person who uses the server's API: a PCN manager, a place or ICS analyst,
// an ICS manager (who closes and publishes the ICS's months) or an
// administrator, each with a scope — the one organisation whose practices
// they may see — and a token that expires or is revoked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orgs/organisation.h"

namespace tributary::server {

enum class Role { kPcnManager, kPlaceAnalyst, kIcsAnalyst, kIcsManager, kAdmin };

// "pcn-manager", "place-analyst", "ics-analyst", "ics-manager", "admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// A role as the store keeps it: anything else is damage, Error(kCorruption)
// naming `where`; never a guess.
Role StoredRole(std::string_view name, const std::string& where);
// Every role's name, for messages: "pcn-manager, place-analyst, ...".
std::string RoleNames();
// The level of organisation a role's scope names: a PCN manager's scope is a
// PCN, a place analyst's a place, the ICS roles' and an admin's an ICS.
OrgLevel ScopeLevel(Role role);
// Who may sign off: query and approve returns (a PCN manager within their
// PCN, an ICS manager or an admin within the ICS) and correct records.
bool CanActOnReturns(Role role);
// Who may close, reopen and publish the ICS's months.
bool CanSignOffMonths(Role role);

struct User {
  std::string user_id;
  std::string name;
  Role role = Role::kIcsAnalyst;
  std::string scope;  // an organisation code at ScopeLevel(role)
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;  // the token is refused from then on
  std::int64_t revoked_at_ms = 0;  // 0: not revoked
};

}  // namespace tributary::server
