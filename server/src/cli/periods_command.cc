// `periods list|close|reopen|publish|lineage`: the operator's hand on the
// months' life (periods/period_state.h), the same acts as the /v1/periods
// routes, audited as the operator's.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "orgs/org_hierarchy.h"
#include "periods/period_service.h"
#include "report/period_report.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr const char* kUsage =
    "usage: tributary-server periods list [--ics CODE] [--json]\n"
    "       tributary-server periods close|reopen|publish --period YYYY-MM [--ics CODE] [--json]\n"
    "       tributary-server periods lineage --period YYYY-MM [--version N] [--ics CODE] [--json]";

std::string RequirePeriod(const Arguments& args) {
  std::string text = args.Require("period");
  auto period = ParsePeriod(text);
  if (!period) throw Error::InvalidArgument("--period must be YYYY-MM, not '" + text + "'");
  return period->ToString();
}

// --ics, or the one ICS of the hierarchy on `date`.
std::string IcsFrom(const Arguments& args, ServerStore& store, const std::string& date) {
  std::shared_ptr<const OrgHierarchy> hierarchy = store.Hierarchy();
  if (auto ics = args.Get("ics")) {
    const Organisation* org = hierarchy->Find(*ics, date);
    if (org == nullptr || org->level != OrgLevel::kIcs) {
      throw Error::NotFound(*ics + " is not an ICS in the hierarchy on " + date);
    }
    return *ics;
  }
  std::vector<const Organisation*> all = hierarchy->At(OrgLevel::kIcs, date);
  if (all.size() == 1) return all.front()->code;
  if (all.empty()) {
    throw Error::NotFound("the hierarchy has no ICS on " + date +
                          "; import one with 'tributary-server orgs import orgs.csv'");
  }
  throw Error::InvalidArgument("the hierarchy holds " + std::to_string(all.size()) + " ICSs on " +
                               date + "; name one with --ics");
}

int List(const Arguments& args, ServerStore& store) {
  std::string ics = IcsFrom(args, store, FormatUtc(store.NowMillis(), UtcFormat::kIsoDate));
  std::vector<PeriodSummary> months = PeriodService(store).Summaries(ics);
  if (args.Has("json")) {
    boost::json::array out;
    for (const PeriodSummary& s : months) out.push_back(PeriodJson(store, s, ics));
    std::cout << boost::json::serialize(boost::json::object{{"ics", ics}, {"periods", out}})
              << "\n";
    return kExitOk;
  }
  std::printf("%s", PeriodsTable(store, months, ics).c_str());
  return kExitOk;
}

int Act(const Arguments& args, ServerStore& store, const std::string& action) {
  std::string period = RequirePeriod(args);
  std::string ics = IcsFrom(args, store, period + "-01");
  if (action == "publish") {
    PublishedVersion v = PeriodService(store).Publish(ics, period, "operator");
    if (args.Has("json")) {
      boost::json::object o = VersionJson(v);
      o["ics"] = ics;
      o["period"] = period;
      std::cout << boost::json::serialize(o) << "\n";
    } else {
      std::printf("%s %s: published version %lld: %lld figures from %lld returns\n", ics.c_str(),
                  period.c_str(), static_cast<long long>(v.version),
                  static_cast<long long>(v.figures), static_cast<long long>(v.returns));
    }
    return kExitOk;
  }
  PeriodStatus s = PeriodService(store).Act(
      ics, period, action == "close" ? PeriodAction::kClose : PeriodAction::kReopen, "operator");
  if (args.Has("json")) {
    std::cout << boost::json::serialize(boost::json::object{
                     {"ics", ics}, {"period", period}, {"state", PeriodStateName(s.state)}})
              << "\n";
  } else if (s.state == PeriodState::kClosed) {
    std::printf(
        "%s %s: closed; practices' changes to it are kept but not applied "
        "(period_closed) until it is reopened\n",
        ics.c_str(), period.c_str());
  } else {
    std::printf("%s %s: open again; practices' changes to it apply\n", ics.c_str(), period.c_str());
  }
  return kExitOk;
}

int Lineage(const Arguments& args, ServerStore& store) {
  std::string period = RequirePeriod(args);
  std::string ics = IcsFrom(args, store, period + "-01");
  std::optional<std::int64_t> version;
  if (auto text = args.Get("version")) {
    if (text->empty() || text->size() > 9 ||
        text->find_first_not_of("0123456789") != std::string::npos || std::stoll(*text) < 1) {
      throw Error::InvalidArgument("--version must be a whole number from 1, not '" + *text + "'");
    }
    version = std::stoll(*text);
  }
  std::optional<PublishedLineage> lineage = PeriodService(store).ReadLineage(ics, period, version);
  if (!lineage) {
    throw Error::NotFound((version ? "no version " + std::to_string(*version) : "no version") +
                          " of " + period + " has been published for " + ics);
  }
  if (args.Has("json")) {
    std::cout << boost::json::serialize(LineageJson(*lineage, [](const std::string&) {
      return true;
    })) << "\n";
    return kExitOk;
  }
  std::printf("%s %s version %lld, published %s by %s\n", ics.c_str(), period.c_str(),
              static_cast<long long>(lineage->version.version),
              FormatUtc(lineage->version.published_at_ms).c_str(),
              lineage->version.published_by.c_str());
  std::printf("%-8s %-13s %-10s %8s %8s  %s\n", "PRACTICE", "DATASET", "STATE", "REVISION",
              "RECORDS", "SHA-256");
  for (const LineageEntry& e : lineage->returns) {
    std::printf("%-8s %-13s %-10s %8lld %8lld  %s\n", e.practice.c_str(), e.dataset.c_str(),
                std::string(ReturnStateName(e.state)).c_str(), static_cast<long long>(e.revision),
                static_cast<long long>(e.records), e.sha256.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunPeriods(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "period", "ics", "version", "json"});
  std::string action = args.Positional(1);
  if (args.positional().size() != 2 ||
      (action != "list" && action != "close" && action != "reopen" && action != "publish" &&
       action != "lineage")) {
    throw Error::InvalidArgument(kUsage);
  }
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);  // a clear "run init first"
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  if (action == "list") return List(args, store);
  if (action == "lineage") return Lineage(args, store);
  return Act(args, store, action);
}

}  // namespace tributary::server
