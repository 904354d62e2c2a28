// `user add`, `user revoke` and `user list`: the people who use the API, each
// with a role, a scope and a bearer token that expires (default 90 days, at
// most 365) or is revoked. Granting and revoking are audited.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/enrolment_service.h"
#include "orgs/org_hierarchy.h"
#include "orgs/org_service.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "users/user_service.h"

namespace tributary::server {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::chrono::hours kDefaultTtl{24 * 90};
constexpr std::chrono::hours kLongestTtl{24 * 365};

std::string Status(const User& u, std::int64_t now_ms) {
  if (u.revoked_at_ms > 0) return "revoked";
  return u.expires_at_ms <= now_ms ? "expired" : "active";
}

// The scope must be an organisation of the role's level in the hierarchy.
void CheckScope(ServerStore& store, Role role, const std::string& scope) {
  std::vector<Organisation> orgs = OrgService(store).All();
  if (orgs.empty()) {
    throw Error::Conflict(
        "there is no organisation hierarchy yet; run 'tributary-server orgs "
        "import orgs.csv' first");
  }
  OrgLevel level = ScopeLevel(role);
  for (const Organisation& o : orgs) {
    if (o.code == scope && o.level == level) return;
  }
  throw Error::InvalidArgument("--scope " + scope + " is not a " + std::string(OrgTypeName(level)) +
                               " in the hierarchy; a " + std::string(RoleName(role)) +
                               "'s scope is a " + std::string(OrgTypeName(level)));
}

int Add(const Arguments& args, ServerStore& store) {
  std::string role_name = args.Require("role");
  std::optional<Role> role = ParseRole(role_name);
  if (!role) throw Error::InvalidArgument("--role must be one of " + RoleNames());
  std::chrono::seconds ttl = kDefaultTtl;
  if (auto text = args.Get("ttl")) ttl = ParseTtl(*text);
  if (ttl.count() <= 0 || ttl > kLongestTtl) {
    throw Error::InvalidArgument("--ttl must be more than nothing and at most 365d");
  }
  User user;
  user.user_id = "u-" + digest::RandomHex(8);
  user.name = args.Require("name");
  user.role = *role;
  user.scope = args.Require("scope");
  CheckScope(store, user.role, user.scope);
  user.expires_at_ms =
      store.NowMillis() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
  std::string token = "trb_" + digest::RandomHex(kTokenBytes);
  UserService(store).Add(user, digest::Sha256Hex(token), "operator");
  if (args.Has("json")) {
    boost::json::object o{{"token", token},      {"user_id", user.user_id},
                          {"name", user.name},   {"role", RoleName(user.role)},
                          {"scope", user.scope}, {"expires", FormatUtc(user.expires_at_ms)}};
    std::cout << boost::json::serialize(o) << "\n";
  } else {
    std::printf(
        "user:    %s (%s)\nrole:    %s of %s\nexpires: %s\ntoken:   %s\n\n"
        "Send it as 'Authorization: Bearer %s'. It is shown only now.\n",
        user.name.c_str(), user.user_id.c_str(), std::string(RoleName(user.role)).c_str(),
        user.scope.c_str(), FormatUtc(user.expires_at_ms).c_str(), token.c_str(), token.c_str());
  }
  return kExitOk;
}

int List(const Arguments& args, ServerStore& store) {
  std::vector<User> users = UserService(store).All();
  std::int64_t now = store.NowMillis();
  if (args.Has("json")) {
    boost::json::array out;
    for (const User& u : users) {
      out.push_back(
          {{"user_id", u.user_id},
           {"name", u.name},
           {"role", RoleName(u.role)},
           {"scope", u.scope},
           {"status", Status(u, now)},
           {"created", FormatUtc(u.created_at_ms)},
           {"expires", FormatUtc(u.expires_at_ms)},
           {"revoked", u.revoked_at_ms > 0 ? boost::json::value(FormatUtc(u.revoked_at_ms))
                                           : boost::json::value(nullptr)}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::printf("%-20s %-30s %-14s %-7s %-8s %s\n", "USER", "NAME", "ROLE", "SCOPE", "STATUS",
              "EXPIRES");
  for (const User& u : users) {
    std::printf("%-20s %-30s %-14s %-7s %-8s %s\n", u.user_id.c_str(), u.name.c_str(),
                std::string(RoleName(u.role)).c_str(), u.scope.c_str(), Status(u, now).c_str(),
                FormatUtc(u.expires_at_ms).substr(0, 10).c_str());
  }
  return kExitOk;
}

// --id U, or --name N when exactly one user with access has that name.
int Revoke(const Arguments& args, ServerStore& store) {
  std::optional<std::string> id = args.Get("id");
  std::optional<std::string> name = args.Get("name");
  if (id.has_value() == name.has_value()) {
    throw Error::InvalidArgument("usage: tributary-server user revoke --name NAME | --id USER_ID");
  }
  if (!id) {
    std::vector<std::string> matches;
    for (const User& u : UserService(store).All()) {
      if (u.name == *name && u.revoked_at_ms == 0) matches.push_back(u.user_id);
    }
    if (matches.empty()) throw Error::NotFound("no user named '" + *name + "' has access");
    if (matches.size() > 1) {
      std::string ids;
      for (const std::string& m : matches) ids += (ids.empty() ? "" : ", ") + m;
      throw Error::Conflict(std::to_string(matches.size()) + " users are named '" + *name + "' (" +
                            ids + "); name one with --id");
    }
    id = matches.front();
  }
  UserService(store).Revoke(*id, "operator");
  std::printf("%s: access revoked; their token is refused from now on\n", id->c_str());
  return kExitOk;
}

}  // namespace

int RunUser(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "name", "role", "scope", "ttl", "id", "json"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  std::string action = args.Positional(1);
  if (action == "add") return Add(args, store);
  if (action == "list") return List(args, store);
  if (action == "revoke") return Revoke(args, store);
  throw Error::InvalidArgument(
      "usage: tributary-server user add --name N --role R --scope CODE [--ttl 90d] [--json] | "
      "user revoke --name N | --id U | user list [--json]");
}

}  // namespace tributary::server
