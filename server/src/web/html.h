// Writing HTML safely: every text and attribute value that comes from data
// goes through Escape, every query value through UrlEncode. Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tributary::server::web {

// `text` with & < > " ' replaced by character references: safe in element
// content and in a quoted attribute value.
std::string Escape(std::string_view text);

// `text` percent-encoded for a query value or a path segment: everything but
// A-Z a-z 0-9 - . _ ~ is %XX.
std::string UrlEncode(std::string_view text);

// A whole number with thousands separators: 1234567 -> "1,234,567".
std::string Thousands(long long value);

// A figure for people: whole numbers with separators, others to two
// decimal places ("12.50" -> "12.5" is not done: two places always).
std::string Figure(double value);

}  // namespace tributary::server::web
