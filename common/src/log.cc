#include "tributary/common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "tributary/common/dataset.h"
#include "tributary/common/dates.h"

namespace tributary::log {
namespace {

std::atomic<Level> g_minimum{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::atomic<bool> g_priorities{false};
std::mutex g_mutex;

std::string_view Name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

// sd-daemon(3)'s prefixes: the syslog priority of each level.
std::string_view Priority(Level level) {
  switch (level) {
    case Level::kDebug:
      return "<7>";
    case Level::kInfo:
      return "<6>";
    case Level::kWarning:
      return "<4>";
    case Level::kError:
      return "<3>";
  }
  return "<6>";
}

// Whether stderr is the journal: systemd sets JOURNAL_STREAM to the
// "device:inode" of the stream it connected.
bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  struct stat st {};
  if (stream == nullptr || fstat(STDERR_FILENO, &st) != 0) return false;
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) == stream;
}

}  // namespace

void SetMinimumLevel(Level level) { g_minimum = level; }

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (Name(level) == name) return level;
  }
  return std::nullopt;
}

void SetFormat(Format format) { g_format = format; }

void UseJsonUnlessTerminal() {
  SetFormat(isatty(STDERR_FILENO) ? Format::kText : Format::kJson);
  g_priorities = StderrIsJournal();
}

void Write(Level level, std::string_view event, std::string_view detail) {
  if (level < g_minimum.load()) return;
  std::string stamp = FormatUtc(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  std::string line;
  if (g_priorities.load()) line = Priority(level);
  if (g_format.load() == Format::kJson) {
    line += "{\"time\":" + JsonString(stamp) + ",\"level\":" + JsonString(Name(level)) +
            ",\"event\":" + JsonString(event);
    if (!detail.empty()) line += ",\"detail\":" + JsonString(detail);
    line += "}";
  } else {
    line += std::string(stamp) + " " + std::string(Name(level)) + " " + std::string(event);
    if (!detail.empty()) line += " " + std::string(detail);
  }
  line.push_back('\n');
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace tributary::log
