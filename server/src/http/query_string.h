// The query string of a request target ("/v1/rollups?level=pcn&code=U10010"),
// percent-decoded ('+' is a space, as HTML forms send it).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace tributary::server {

// nullopt when the query is malformed (a bad %-escape) or names a parameter twice.
std::optional<std::map<std::string, std::string>> ParseQuery(const std::string& target);

}  // namespace tributary::server
