// Reading the API's JSON answers in the pages: a member as text or as a
// number, absent or null members as "" or 0. Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace tributary::server::web {

// A string member as it is, any other value as its JSON, "" when absent or null.
inline std::string TextOf(const boost::json::object& o, const char* name) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return "";
  return v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
}

// A number member, 0 when absent or not a number.
inline double NumberOf(const boost::json::object& o, const char* name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_number() ? v->to_number<double>() : 0;
}

}  // namespace tributary::server::web
