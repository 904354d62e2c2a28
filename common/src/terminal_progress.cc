#include "tributary/common/terminal_progress.h"

#include <cstdio>

#include "tributary/common/platform_file.h"

namespace tributary {

TerminalProgress::TerminalProgress(bool enabled)
    : enabled_(enabled && platform::StderrIsTerminal()) {}

TerminalProgress::~TerminalProgress() {
  if (shown_width_ > 0) std::fprintf(stderr, "\r%*s\r", static_cast<int>(shown_width_), "");
}

void TerminalProgress::Show(const std::string& text) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (shown_width_ > 0 && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::size_t pad = shown_width_ > text.size() ? shown_width_ - text.size() : 0;
  std::fprintf(stderr, "\r%s%*s", text.c_str(), static_cast<int>(pad), "");
  std::fflush(stderr);
  shown_width_ = text.size();
}

}  // namespace tributary
