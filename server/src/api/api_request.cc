#include "api/api_request.h"

#include "http/query_string.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/ods_code.h"
#include "tributary/protocol/codec.h"

namespace tributary::server::api {

std::map<std::string, std::string> QueryParams(const HttpRequest& request,
                                               const std::set<std::string>& allowed) {
  auto params = ParseQuery(request.target);
  if (!params) throw Error::InvalidArgument("the query string is malformed or repeats a parameter");
  for (const auto& [name, value] : *params) {
    if (allowed.count(name) == 0) throw Error::InvalidArgument("unknown parameter '" + name + "'");
  }
  return *params;
}

boost::json::object JsonBody(const HttpRequest& request) {
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object()) throw Error::InvalidArgument("the body must be a JSON object");
  return body.as_object();
}

std::string Text(const boost::json::object& o, const char* name, bool required) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) throw Error::InvalidArgument(std::string(name) + " is required");
    return "";
  }
  if (!v->is_string()) throw Error::InvalidArgument(std::string(name) + " must be a string");
  return std::string(v->as_string());
}

std::string Period(const std::string& text) {
  auto period = ParsePeriod(text);
  if (!period) throw Error::InvalidArgument("period must be YYYY-MM, not '" + text + "'");
  return period->ToString();
}

void RequireOrganisation(const OrgHierarchy& hierarchy, const std::string& name,
                         const std::string& code, const std::string& period, bool practice) {
  if (code.empty()) throw Error::InvalidArgument(name + " is required");
  if (practice ? !ods::IsPracticeCode(code) : !ods::IsOrganisationCode(code)) {
    throw Error::InvalidArgument(name + " must be " +
                                 (practice ? "a practice's ODS code" : "an ODS code") + ", not '" +
                                 code + "'");
  }
  if (hierarchy.Find(code, period + "-01") == nullptr) {
    throw Error::NotFound(code + " is not an organisation in " + period);
  }
}

std::int64_t Version(const std::string& text) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoll(text) < 1) {
    throw Error::InvalidArgument("version must be a whole number from 1, not '" + text + "'");
  }
  return std::stoll(text);
}

std::string IcsOf(const User& user, const OrgHierarchy& hierarchy, const std::string& iso_date) {
  if (hierarchy.Find(user.scope, iso_date) == nullptr) {
    throw Error::NotFound("your scope " + user.scope + " is not an organisation on " + iso_date);
  }
  std::optional<std::string> ics = hierarchy.IcsOf(user.scope, iso_date);
  if (!ics) {
    throw Error::Forbidden("your scope " + user.scope + " is under no ICS on " + iso_date);
  }
  return *ics;
}

const DatasetDecl& DataDataset(const std::string& name) {
  const DatasetDecl* d = datasets::Find(name);
  if (d == nullptr || d == &datasets::Submission()) {
    throw Error::InvalidArgument("dataset must be workforce, appointments or list_size");
  }
  return *d;
}

std::string Actor(const User& user) { return user.user_id + " (" + user.name + ")"; }

}  // namespace tributary::server::api
