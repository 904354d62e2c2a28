// The query string of a request target ("/v1/rollups?level=pcn&code=U10010"),
// percent-decoded ('+' is a space, as HTML forms send it).
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>

namespace tributary::server {

// nullopt when the query is malformed (a bad %-escape) or names a parameter twice.
std::optional<std::map<std::string, std::string>> ParseQuery(const std::string& target);

// `target` without the parameters named in `names` (compared decoded); the
// others keep their order and their encoding.
std::string WithoutParameters(const std::string& target, std::initializer_list<const char*> names);

}  // namespace tributary::server
