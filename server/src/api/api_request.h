// What every people's API route reads from a request, checked the same way
// everywhere: query parameters, a JSON body, periods and dataset names, and
// the person's ICS. Each check throws Error(kInvalidArgument)
// naming what is wrong, which the router answers 400.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "http/http_message.h"
#include "orgs/org_hierarchy.h"
#include "tributary/common/dataset.h"
#include "users/user.h"

namespace tributary::server::api {

// The query parameters, refusing a malformed query or a name not in `allowed`.
std::map<std::string, std::string> QueryParams(const HttpRequest& request,
                                               const std::set<std::string>& allowed);
// The body as a JSON object.
boost::json::object JsonBody(const HttpRequest& request);
// A string member; "" when absent and not `required`.
std::string Text(const boost::json::object& o, const char* name, bool required = true);
// "YYYY-MM", normalised.
std::string Period(const std::string& text);
// `code`, the value of parameter or member `name`, as an organisation of
// `period` (YYYY-MM), checked before any scope: Error(kInvalidArgument) when
// it is empty or not an ODS code (a practice code where `practice`), and
// Error(kNotFound) when no organisation had it on the month's first day.
void RequireOrganisation(const OrgHierarchy& hierarchy, const std::string& name,
                         const std::string& code, const std::string& period, bool practice = false);
// A published version's number: a whole number from 1.
std::int64_t Version(const std::string& text);
// The ICS the user's scope is under on `iso_date`: their scope itself for the
// ICS roles. Error(kNotFound) when the scope did not exist that day,
// Error(kForbidden) when it was under no ICS.
std::string IcsOf(const User& user, const OrgHierarchy& hierarchy, const std::string& iso_date);
// One of the datasets a practice returns (not a submission).
const DatasetDecl& DataDataset(const std::string& name);
// How a person appears in audit and history: "u-1a2b (Pat Lee)".
std::string Actor(const User& user);

}  // namespace tributary::server::api
