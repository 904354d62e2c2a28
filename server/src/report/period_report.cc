#include "report/period_report.h"

#include <cstdio>

#include "rollup/rollup_service.h"
#include "tributary/common/dates.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

struct Coverage {
  std::int64_t expected = 0, submitted = 0, approved = 0;
};

Coverage CoverageOf(ServerStore& store, const std::string& code, const std::string& period) {
  RollupQuery query;
  query.filter.code = code;
  query.filter.dataset = "coverage";
  query.period = period;
  Coverage c;
  for (const RollupRow& r : QueryRollups(store, query)) {
    auto n = static_cast<std::int64_t>(r.value);
    if (r.measure == "practices_expected") c.expected = n;
    if (r.measure == "practices_submitted") c.submitted = n;
    if (r.measure == "practices_approved") c.approved = n;
  }
  return c;
}

}  // namespace

json::object VersionJson(const PublishedVersion& v) {
  return {{"version", v.version},
          {"published_at", FormatUtc(v.published_at_ms)},
          {"published_by", v.published_by},
          {"figures", v.figures},
          {"returns", v.returns}};
}

json::object CoverageJson(ServerStore& store, const std::string& code, const std::string& period) {
  Coverage c = CoverageOf(store, code, period);
  return {{"code", code},
          {"practices_expected", c.expected},
          {"practices_submitted", c.submitted},
          {"practices_approved", c.approved}};
}

json::object PeriodJson(ServerStore& store, const PeriodSummary& s, const std::string& code) {
  json::array versions;
  for (const PublishedVersion& v : s.versions) versions.push_back(VersionJson(v));
  return {{"period", s.status.period},
          {"state", PeriodStateName(s.status.state)},
          {"changed_by", s.status.changed_by},
          {"changed_at", s.status.changed_at_ms > 0 ? json::value(FormatUtc(s.status.changed_at_ms))
                                                    : json::value(nullptr)},
          {"versions", std::move(versions)},
          {"coverage", CoverageJson(store, code, s.status.period)}};
}

json::object LineageJson(const PublishedLineage& lineage,
                         const std::function<bool(const std::string&)>& visible) {
  json::array hierarchy;
  for (const Organisation& o : lineage.organisations) {
    hierarchy.push_back({{"code", o.code},
                         {"name", o.name},
                         {"type", OrgTypeName(o.level)},
                         {"parent", o.parent},
                         {"valid_from", o.valid_from},
                         {"valid_to", o.valid_to}});
  }
  json::array returns;
  for (const LineageEntry& e : lineage.returns) {
    if (!visible(e.practice)) continue;
    returns.push_back({{"practice", e.practice},
                       {"dataset", e.dataset},
                       {"state", ReturnStateName(e.state)},
                       {"revision", e.revision},
                       {"records", e.records},
                       {"sha256", e.sha256}});
  }
  json::object o = VersionJson(lineage.version);
  o["ics"] = lineage.version.ics;
  o["period"] = lineage.version.period;
  o["hierarchy"] = std::move(hierarchy);
  o["returns"] = std::move(returns);
  return o;
}

std::string PeriodsTable(ServerStore& store, const std::vector<PeriodSummary>& months,
                         const std::string& code) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-7s %-7s %-26s %-25s %s\n", "PERIOD", "STATE",
                "SUBMITTED / APPROVED", "CLOSED OR REOPENED", "PUBLISHED VERSIONS");
  out += line;
  for (const PeriodSummary& s : months) {
    Coverage c = CoverageOf(store, code, s.status.period);
    std::string coverage = std::to_string(c.submitted) + " / " + std::to_string(c.approved) +
                           " of " + std::to_string(c.expected);
    std::string changed =
        s.status.changed_at_ms > 0 ? FormatUtc(s.status.changed_at_ms) : std::string("-");
    std::string versions;
    for (const PublishedVersion& v : s.versions) {
      versions += (versions.empty() ? "" : ", ") + std::to_string(v.version) + " (" +
                  FormatUtc(v.published_at_ms).substr(0, 10) + ")";
    }
    std::snprintf(line, sizeof line, "%-7s %-7s %-26s %-25s %s\n", s.status.period.c_str(),
                  std::string(PeriodStateName(s.status.state)).c_str(), coverage.c_str(),
                  changed.c_str(), versions.empty() ? "-" : versions.c_str());
    out += line;
  }
  return out;
}

}  // namespace tributary::server
