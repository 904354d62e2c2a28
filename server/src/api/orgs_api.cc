#include "api/orgs_api.h"

#include <boost/json.hpp>
#include <set>

#include "api/api_request.h"
#include "rollup/rollup_row.h"
#include "tributary/common/error.h"
#include "users/access_policy.h"

namespace tributary::server {
namespace {

namespace json = boost::json;

// `root` and every organisation under it on `day`, level by level down.
std::vector<const Organisation*> Subtree(const OrgHierarchy& hierarchy, const Organisation& root,
                                         const std::string& day) {
  std::vector<const Organisation*> out = {&root};
  std::set<std::string> parents = {root.code};
  for (int level = static_cast<int>(root.level) - 1; level >= 0; --level) {
    std::set<std::string> next;
    for (const Organisation* o : hierarchy.At(static_cast<OrgLevel>(level), day)) {
      if (parents.count(o->parent) == 0) continue;
      out.push_back(o);
      next.insert(o->code);
    }
    parents = std::move(next);
  }
  return out;
}

}  // namespace

HttpResponse OrgsApi::Get(const HttpRequest& request, const User& user) {
  auto params = api::QueryParams(request, {"period", "code", "format"});
  if (params["period"].empty()) throw Error::InvalidArgument("period is required (YYYY-MM)");
  std::string period = api::Period(params["period"]);
  std::string code = params["code"].empty() ? user.scope : params["code"];
  std::string format = params["format"].empty() ? "json" : params["format"];
  if (format != "json" && format != "csv") {
    throw Error::InvalidArgument("format must be json or csv, not '" + format + "'");
  }
  std::string day = period + "-01";
  std::shared_ptr<const OrgHierarchy> hierarchy = store_.Hierarchy();
  api::RequireOrganisation(*hierarchy, "code", code, period);
  const Organisation* root = hierarchy->Find(code, day);
  if (!AccessPolicy(user, *hierarchy).CanSee(code, day)) {
    throw Error::Forbidden(code + " in " + period + " is outside your scope (" + user.scope + ")");
  }
  std::vector<const Organisation*> orgs = Subtree(*hierarchy, *root, day);
  HttpResponse response;
  if (format == "csv") {
    response.content_type = "text/csv; charset=utf-8";
    response.body = "code,name,type,parent,valid_from,valid_to\r\n";
    for (const Organisation* o : orgs) {
      response.body += CsvField(o->code) + "," + CsvField(o->name) + "," +
                       std::string(OrgTypeName(o->level)) + "," + CsvField(o->parent) + "," +
                       o->valid_from + "," + o->valid_to + "\r\n";
    }
    return response;
  }
  json::array list;
  for (const Organisation* o : orgs) {
    list.push_back({{"code", o->code},
                    {"name", o->name},
                    {"type", OrgTypeName(o->level)},
                    {"parent", o->parent},
                    {"valid_from", o->valid_from},
                    {"valid_to", o->valid_to}});
  }
  response.body = json::serialize(
      json::object{{"period", period}, {"code", code}, {"organisations", std::move(list)}});
  return response;
}

}  // namespace tributary::server
