// `postgres grant-reporting` and `postgres revoke-reporting`: read-only
// database roles for analysts' own tools on a PostgreSQL store, seeing the
// reporting views of the ICSs they are given (reporting/reporting_views.h).
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <set>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "orgs/org_service.h"
#include "reporting/reporting_refresher.h"
#include "reporting/reporting_service.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace {

constexpr const char* kUsage =
    "usage: tributary-server postgres grant-reporting --role NAME [--ics CODE ...] "
    "[--schema NAME] [--password-file FILE] [--json]\n"
    "       tributary-server postgres revoke-reporting --role NAME [--schema NAME]";

// --ics (each an ICS the hierarchy has had), else the hierarchy's one ICS.
std::vector<std::string> IcsFrom(const Arguments& args, ServerStore& store) {
  std::vector<std::string> named = args.GetAll("ics");
  if (!named.empty()) return named;
  std::set<std::string> all;
  for (const Organisation& o : OrgService(store).All()) {
    if (o.level == OrgLevel::kIcs) all.insert(o.code);
  }
  if (all.size() == 1) return {*all.begin()};
  if (all.empty()) {
    throw Error::NotFound(
        "the hierarchy has no ICS; import one with 'tributary-server orgs import orgs.csv'");
  }
  throw Error::InvalidArgument("the hierarchy holds " + std::to_string(all.size()) +
                               " ICSs; name the ones the role reads with --ics");
}

std::optional<std::string> Password(const Arguments& args) {
  auto file = args.Get("password-file");
  if (!file) return std::nullopt;
  std::string text = files::Read(*file);
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw Error::InvalidInput(*file + ":1: the password is empty");
  return line;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

int Grant(const Arguments& args, ServerStore& store) {
  ReportingGrant grant;
  grant.role = args.Require("role");
  grant.schema = args.Get("schema").value_or("reporting");
  CheckReportingName("--role", grant.role);
  CheckReportingName("--schema", grant.schema);
  grant.password = Password(args);
  grant.ics = IcsFrom(args, store);
  ReportingGrantResult result = ReportingService(store).Grant(grant, "operator");
  // Filled at once; from then on the running server keeps them so.
  ReportingRefresher refresher(store);
  ReportingRefreshed refreshed = refresher.Refresh(ReportingRefresher::Who::kAnyone);
  if (args.Has("json")) {
    boost::json::array ics(grant.ics.begin(), grant.ics.end());
    boost::json::array views(result.views.begin(), result.views.end());
    std::cout << boost::json::serialize(boost::json::object{{"role", grant.role},
                                                            {"created", result.role_created},
                                                            {"ics", ics},
                                                            {"views", views},
                                                            {"refreshed_months", refreshed.months}})
              << "\n";
    return kExitOk;
  }
  std::printf("%s %s reads %s through %s\n",
              result.role_created ? "created role (LOGIN, read-only)" : "role", grant.role.c_str(),
              Joined(grant.ics).c_str(), Joined(result.views).c_str());
  std::printf(
      "%zu month(s) of figures refreshed now; a running server keeps them up to date every "
      "--findings-every seconds\n",
      refreshed.months);
  if (result.role_created && !grant.password) {
    std::printf(
        "the role has no password: give it one with --password-file FILE, or let it in "
        "through pg_hba.conf (e.g. cert or peer)\n");
  }
  return kExitOk;
}

int Revoke(const Arguments& args, ServerStore& store) {
  std::string role = args.Require("role");
  std::string schema = args.Get("schema").value_or("reporting");
  int removed = ReportingService(store).Revoke(role, schema, "operator");
  std::printf("%s reads no ICS through %s any more (it could read %d); the role itself is kept\n",
              role.c_str(), schema.c_str(), removed);
  return kExitOk;
}

}  // namespace

int RunPostgres(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "role", "ics", "schema", "password-file", "json"});
  std::string action = args.Positional(1);
  if (args.positional().size() != 2 ||
      (action != "grant-reporting" && action != "revoke-reporting")) {
    throw Error::InvalidArgument(kUsage);
  }
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);  // a clear "run init first"
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  if (action == "grant-reporting") return Grant(args, store);
  return Revoke(args, store);
}

}  // namespace tributary::server
