// `orgs import FILE` and `orgs list`: the practice -> PCN -> place -> ICS
// hierarchy that rollups and scopes stand on.
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "orgs/org_file.h"
#include "orgs/org_hierarchy.h"
#include "orgs/org_service.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::server {
namespace {

std::string Today() { return FormatUtc(SystemClock().NowMillis(), UtcFormat::kIsoDate); }

int Import(const Arguments& args, ServerStore& store) {
  std::string path = args.Positional(2);
  if (path.empty() || args.positional().size() > 3) {
    throw Error::InvalidArgument("usage: tributary-server orgs import FILE");
  }
  std::string content = files::Read(path);
  ParsedOrgFile parsed = ParseOrgFile(content);
  if (!parsed.problems.empty()) {
    for (const OrgFileProblem& p : parsed.problems) {
      std::fprintf(stderr, "%s\n", p.Describe(path).c_str());
    }
    throw Error::InvalidInput(path + ": not imported: " + std::to_string(parsed.problems.size()) +
                              " problem(s); the hierarchy is unchanged");
  }
  bool changed = OrgService(store).Replace(parsed.organisations, digest::Sha256Hex(content));
  if (!changed) {
    std::printf("%s: already the current hierarchy; nothing to do\n", path.c_str());
    return kExitOk;
  }
  std::size_t counts[4] = {};
  for (const Organisation& o : parsed.organisations) ++counts[static_cast<int>(o.level)];
  std::printf("%s: imported %zu rows: %zu practice, %zu PCN, %zu place and %zu ICS spans\n",
              path.c_str(), parsed.organisations.size(), counts[0], counts[1], counts[2],
              counts[3]);
  return kExitOk;
}

int List(const Arguments& args, ServerStore& store) {
  std::string date = Today();
  if (auto period = args.Get("period")) {
    auto parsed = ParsePeriod(*period);
    if (!parsed) throw Error::InvalidArgument("--period must be YYYY-MM, not '" + *period + "'");
    date = parsed->FirstDay().ToString();
  }
  OrgHierarchy hierarchy(OrgService(store).All());
  if (args.Has("json")) {
    // Every organisation valid that day, with its parent: what scripts join on.
    boost::json::array out;
    for (OrgLevel level : {OrgLevel::kIcs, OrgLevel::kPlace, OrgLevel::kPcn, OrgLevel::kPractice}) {
      for (const Organisation* o : hierarchy.At(level, date)) {
        out.push_back({{"code", o->code},
                       {"name", o->name},
                       {"type", OrgTypeName(o->level)},
                       {"parent", o->parent},
                       {"valid_from", o->valid_from},
                       {"valid_to", o->valid_to}});
      }
    }
    std::cout << boost::json::serialize(boost::json::object{{"date", date}, {"organisations", out}})
              << "\n";
    return kExitOk;
  }
  if (hierarchy.empty()) {
    std::printf("no hierarchy yet; load one with 'tributary-server orgs import orgs.csv'\n");
    return kExitOk;
  }
  std::printf("hierarchy on %s\n", date.c_str());
  for (const Organisation* ics : hierarchy.At(OrgLevel::kIcs, date)) {
    std::printf("%s %s\n", ics->code.c_str(), ics->name.c_str());
    for (const Organisation* place : hierarchy.At(OrgLevel::kPlace, date)) {
      if (place->parent != ics->code) continue;
      std::printf("  %s %s\n", place->code.c_str(), place->name.c_str());
      for (const Organisation* pcn : hierarchy.At(OrgLevel::kPcn, date)) {
        if (pcn->parent != place->code) continue;
        auto practices = hierarchy.PracticesUnder(pcn->code, date);
        std::printf("    %s %s (%zu practices)\n", pcn->code.c_str(), pcn->name.c_str(),
                    practices.size());
        for (const std::string& code : practices) {
          std::printf("      %s %s\n", code.c_str(), hierarchy.Find(code, date)->name.c_str());
        }
      }
    }
  }
  return kExitOk;
}

}  // namespace

int RunOrgs(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "period", "json"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);  // a clear "run init first"
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  std::string action = args.Positional(1);
  if (action == "import") return Import(args, store);
  if (action == "list") return List(args, store);
  throw Error::InvalidArgument(
      "usage: tributary-server orgs import FILE | orgs list [--period YYYY-MM] [--json]");
}

}  // namespace tributary::server
