#include "importer/nearest_code.h"

#include <algorithm>
#include <cctype>

namespace tributary::agent {
namespace {

std::size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string NearestOf(std::string_view value, const std::vector<std::string>& candidates) {
  std::string folded = Fold(value);
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    std::string other = Fold(candidate);
    std::size_t d = Distance(folded, other);
    // A candidate that contains the value, or is contained in it, is near too.
    if (!folded.empty() &&
        (other.find(folded) != std::string::npos || folded.find(other) != std::string::npos)) {
      d = std::min(d, std::max(folded.size(), other.size()) / 2);
    }
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  std::size_t longest = std::max(folded.size(), Fold(best).size());
  return !best.empty() && best_distance * 2 <= longest ? best : std::string();
}

}  // namespace tributary::agent
