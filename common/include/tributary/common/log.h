// One line per event on stderr: "2026-11-24T10:00:00Z level event key=value ...",
// or, for a journal or a log collector, one JSON object per line:
// {"time":"2026-11-24T10:00:00Z","level":"info","event":"synced","detail":"key=value ..."}.
// When stderr is systemd's journal, each line starts with its syslog
// priority ("<3>" for an error), so `journalctl -p err` finds the errors.
// Events below the minimum level (default info) are not written. A service
// with no stderr writes to a rotated file instead (UseRotatedFile).
// Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

namespace tributary::log {

enum class Level { kDebug, kInfo, kWarning, kError };

enum class Format { kText, kJson };

void SetMinimumLevel(Level level);
// "debug", "info", "warning", "error"; nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view name);
void SetFormat(Format format);
// JSON unless stderr is a terminal, with priorities when stderr is the
// journal (systemd's JOURNAL_STREAM names it): what a service uses.
void UseJsonUnlessTerminal();
// From now on, lines go as JSON to `file` instead of stderr, a new file begun
// when it would pass `max_bytes` and the `keep` newest kept (file.1 the
// newest). For a service with no stderr (the Windows agent). Throws
// Error(kIo) when the file cannot be opened; logging stays as it was.
void UseRotatedFile(const std::filesystem::path& file, std::uintmax_t max_bytes = 10u << 20,
                    int keep = 5);
// Back to stderr (closing the rotated file), the format as UseJsonUnlessTerminal.
void UseStderr();
// Each error line is also handed to `sink` (the Windows event log), under the
// log's lock: the sink must not log.
void AlsoSendErrorsTo(std::function<void(std::string_view line)> sink);
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
