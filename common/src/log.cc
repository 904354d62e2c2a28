#include "tributary/common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "rotated_log_file.h"
#include "tributary/common/dataset.h"
#include "tributary/common/dates.h"
#include "tributary/common/platform_file.h"

namespace tributary::log {
namespace {

std::atomic<Level> g_minimum{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::atomic<bool> g_priorities{false};
std::mutex g_mutex;
std::unique_ptr<RotatedLogFile> g_file;              // under g_mutex
std::function<void(std::string_view)> g_error_sink;  // under g_mutex

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
  SetFormat(platform::StderrIsTerminal() ? Format::kText : Format::kJson);
  g_priorities = platform::StderrIsJournal();
}

void UseRotatedFile(const std::filesystem::path& file, std::uintmax_t max_bytes, int keep) {
  auto opened = std::make_unique<RotatedLogFile>(file, max_bytes, keep);
  std::lock_guard lock(g_mutex);
  g_format = Format::kJson;
  g_priorities = false;
  g_file = std::move(opened);
}

void UseStderr() {
  {
    std::lock_guard lock(g_mutex);
    g_file.reset();
  }
  UseJsonUnlessTerminal();
}

void AlsoSendErrorsTo(std::function<void(std::string_view line)> sink) {
  std::lock_guard lock(g_mutex);
  g_error_sink = std::move(sink);
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
  if (g_file) {
    g_file->Append(line);
  } else {
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);  // Windows' C runtime buffers a redirected stderr
  }
  if (level == Level::kError && g_error_sink) g_error_sink(line);
}

}  // namespace tributary::log
