#include "tributary/common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "tributary/common/dataset.h"
#include "tributary/common/dates.h"

namespace tributary::log {
namespace {

std::atomic<Level> g_minimum{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::mutex g_mutex;

std::string_view Name(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

void SetMinimumLevel(Level level) { g_minimum = level; }
void SetFormat(Format format) { g_format = format; }
void UseJsonUnlessTerminal() { SetFormat(isatty(STDERR_FILENO) ? Format::kText : Format::kJson); }

void Write(Level level, std::string_view event, std::string_view detail) {
  if (level < g_minimum.load()) return;
  std::string stamp = FormatUtc(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  std::string line;
  if (g_format.load() == Format::kJson) {
    line = "{\"time\":" + JsonString(stamp) + ",\"level\":" + JsonString(Name(level)) +
           ",\"event\":" + JsonString(event);
    if (!detail.empty()) line += ",\"detail\":" + JsonString(detail);
    line += "}";
  } else {
    line = std::string(stamp) + " " + std::string(Name(level)) + " " + std::string(event);
    if (!detail.empty()) line += " " + std::string(detail);
  }
  line.push_back('\n');
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace tributary::log
