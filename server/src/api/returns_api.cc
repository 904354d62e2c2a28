#include "api/returns_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "enrol/agent_service.h"
#include "orgs/org_hierarchy.h"
#include "periods/period_service.h"
#include "report/agent_report.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

using api::Actor;
using api::JsonBody;
using api::Text;

std::string CheckPeriod(const std::string& text) { return api::Period(text); }
std::string CheckDataset(const std::string& name) {
  return std::string(api::DataDataset(name).name);
}

std::optional<std::int64_t> Revision(const json::object& o) {
  const json::value* v = o.if_contains("revision");
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->as_int64() < 0) {
    throw Error::InvalidArgument("revision must be a whole number (the revision you read)");
  }
  return v->as_int64();
}

ReturnKey KeyFrom(const json::object& o) {
  return {Text(o, "practice"), CheckDataset(Text(o, "dataset")), CheckPeriod(Text(o, "period"))};
}

json::object ToJson(const ReturnStatus& r) {
  return {{"practice", r.key.practice},
          {"dataset", r.key.dataset},
          {"period", r.key.period},
          {"state", ReturnStateName(r.state)},
          {"revision", r.revision},
          {"approved_revision",
           r.approved_revision ? json::value(*r.approved_revision) : json::value(nullptr)},
          {"query_comment", r.query_comment},
          {"updated_by", r.updated_by}};
}

json::array HistoryJson(const std::vector<ReturnEvent>& events) {
  json::array out;
  for (const ReturnEvent& e : events) {
    json::object o{{"at", FormatUtc(e.at_ms)},
                   {"action", e.action},
                   {"revision", e.revision},
                   {"actor", e.actor},
                   {"from_state", ReturnStateName(e.from)},
                   {"to_state", ReturnStateName(e.to)},
                   {"comment", e.comment}};
    if (e.action == "change") {
      o["upserts"] = e.upserts;
      o["deletes"] = e.deletes;
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::array RefusedJson(const std::vector<RefusedChange>& refused) {
  json::array out;
  for (const RefusedChange& r : refused) {
    json::value fields = nullptr;
    if (!r.fields.empty()) fields = json::parse(r.fields);
    out.push_back({{"seq", r.seq},
                   {"record_key", r.record_key},
                   {"code", r.code},
                   {"reasons", r.reasons},
                   {"fields", std::move(fields)},
                   {"received_at", FormatUtc(r.received_at_ms)}});
  }
  return out;
}

// The return's cross-practice findings, none when it has none.
HttpResponse JsonResponse(const json::value& value) {
  HttpResponse response;
  response.body = json::serialize(value);
  return response;
}

// Reading is for everyone in scope; acting is for a PCN manager or an admin.
void RequireCanAct(const User& user) {
  if (!CanActOnReturns(user.role)) {
    throw Error::Forbidden("a " + std::string(RoleName(user.role)) +
                           " can read returns but not query or approve them");
  }
}

class Scope {
 public:
  Scope(ServerStore& store, const User& user)
      : hierarchy_(store.Hierarchy()), access_(user, *hierarchy_), user_(user) {}

  // `code` (parameter `name`) an organisation of `period` inside the scope.
  void RequireVisible(const std::string& code, const std::string& period,
                      const std::string& name = "practice") const {
    api::RequireOrganisation(*hierarchy_, name, code, period, name == "practice");
    if (!access_.CanSee(code, period + "-01")) {
      throw Error::Forbidden(code + " in " + period + " is outside your scope (" + user_.scope +
                             ")");
    }
  }
  std::vector<std::string> PracticesUnder(const std::string& code,
                                          const std::string& period) const {
    return hierarchy_->PracticesUnder(code, period + "-01");
  }
  // The findings of `key` as this user is told them: other organisations by
  // name only inside their scope (validation/finding_disclosure.h).
  std::vector<std::string> FindingsOf(const FindingsOfMonth& findings, const ReturnKey& key) const {
    std::string day = key.period + "-01";
    return TellReturn(findings, key.practice, key.dataset,
                      [this, &day](const std::string& code) { return access_.CanSee(code, day); });
  }

 private:
  std::shared_ptr<const OrgHierarchy> hierarchy_;  // before access_, which refers to it
  AccessPolicy access_;
  const User& user_;
};

}  // namespace

HttpResponse ReturnsApi::Query(const HttpRequest& request, const User& user) {
  return Act(request, user, ReturnAction::kQuery);
}

HttpResponse ReturnsApi::Approve(const HttpRequest& request, const User& user) {
  return Act(request, user, ReturnAction::kApprove);
}

HttpResponse ReturnsApi::List(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"code", "period"});
  if (params["period"].empty()) throw Error::InvalidArgument("period is required");
  std::string period = CheckPeriod(params["period"]);
  std::string code = params["code"].empty() ? user.scope : params["code"];
  Scope scope(store_, user);
  scope.RequireVisible(code, period, "code");
  json::array out;
  std::shared_ptr<const FindingsOfMonth> checks = findings_.For(period);
  std::vector<std::string> practices = scope.PracticesUnder(code, period);
  std::map<std::string, AgentStatus> agents =
      CurrentAgents(AgentService(store_).StatusesOf(practices));
  std::int64_t now = store_.NowMillis();
  for (const ReturnStatus& r : returns_.Of(practices, period)) {
    json::object o = ToJson(r);
    auto agent = agents.find(r.key.practice);
    o["agent"] = AgentHealthJson(agent == agents.end() ? nullptr : &agent->second, now);
    json::array findings;
    for (const std::string& reason : returns_.RefusedReasons(r.key))
      findings.push_back(json::value(reason));
    for (const std::string& reason : scope.FindingsOf(*checks, r.key)) {
      findings.push_back(json::value(reason));
    }
    o["findings"] = std::move(findings);
    o["changes_since_approval"] = returns_.ChangesSinceApproval(r.key).size();
    out.push_back(std::move(o));
  }
  return JsonResponse(
      json::object{{"code", code}, {"period", period}, {"returns", std::move(out)}});
}

