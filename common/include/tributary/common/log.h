// One line per event on stderr: "2026-11-24T10:00:00Z level event key=value ...",
// or, for a journal or a log collector, one JSON object per line:
// {"time":"2026-11-24T10:00:00Z","level":"info","event":"synced","detail":"key=value ..."}.
// Thread-safe.
#pragma once

#include <string_view>

namespace tributary::log {

enum class Level { kDebug, kInfo, kWarning, kError };

enum class Format { kText, kJson };

void SetMinimumLevel(Level level);
void SetFormat(Format format);
// JSON unless stderr is a terminal: what a service (daemon) uses.
void UseJsonUnlessTerminal();
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
