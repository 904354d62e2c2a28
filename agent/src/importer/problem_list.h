// The problems found in one file, listed up to a limit and counted beyond it
// (a file with a million bad rows must not make a million messages).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tributary/common/file_problem.h"

namespace tributary::agent {

class ProblemList {
 public:
  // `listed` and `not_listed` must outlive the list.
  ProblemList(std::vector<FileProblem>& listed, std::size_t& not_listed, std::size_t max)
      : listed_(listed), not_listed_(not_listed), max_(max) {}

  void Add(std::size_t line, std::string column, std::string reason) {
    if (listed_.size() < max_) {
      listed_.push_back({line, std::move(column), std::move(reason)});
    } else {
      ++not_listed_;
    }
  }
  bool any() const { return !listed_.empty(); }

 private:
  std::vector<FileProblem>& listed_;
  std::size_t& not_listed_;
  std::size_t max_;
};

}  // namespace tributary::agent
