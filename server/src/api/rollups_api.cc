#include "api/rollups_api.h"

#include <set>

#include "http/query_string.h"
#include "rollup/rollup_service.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

const std::set<std::string> kParameters = {"level", "code", "period", "dataset", "format"};

std::string Param(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

RollupQuery ReadQuery(const std::map<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    if (kParameters.count(name) == 0) {
      throw Error::InvalidArgument("unknown parameter '" + name +
                                   "'; use level, code, period, dataset, format");
    }
  }
  RollupQuery query;
  if (std::string level = Param(params, "level"); !level.empty()) {
    query.filter.level = ParseLevel(level);
    if (!query.filter.level) {
      throw Error::InvalidArgument("level must be practice, pcn, place or ics, not '" + level + "'");
    }
  }
  query.filter.code = Param(params, "code");
  query.filter.dataset = Param(params, "dataset");
  if (!query.filter.dataset.empty() && query.filter.dataset != "workforce" &&
      query.filter.dataset != "appointments" && query.filter.dataset != "coverage") {
    throw Error::InvalidArgument("dataset must be workforce, appointments or coverage");
  }
  if (std::string period = Param(params, "period"); !period.empty()) {
    auto parsed = ParsePeriod(period);
    if (!parsed) throw Error::InvalidArgument("period must be YYYY-MM, not '" + period + "'");
    query.period = parsed->ToString();
  }
  return query;
}

bool WantsCsv(const std::map<std::string, std::string>& params, const HttpRequest& request) {
  std::string format = Param(params, "format");
  if (format == "csv") return true;
  if (format == "json") return false;
  if (!format.empty()) throw Error::InvalidArgument("format must be json or csv");
  return request.Header("accept").find("text/csv") != std::string::npos;
}

}  // namespace

HttpResponse RollupsApi::Get(const HttpRequest& request, const User& user) {
  auto params = ParseQuery(request.target);
  if (!params) throw Error::InvalidArgument("the query string is malformed or repeats a parameter");
  RollupQuery query = ReadQuery(*params);
  bool csv = WantsCsv(*params, request);

  std::shared_ptr<const OrgHierarchy> shared_hierarchy = store_.Hierarchy();

  const OrgHierarchy& hierarchy = *shared_hierarchy;
  AccessPolicy access(user, hierarchy);
  if (query.filter.level && !access.CanSeeLevel(*query.filter.level)) {
    throw Error::Forbidden("a " + std::string(RoleName(user.role)) + " cannot see " +
                           std::string(LevelName(*query.filter.level)) + " rollups");
  }
  if (!query.filter.code.empty()) {
    std::vector<std::string> periods =
        query.period.empty() ? store_.Periods() : std::vector<std::string>{query.period};
    bool visible = false;
    for (const std::string& period : periods) visible |= access.CanSee(query.filter.code, period + "-01");
    if (!periods.empty() && !visible) {
      throw Error::Forbidden(query.filter.code + " is outside your scope (" + user.scope + ")");
    }
  }
  std::vector<RollupRow> rows = QueryRollups(store_, query);
  std::erase_if(rows, [&access](const RollupRow& r) {
    return !access.CanSee(r.code, r.period + "-01");
  });
  HttpResponse response;
  if (csv) {
    response.content_type = "text/csv; charset=utf-8";
    response.body = RollupsCsv(rows);
  } else {
    response.body = RollupsJson(rows);
  }
  return response;
}

}  // namespace tributary::server