HttpResponse ReturnsApi::Detail(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"practice", "dataset", "period"});
  ReturnKey key{params["practice"], CheckDataset(params["dataset"]), CheckPeriod(params["period"])};
  Scope scope(store_, user);
  scope.RequireVisible(key.practice, key.period);
  json::object o = ToJson(returns_.Get(key));
  json::array changes;
  for (const ValueChange& c : returns_.ChangesSinceApproval(key)) {
    changes.push_back({{"record_key", c.record_key},
                       {"field", c.field},
                       {"approved", c.approved},
                       {"current", c.current}});
  }
  o["changes_since_approval"] = std::move(changes);
  json::array findings;
  for (const std::string& reason : returns_.RefusedReasons(key))
    findings.push_back(json::value(reason));
  for (const std::string& reason : scope.FindingsOf(*findings_.For(key.period), key)) {
    findings.push_back(json::value(reason));
  }
  o["findings"] = std::move(findings);
  o["refused_changes"] = RefusedJson(returns_.RefusedChanges(key));
  o["history"] = HistoryJson(returns_.History(key));
  std::map<std::string, AgentStatus> agents =
      CurrentAgents(AgentService(store_).StatusesOf({key.practice}));
  auto agent = agents.find(key.practice);
  o["agent"] =
      AgentHealthJson(agent == agents.end() ? nullptr : &agent->second, store_.NowMillis());
  // The month as the practice's ICS has it: a closed month takes no more
  // changes from the practice.
  std::optional<std::string> ics =
      store_.Hierarchy()->AncestorOf(key.practice, OrgLevel::kIcs, key.period + "-01");
  PeriodState month = ics ? PeriodService(store_).Get(*ics, key.period).state : PeriodState::kOpen;
  o["period_state"] = PeriodStateName(month);
  return JsonResponse(o);
}

HttpResponse ReturnsApi::Act(const HttpRequest& request, const User& user, ReturnAction action) {
  RequireCanAct(user);
  json::object body = JsonBody(request);
  ReturnKey key = KeyFrom(body);
  Scope(store_, user).RequireVisible(key.practice, key.period);
  std::string comment = Text(body, "comment", action == ReturnAction::kQuery);
  if (action == ReturnAction::kQuery && comment.empty()) {
    throw Error::InvalidArgument("comment is required: say what the practice should look at");
  }
  std::optional<std::int64_t> revision = Revision(body);
  if (action == ReturnAction::kApprove && !revision) {
    throw Error::InvalidArgument(
        "revision is required: approve the revision you read (GET /v1/returns/detail)");
  }
  return JsonResponse(ToJson(returns_.Act(key, action, Actor(user), comment, revision)));
}

HttpResponse ReturnsApi::BulkPreview(const HttpRequest& request, const User& user) {
  RequireCanAct(user);
  json::object body = JsonBody(request);
  std::string period = CheckPeriod(Text(body, "period"));
  std::string code = Text(body, "code", false);
  if (code.empty()) code = user.scope;
  Scope scope(store_, user);
  scope.RequireVisible(code, period, "code");
  json::array out;
  for (const ReturnStatus& r : returns_.Of(scope.PracticesUnder(code, period), period)) {
    if (r.state == ReturnState::kSubmitted) out.push_back(ToJson(r));
  }
  std::size_t count = out.size();
  return JsonResponse(json::object{{"returns", std::move(out)}, {"count", count}});
}

HttpResponse ReturnsApi::BulkApprove(const HttpRequest& request, const User& user) {
  RequireCanAct(user);
  json::object body = JsonBody(request);
  const json::value* list = body.if_contains("returns");
  if (list == nullptr || !list->is_array() || list->as_array().empty()) {
    throw Error::InvalidArgument("returns must be the non-empty list the preview gave");
  }
  Scope scope(store_, user);
  std::vector<std::pair<ReturnKey, std::int64_t>> approvals;
  for (const json::value& item : list->as_array()) {
    if (!item.is_object()) throw Error::InvalidArgument("each of returns must be an object");
    ReturnKey key = KeyFrom(item.as_object());
    auto revision = Revision(item.as_object());
    if (!revision) throw Error::InvalidArgument("each of returns needs its revision");
    scope.RequireVisible(key.practice, key.period);
    approvals.emplace_back(key, *revision);
  }
  returns_.ApproveAll(approvals, Actor(user));
  return JsonResponse(json::object{{"approved", approvals.size()}});
}

}  // namespace tributary::server
