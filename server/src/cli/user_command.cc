// `user add` and `user list`: the people who use the API, each with a role
// and a scope, and the bearer token they send.
#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

#include "cli/server_commands.h"
#include "orgs/org_hierarchy.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr std::size_t kTokenBytes = 32;

// The scope must be an organisation of the role's level in the hierarchy.
void CheckScope(ServerStore& store, Role role, const std::string& scope) {
  std::vector<Organisation> orgs = store.Organisations();
  if (orgs.empty()) {
    throw Error::Conflict("there is no organisation hierarchy yet; run 'tributary-server orgs "
                          "import orgs.csv' first");
  }
  OrgLevel level = ScopeLevel(role);
  for (const Organisation& o : orgs) {
    if (o.code == scope && o.level == level) return;
  }
  throw Error::InvalidArgument("--scope " + scope + " is not a " +
                               std::string(OrgTypeName(level)) + " in the hierarchy; a " +
                               std::string(RoleName(role)) + "'s scope is a " +
                               std::string(OrgTypeName(level)));
}

int Add(const Arguments& args, ServerStore& store) {
  std::string role_name = args.Require("role");
  std::optional<Role> role = ParseRole(role_name);
  if (!role) {
    throw Error::InvalidArgument("--role must be pcn-manager, place-analyst, ics-analyst or admin");
  }
  User user;
  user.user_id = "u-" + digest::RandomHex(8);
  user.name = args.Require("name");
  user.role = *role;
  user.scope = args.Require("scope");
  CheckScope(store, user.role, user.scope);
  std::string token = "trb_" + digest::RandomHex(kTokenBytes);
  store.AddUser(user, digest::Sha256Hex(token), "operator");
  if (args.Has("json")) {
    boost::json::object o{{"token", token}, {"user_id", user.user_id}, {"name", user.name},
                          {"role", RoleName(user.role)}, {"scope", user.scope}};
    std::cout << boost::json::serialize(o) << "\n";
  } else {
    std::printf("user:   %s (%s)\nrole:   %s of %s\ntoken:  %s\n\n"
                "Send it as 'Authorization: Bearer %s'. It is shown only now.\n",
                user.name.c_str(), user.user_id.c_str(), std::string(RoleName(user.role)).c_str(),
                user.scope.c_str(), token.c_str(), token.c_str());
  }
  return kExitOk;
}

int List(const Arguments& args, ServerStore& store) {
  std::vector<User> users = store.Users();
  if (args.Has("json")) {
    boost::json::array out;
    for (const User& u : users) {
      out.push_back({{"user_id", u.user_id}, {"name", u.name}, {"role", RoleName(u.role)},
                     {"scope", u.scope}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::printf("%-20s %-30s %-14s %s\n", "USER", "NAME", "ROLE", "SCOPE");
  for (const User& u : users) {
    std::printf("%-20s %-30s %-14s %s\n", u.user_id.c_str(), u.name.c_str(),
                std::string(RoleName(u.role)).c_str(), u.scope.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunUser(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "name", "role", "scope", "json"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  SystemClock clock;
  ServerStore store(paths.Database(), clock);
  std::string action = args.Positional(1);
  if (action == "add") return Add(args, store);
  if (action == "list") return List(args, store);
  throw Error::InvalidArgument(
      "usage: tributary-server user add --name N --role R --scope CODE [--json] | user list");
}

}  // namespace tributary::server
