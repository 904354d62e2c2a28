// The log in a rotated file (log::UseRotatedFile), for a service with no
// stderr: JSON lines, a new file begun at the size limit, the newest `keep`
// kept, no line split, and errors also handed to the error sink.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "tributary/common/files.h"
#include "tributary/common/log.h"

using namespace tributary;
namespace fs = std::filesystem;

namespace {

// Restores the log to stderr and no sink whatever the test did.
struct LogToStderrAfter {
  ~LogToStderrAfter() {
    log::AlsoSendErrorsTo(nullptr);
    log::UseStderr();
    log::SetMinimumLevel(log::Level::kInfo);
  }
};

std::size_t Lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("log file: JSON lines, a new file at the limit, the newest kept, none split") {
  testing::TempDir dir;
  LogToStderrAfter restore;
  fs::path file = dir.path() / "logs" / "agent.log";  // the folder is made
  log::UseRotatedFile(file, /*max_bytes=*/1000, /*keep=*/2);
  for (int i = 0; i < 60; ++i) log::Info("synced", "n=" + std::to_string(i));
  log::UseStderr();

  REQUIRE(fs::exists(file));
  REQUIRE(fs::exists(dir.path() / "logs" / "agent.log.1"));
  REQUIRE(fs::exists(dir.path() / "logs" / "agent.log.2"));
  CHECK_FALSE(fs::exists(dir.path() / "logs" / "agent.log.3"));  // keep=2
  std::size_t kept = 0;
  for (const char* name : {"agent.log", "agent.log.1", "agent.log.2"}) {
    std::string text = files::Read(dir.path() / "logs" / name);
    CHECK(text.size() <= 1000);
    CHECK(text.rfind("{\"time\":", 0) == 0);
    CHECK(text.back() == '\n');  // whole lines only
    kept += Lines(text);
  }
  CHECK(kept < 60);  // the oldest went
  std::string newest = files::Read(file);
  CHECK(newest.find("\"detail\":\"n=59\"") != std::string::npos);
  CHECK(files::Read(dir.path() / "logs" / "agent.log.2").find("\"n=0\"") == std::string::npos);
}

TEST_CASE("log file: errors, and only errors, reach the error sink") {
  testing::TempDir dir;
  LogToStderrAfter restore;
  std::vector<std::string> sent;
  log::UseRotatedFile(dir.path() / "agent.log");
  log::AlsoSendErrorsTo([&sent](std::string_view line) { sent.emplace_back(line); });
  log::Info("synced");
  log::Warning("sync_failed");
  log::Error("identity_refused", "enrol again");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].find("\"event\":\"identity_refused\"") != std::string::npos);
  CHECK(Lines(files::Read(dir.path() / "agent.log")) == 3);
}

TEST_CASE("log file: a file that cannot be opened is refused and the log stays as it was") {
  testing::TempDir dir;
  LogToStderrAfter restore;
  files::WriteAtomic(dir.path() / "not-a-folder", "x");
  CHECK_THROWS(log::UseRotatedFile(dir.path() / "not-a-folder" / "agent.log"));
  log::Info("still_logging");  // on stderr; nothing thrown
}
