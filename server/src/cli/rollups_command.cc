// `rollups show`: the month's figures at practice, PCN, place and ICS level,
// as a table for people or as the API's tidy CSV / JSON for scripts.
#include <cstdio>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "orgs/org_hierarchy.h"
#include "periods/period_service.h"
#include "rollup/rollup_readings.h"
#include "rollup/rollup_service.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::string Dimensions(const RollupRow& r) {
  std::string text;
  for (const std::string* d : {&r.staff_group, &r.staff_role, &r.hcp_type, &r.appt_mode,
                               &r.appt_status, &r.booking_interval}) {
    if (!d->empty()) text += (text.empty() ? "" : " / ") + *d;
  }
  return text.empty() ? "(total)" : text;
}

bool IsTotal(const RollupRow& r) {
  return r.staff_group.empty() && r.staff_role.empty() && r.hcp_type.empty() &&
         r.appt_mode.empty() && r.appt_status.empty() && r.booking_interval.empty();
}

void PrintTable(const std::vector<RollupRow>& rows) {
  std::printf("%-8s %-7s %-7s %-12s %-22s %-40s %12s %8s\n", "LEVEL", "CODE", "PERIOD", "DATASET",
              "MEASURE", "BREAKDOWN", "VALUE", "PRACTICES");
  for (const RollupRow& r : rows) {
    double v = RoundedValue(r.value);
    char value[32];
    if (v == static_cast<double>(static_cast<long long>(v))) {
      std::snprintf(value, sizeof value, "%lld", static_cast<long long>(v));
    } else {
      std::snprintf(value, sizeof value, "%.3f", v);
    }
    std::printf("%-8s %-7s %-7s %-12s %-22s %-40s %12s %8lld\n", r.level.c_str(), r.code.c_str(),
                r.period.c_str(), r.dataset.c_str(), r.measure.c_str(), Dimensions(r).c_str(),
                value, static_cast<long long>(r.practices_covered));
  }
}

// --ics, or the one ICS of the hierarchy in the month (or today).
std::string PublishedIcs(const Arguments& args, ServerStore& store, const std::string& period) {
  if (auto ics = args.Get("ics")) return *ics;
  std::string date =
      period.empty() ? FormatUtc(store.NowMillis(), UtcFormat::kIsoDate) : period + "-01";
  std::vector<const Organisation*> all = store.Hierarchy()->At(OrgLevel::kIcs, date);
  if (all.size() != 1) {
    throw Error::InvalidArgument("the hierarchy holds " + std::to_string(all.size()) + " ICSs on " +
                                 date + "; name one with --ics");
  }
  return all.front()->code;
}

int Verify(const Arguments& args) {
  args.AllowOnly({"config", "data-dir"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  std::vector<std::string> differences = RollupReadings(store).Differences();
  for (const std::string& d : differences) std::fprintf(stderr, "%s\n", d.c_str());
  std::vector<std::string> published = PeriodService(store).PublishedDifferences();
  for (const std::string& d : published) std::fprintf(stderr, "%s\n", d.c_str());
  if (!differences.empty() || !published.empty()) {
    throw Error::Conflict(std::to_string(differences.size()) +
                          " practice-month(s) of rollups differ from the records; " +
                          std::to_string(published.size()) +
                          " difference(s) in published versions");
  }
  std::size_t versions = PeriodService(store).AllPublished().size();
  std::printf(
      "rollups verified: every practice-month recomputed from the records agrees, and "
      "%zu published version(s) recomputed from their lineage agree\n",
      versions);
  return kExitOk;
}

}  // namespace

int RunRollups(const Arguments& args) {
  if (args.Positional(1) == "verify" && args.positional().size() == 2) return Verify(args);
  args.AllowOnly({"config", "data-dir", "level", "code", "period", "dataset", "format", "totals",
                  "basis", "version", "ics"});
  if (args.Positional(1) != "show" || args.positional().size() > 2) {
    throw Error::InvalidArgument(
        "usage: tributary-server rollups show [--period YYYY-MM] [--level L] [--code CODE] "
        "[--dataset D] [--basis latest|approved|published [--version N] [--ics CODE]] "
        "[--totals] [--format table|csv|json]");
  }
  RollupQuery query;
  if (auto level = args.Get("level")) {
    query.filter.level = ParseLevel(*level);
    if (!query.filter.level) {
      throw Error::InvalidArgument("--level must be practice, pcn, place or ics");
    }
  }
  query.filter.code = args.Get("code").value_or("");
  query.filter.dataset = args.Get("dataset").value_or("");
  if (!query.filter.dataset.empty() && query.filter.dataset != "workforce" &&
      query.filter.dataset != "appointments" && query.filter.dataset != "coverage") {
    throw Error::InvalidArgument("--dataset must be workforce, appointments or coverage");
  }
  if (auto period = args.Get("period")) {
    auto parsed = ParsePeriod(*period);
    if (!parsed) throw Error::InvalidArgument("--period must be YYYY-MM, not '" + *period + "'");
    query.period = parsed->ToString();
  }
  if (auto basis = args.Get("basis")) {
    std::optional<RollupBasis> parsed = ParseRollupBasis(*basis);
    if (!parsed) throw Error::InvalidArgument("--basis must be latest, approved or published");
    query.basis = *parsed;
  }
  if (query.basis != RollupBasis::kPublished && (args.Has("version") || args.Has("ics"))) {
    throw Error::InvalidArgument(
        "--version and --ics name a published version: use them with "
        "--basis published");
  }
  if (auto version = args.Get("version")) {
    if (version->empty() || version->size() > 9 ||
        version->find_first_not_of("0123456789") != std::string::npos || std::stoll(*version) < 1) {
      throw Error::InvalidArgument("--version must be a whole number from 1, not '" + *version +
                                   "'");
    }
    query.version = std::stoll(*version);
  }
  std::string format = args.Get("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    throw Error::InvalidArgument("--format must be table, csv or json");
  }
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  if (query.basis == RollupBasis::kPublished) query.ics = PublishedIcs(args, store, query.period);
  std::vector<RollupRow> rows = QueryRollups(store, query);
  if (args.Has("totals")) std::erase_if(rows, [](const RollupRow& r) { return !IsTotal(r); });
  if (format == "csv") {
    std::fputs(RollupsCsv(rows).c_str(), stdout);
  } else if (format == "json") {
    std::printf("%s\n", RollupsJson(rows).c_str());
  } else {
    PrintTable(rows);
  }
  return kExitOk;
}

}  // namespace tributary::server
