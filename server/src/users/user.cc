#include "users/user.h"

namespace tributary::server {
namespace {

struct RoleNames {
  Role role;
  std::string_view name;
  OrgLevel scope;
};
constexpr RoleNames kRoles[] = {{Role::kPcnManager, "pcn-manager", OrgLevel::kPcn},
                                {Role::kPlaceAnalyst, "place-analyst", OrgLevel::kPlace},
                                {Role::kIcsAnalyst, "ics-analyst", OrgLevel::kIcs},
                                {Role::kIcsManager, "ics-manager", OrgLevel::kIcs},
                                {Role::kAdmin, "admin", OrgLevel::kIcs}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& r : kRoles) {
    if (r.name == name) return r.role;
  }
  return std::nullopt;
}

std::string RoleNames() {
  std::string names;
  for (const auto& r : kRoles) names += (names.empty() ? "" : ", ") + std::string(r.name);
  return names;
}

bool CanActOnReturns(Role role) {
  return role == Role::kPcnManager || role == Role::kIcsManager || role == Role::kAdmin;
}

bool CanSignOffMonths(Role role) { return role == Role::kIcsManager || role == Role::kAdmin; }

OrgLevel ScopeLevel(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.scope;
  }
  return OrgLevel::kIcs;
}

}  // namespace tributary::server
