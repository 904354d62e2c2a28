#include "api/corrections_api.h"

#include <boost/json.hpp>

#include "api/api_request.h"
#include "orgs/org_hierarchy.h"
#include "reconcile/correction_service.h"
#include "reconcile/record_readings.h"
#include "tributary/common/error.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

using api::DataDataset;
using api::JsonBody;
using api::Text;

FieldMap Fields(const json::object& o) {
  const json::value* v = o.if_contains("fields");
  if (v == nullptr || !v->is_object()) throw Error::InvalidArgument("fields must be an object");
  FieldMap fields;
  for (const auto& [name, value] : v->as_object()) {
    if (!value.is_string()) {
      throw Error::InvalidArgument("fields." + std::string(name) + " must be a string");
    }
    fields.emplace(std::string(name), std::string(value.as_string()));
  }
  return fields;
}

json::object ToJson(const FieldMap& fields) {
  json::object o;
  for (const auto& [name, value] : fields) o[name] = value;
  return o;
}

void RequireCanAct(const User& user) {
  if (!CanActOnReturns(user.role)) {
    throw Error::Forbidden("a " + std::string(RoleName(user.role)) +
                           " can read records but not correct them or resolve conflicts");
  }
}

// `code` (parameter `name`) an organisation of `period` inside the scope.
void RequireVisible(ServerStore& store, const User& user, const std::string& code,
                    const std::string& period, const std::string& name = "practice") {
  auto hierarchy = store.Hierarchy();
  api::RequireOrganisation(*hierarchy, name, code, period, name == "practice");
  if (!AccessPolicy(user, *hierarchy).CanSee(code, period + "-01")) {
    throw Error::Forbidden(code + " in " + period + " is outside your scope (" + user.scope + ")");
  }
}

// A record's fields checked as an agent's change would be, for `practice`.
void CheckRecord(const DatasetDecl& dataset, const FieldMap& fields, const std::string& practice) {
  auto findings = ValidateWireRecord(dataset, fields);
  if (!findings.empty()) {
    throw Error::InvalidInput("fields." + findings[0].field + ": " + findings[0].reason);
  }
  auto it = fields.find(dataset.practice_field);
  if (it == fields.end() || it->second != practice) {
    throw Error::InvalidInput("the record must be practice " + practice + "'s");
  }
}

}  // namespace

HttpResponse CorrectionsApi::Records(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"practice", "dataset", "period"});
  const DatasetDecl& dataset = DataDataset(params["dataset"]);
  std::string period = api::Period(params["period"]);
  RequireVisible(store_, user, params["practice"], period);
  json::array records;
  for (const HeldRecord& r :
       RecordReadings(store_).Of(params["practice"], std::string(dataset.name), period)) {
    records.push_back({{"key", r.key}, {"fields", ToJson(r.fields)}, {"version", r.version}});
  }
  HttpResponse response;
  response.body = json::serialize(json::object{{"records", std::move(records)}});
  return response;
}

HttpResponse CorrectionsApi::Correct(const HttpRequest& request, const User& user) {
  RequireCanAct(user);
  json::object body = JsonBody(request);
  std::string practice = Text(body, "practice");
  const DatasetDecl& dataset = DataDataset(Text(body, "dataset"));
  FieldMap fields = Fields(body);
  const json::value* base = body.if_contains("base_version");
  if (base == nullptr || !((base->is_int64() && base->as_int64() >= 0) || base->is_uint64())) {
    throw Error::InvalidArgument("base_version is required: the version you read, a whole number");
  }
  CheckRecord(dataset, fields, practice);
  RequireVisible(store_, user, practice, RecordPeriod(dataset, fields));
  std::uint64_t version =
      CorrectionService(store_).Correct(practice, std::string(dataset.name), fields,
                                        base->to_number<std::uint64_t>(), api::Actor(user));
  HttpResponse response;
  response.body = json::serialize(json::object{{"version", version}});
  return response;
}

HttpResponse CorrectionsApi::Conflicts(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"period", "code"});
  std::string period = api::Period(params["period"]);
  std::string code = params["code"].empty() ? user.scope : params["code"];
  RequireVisible(store_, user, code, period, "code");
  std::shared_ptr<const OrgHierarchy> shared_hierarchy = store_.Hierarchy();
  const OrgHierarchy& hierarchy = *shared_hierarchy;
  json::array out;
  for (const RecordConflict& c :
       CorrectionService(store_).OpenConflicts(hierarchy.PracticesUnder(code, period + "-01"))) {
    if (c.period != period) continue;
    out.push_back({{"id", c.id},
                   {"practice", c.practice},
                   {"dataset", c.dataset},
                   {"key", c.record_key},
                   {"period", c.period},
                   {"practice_op", c.practice_op},
                   {"practice_value", ToJson(c.practice_fields)},
                   {"central_value", c.central_fields ? json::value(ToJson(*c.central_fields))
                                                      : json::value(nullptr)}});
  }
  HttpResponse response;
  response.body = json::serialize(json::object{{"conflicts", std::move(out)}});
  return response;
}

HttpResponse CorrectionsApi::Resolve(const HttpRequest& request, const User& user) {
  RequireCanAct(user);
  json::object body = JsonBody(request);
  const json::value* id = body.if_contains("id");
  if (id == nullptr || !id->is_int64()) throw Error::InvalidArgument("id is required");
  std::optional<RecordConflict> conflict = CorrectionService(store_).FindConflict(id->as_int64());
  if (!conflict) throw Error::NotFound("no open conflict " + std::to_string(id->as_int64()));
  RequireVisible(store_, user, conflict->practice, conflict->period);
  std::string keep = Text(body, "keep");
  ConflictChoice choice;
  FieldMap fields;
  if (keep == "practice") {
    choice = ConflictChoice::kPractice;
  } else if (keep == "central") {
    choice = ConflictChoice::kCentral;
  } else if (keep == "new") {
    choice = ConflictChoice::kNew;
    fields = Fields(body);
    CheckRecord(*datasets::Find(conflict->dataset), fields, conflict->practice);
  } else {
    throw Error::InvalidArgument("keep must be practice, central or new");
  }
  CorrectionService(store_).Resolve(conflict->id, choice, fields, api::Actor(user));
  HttpResponse response;
  response.body = json::serialize(json::object{{"resolved", conflict->id}, {"kept", keep}});
  return response;
}

}  // namespace tributary::server
