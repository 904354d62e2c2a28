// One problem with an input file, where a person can find it: the physical
// line a record starts on and the column, shown as "FILE:LINE: COLUMN:
// reason" by every importer (practices' CSV exports, the ICS's orgs.csv).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tributary {

struct FileProblem {
  std::size_t line = 0;  // 1-based
  std::string column;    // the header's name, or "header", "row"
  std::string reason;

  // "FILE:LINE: COLUMN: reason".
  std::string Describe(std::string_view file) const {
    return std::string(file) + ":" + std::to_string(line) + ": " + column + ": " + reason;
  }
};

}  // namespace tributary
