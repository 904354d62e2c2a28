// How a source value is compared with the codes it may stand for: folded
// (surrounding spaces dropped, runs of spaces made one, ASCII letters in
// lower case), so "Did not attend " is "did not attend" and "8 to 14 Days" is
// NHS England's "8  to 14 Days". And, for a value that matches nothing, the
// nearest candidate by edit distance, to suggest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tributary::agent {

std::string Fold(std::string_view text);

// The candidate nearest to `value` (folded, by Levenshtein distance), or ""
// when none is within half the longer string's length.
std::string NearestOf(std::string_view value, const std::vector<std::string>& candidates);

}  // namespace tributary::agent
