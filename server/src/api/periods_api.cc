#include "api/periods_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "periods/period_service.h"
#include "report/period_report.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

HttpResponse JsonResponse(const json::value& value) {
  HttpResponse response;
  response.body = json::serialize(value);
  return response;
}

std::string Today(ServerStore& store) { return FormatUtc(store.NowMillis()).substr(0, 10); }

}  // namespace

HttpResponse PeriodsApi::Close(const HttpRequest& request, const User& user) {
  return Act(request, user, "close");
}

HttpResponse PeriodsApi::Reopen(const HttpRequest& request, const User& user) {
  return Act(request, user, "reopen");
}

HttpResponse PeriodsApi::Publish(const HttpRequest& request, const User& user) {
  return Act(request, user, "publish");
}

HttpResponse PeriodsApi::List(const HttpRequest& request, const User& user) {
  api::QueryParams(request, {});
  std::string ics = api::IcsOf(user, *store_.Hierarchy(), Today(store_));
  json::array periods;
  for (const PeriodSummary& s : PeriodService(store_).Summaries(ics)) {
    periods.push_back(PeriodJson(store_, s, user.scope));
  }
  return JsonResponse(json::object{{"ics", ics}, {"periods", std::move(periods)}});
}

HttpResponse PeriodsApi::Act(const HttpRequest& request, const User& user,
                             const std::string& action) {
  if (!CanSignOffMonths(user.role)) {
    throw Error::Forbidden("only an ICS manager or an admin can " + action + " a month; a " +
                           std::string(RoleName(user.role)) + " cannot");
  }
  json::object body = api::JsonBody(request);
  for (const auto& member : body) {
    if (member.key() != "period") {
      throw Error::InvalidArgument("unknown member '" + std::string(member.key()) +
                                   "'; send {\"period\": \"YYYY-MM\"}");
    }
  }
  std::string period = api::Period(api::Text(body, "period"));
  // The ICS roles' scope is their ICS: the month closed is that ICS's.
  std::string ics = user.scope;
  std::string actor = api::Actor(user);
  json::value answer;
  if (action == "publish") {
    PublishedVersion v = PeriodService(store_).Publish(ics, period, actor);
    json::object o = VersionJson(v);
    o["ics"] = ics;
    o["period"] = period;
    answer = std::move(o);
  } else {
    PeriodStatus s = PeriodService(store_).Act(
        ics, period, action == "close" ? PeriodAction::kClose : PeriodAction::kReopen, actor);
    answer = json::object{{"ics", ics},
                          {"period", period},
                          {"state", PeriodStateName(s.state)},
                          {"changed_by", s.changed_by},
                          {"changed_at", FormatUtc(s.changed_at_ms)}};
  }
  log::Info("period_" + action, "ics=" + ics + " period=" + period + " by=" + actor);
  return JsonResponse(answer);
}

HttpResponse PeriodsApi::Lineage(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"period", "version"});
  if (params["period"].empty()) throw Error::InvalidArgument("period is required");
  std::string period = api::Period(params["period"]);
  std::optional<std::int64_t> version;
  if (!params["version"].empty()) version = api::Version(params["version"]);
  std::string ics = api::IcsOf(user, *store_.Hierarchy(), period + "-01");
  std::optional<PublishedLineage> lineage = PeriodService(store_).ReadLineage(ics, period, version);
  if (!lineage) {
    throw Error::NotFound((version ? "no version " + std::to_string(*version) : "no version") +
                          " of " + period + " has been published for " + ics);
  }
  // Scope by the hierarchy the version used.
  OrgHierarchy hierarchy(lineage->organisations);
  AccessPolicy access(user, hierarchy);
  std::string day = period + "-01";
  return JsonResponse(LineageJson(
      *lineage, [&](const std::string& practice) { return access.CanSee(practice, day); }));
}

}  // namespace tributary::server
