#include "users/user.h"

#include "tributary/common/enum_names.h"

namespace tributary::server {
namespace {

using enum Role;

constexpr EnumNames<Role, 5> kRoles{{{kPcnManager, "pcn-manager"},
                                     {kPlaceAnalyst, "place-analyst"},
                                     {kIcsAnalyst, "ics-analyst"},
                                     {kIcsManager, "ics-manager"},
                                     {kAdmin, "admin"}}};

}  // namespace

std::string_view RoleName(Role role) { return NameOf(kRoles, role); }

std::optional<Role> ParseRole(std::string_view name) { return ValueOf(kRoles, name); }

Role StoredRole(std::string_view name, const std::string& where) {
  // Never guess a role: a guess could grant more than was given.
  return StoredValueOf(kRoles, name, "role", where);
}

std::string RoleNames() { return NamesOf(kRoles); }

bool CanActOnReturns(Role role) {
  return role == kPcnManager || role == kIcsManager || role == kAdmin;
}

bool CanSignOffMonths(Role role) { return role == kIcsManager || role == kAdmin; }

OrgLevel ScopeLevel(Role role) {
  switch (role) {
    case kPcnManager:
      return OrgLevel::kPcn;
    case kPlaceAnalyst:
      return OrgLevel::kPlace;
    case kIcsAnalyst:
    case kIcsManager:
    case kAdmin:
      return OrgLevel::kIcs;
  }
  return OrgLevel::kIcs;
}

}  // namespace tributary::server
