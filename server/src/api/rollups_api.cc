#include "api/rollups_api.h"

#include <set>

#include "api/api_request.h"
#include "api/pagination.h"
#include "http/query_string.h"
#include "reconcile/record_readings.h"
#include "rollup/rollup_service.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/ods_code.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

const std::set<std::string> kParameters = {"level", "code",    "period", "dataset", "format",
                                           "basis", "version", "limit",  "cursor"};

std::string Param(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

RollupQuery ReadQuery(const std::map<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    if (kParameters.count(name) == 0) {
      throw Error::InvalidArgument(
          "unknown parameter '" + name +
          "'; use level, code, period, dataset, format, basis, version, limit, cursor");
    }
  }
  RollupQuery query;
  if (std::string level = Param(params, "level"); !level.empty()) {
    query.filter.level = ParseLevel(level);
    if (!query.filter.level) {
      throw Error::InvalidArgument("level must be practice, pcn, place or ics, not '" + level +
                                   "'");
    }
  }
  query.filter.code = Param(params, "code");
  if (!query.filter.code.empty() && !ods::IsOrganisationCode(query.filter.code)) {
    throw Error::InvalidArgument("code must be an ODS code, not '" + query.filter.code + "'");
  }
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
  if (std::string basis = Param(params, "basis"); !basis.empty()) {
    std::optional<RollupBasis> parsed = ParseRollupBasis(basis);
    if (!parsed) {
      throw Error::InvalidArgument("basis must be latest, approved or published, not '" + basis +
                                   "'");
    }
    query.basis = *parsed;
  }
  if (std::string version = Param(params, "version"); !version.empty()) {
    if (query.basis != RollupBasis::kPublished) {
      throw Error::InvalidArgument(
          "version names a published version: use it with "
          "basis=published");
    }
    query.version = api::Version(version);
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

  std::shared_ptr<const OrgHierarchy> current = store_.Hierarchy();
  AccessPolicy access(user, *current);
  if (query.filter.level && !access.CanSeeLevel(*query.filter.level)) {
    throw Error::Forbidden("a " + std::string(RoleName(user.role)) + " cannot see " +
                           std::string(LevelName(*query.filter.level)) + " rollups");
  }
  if (query.basis == RollupBasis::kPublished) {
    std::string day =
        query.period.empty() ? FormatUtc(store_.NowMillis()).substr(0, 10) : query.period + "-01";
    query.ics = api::IcsOf(user, *current, day);
  } else if (!query.filter.code.empty()) {
    std::vector<std::string> periods = query.period.empty()
                                           ? RecordReadings(store_).Periods()
                                           : std::vector<std::string>{query.period};
    bool exists = false;
    bool visible = false;
    for (const std::string& period : periods) {
      exists |= current->Find(query.filter.code, period + "-01") != nullptr;
      visible |= access.CanSee(query.filter.code, period + "-01");
    }
    if (!periods.empty() && !exists) {
      throw Error::NotFound(query.filter.code + " is not an organisation in " +
                            (query.period.empty() ? "any month with records" : query.period));
    }
    if (!periods.empty() && !visible) {
      throw Error::Forbidden(query.filter.code + " is outside your scope (" + user.scope + ")");
    }
  }
  std::vector<RollupRow> rows;
  bool code_visible = false;
  for (RollupMonthAnswer& answer : AnswerRollups(store_, query)) {
    // Scope follows the hierarchy the figures were computed under: a
    // published version's own for published figures.
    AccessPolicy month_access(user, *answer.hierarchy);
    std::string day = answer.period + "-01";
    if (!query.filter.code.empty()) code_visible |= month_access.CanSee(query.filter.code, day);
    for (RollupRow& r : answer.rows) {
      if (month_access.CanSee(r.code, day)) rows.push_back(std::move(r));
    }
  }
  if (query.basis == RollupBasis::kPublished && !query.filter.code.empty() && !code_visible &&
      !query.period.empty()) {
    throw Error::Forbidden(query.filter.code + " is outside your scope (" + user.scope + ")");
  }
  // Paged here rather than by the API's door: the figures keep the plain
  // decimals RollupsJson writes.
  PageRequest page = ReadPageRequest(request);
  std::optional<std::size_t> next;
  if (page.asked) {
    std::size_t first = std::min(page.offset, rows.size());
    std::size_t last = std::min(rows.size(), first + page.limit.value_or(kMaxPageLimit));
    if (last < rows.size()) next = last;
    rows = std::vector<RollupRow>(
        std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(first)),
        std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(last)));
  }
  HttpResponse response;
  if (next) response.headers.emplace_back("Next-Cursor", std::to_string(*next));
  if (csv) {
    response.content_type = "text/csv; charset=utf-8";
    response.body = RollupsCsv(rows);
  } else {
    response.body = RollupsJson(rows);
    if (page.asked) {  // {"rows": [...]} gains its next_cursor
      response.body.pop_back();
      response.body +=
          ",\"next_cursor\":" + (next ? "\"" + std::to_string(*next) + "\"" : std::string("null")) +
          "}";
    }
  }
  return response;
}

}  // namespace tributary::server
