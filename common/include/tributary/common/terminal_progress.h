// A one-line progress report on stderr, redrawn in place, for work a person
// waits on (a large import, a store migration). Shown only when stderr is a
// terminal and the caller is not writing JSON: never in a log or a script's
// output. Not thread-safe; one per task.
#pragma once

#include <chrono>
#include <string>

namespace tributary {

class TerminalProgress {
 public:
  // `enabled` false: shows nothing (e.g. --json). Even when true, shows
  // nothing unless stderr is a terminal.
  explicit TerminalProgress(bool enabled = true);
  ~TerminalProgress();  // clears the line it drew
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // Shows `text` in place of the last, at most ten times a second.
  void Show(const std::string& text);

 private:
  bool enabled_;
  std::size_t shown_width_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace tributary
