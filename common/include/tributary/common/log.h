// One line per event on stderr: "2026-11-24T10:00:00Z level event key=value ...".
// Thread-safe.
#pragma once

#include <string_view>

namespace tributary::log {

enum class Level { kDebug, kInfo, kWarning, kError };

void SetMinimumLevel(Level level);
void Write(Level level, std::string_view event, std::string_view detail = {});

inline void Info(std::string_view event, std::string_view detail = {}) {
  Write(Level::kInfo, event, detail);
}
inline void Warning(std::string_view event, std::string_view detail = {}) {
  Write(Level::kWarning, event, detail);
}
inline void Error(std::string_view event, std::string_view detail = {}) {
  Write(Level::kError, event, detail);
}

}  // namespace tributary::log
