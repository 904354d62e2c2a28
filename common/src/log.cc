#include "tributary/common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

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

// A JSON string literal for `text`, escaped per RFC 8259.
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

void SetMinimumLevel(Level level) { g_minimum = level; }
void SetFormat(Format format) { g_format = format; }
void UseJsonUnlessTerminal() { SetFormat(isatty(STDERR_FILENO) ? Format::kText : Format::kJson); }

void Write(Level level, std::string_view event, std::string_view detail) {
  if (level < g_minimum.load()) return;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
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
