// The log: lines at or above the minimum level only, and, when stderr is
// systemd's journal (JOURNAL_STREAM names it), each with its syslog priority
// so `journalctl -p err` finds the errors.
#include "tributary/common/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "temp_dir.h"
#include "tributary/common/files.h"

using namespace tributary;

namespace {

// Runs `write` with stderr sent to a file, and returns what it wrote.
std::string CaptureStderr(const std::filesystem::path& file, bool as_journal,
                          const std::function<void()>& write) {
  std::fflush(stderr);
  int saved = dup(STDERR_FILENO);
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  dup2(fd, STDERR_FILENO);
  close(fd);
  struct stat st {};
  fstat(STDERR_FILENO, &st);
  std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  if (as_journal) setenv("JOURNAL_STREAM", stream.c_str(), 1);
  log::UseJsonUnlessTerminal();
  write();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  unsetenv("JOURNAL_STREAM");
  log::UseJsonUnlessTerminal();  // back to how it was
  log::SetMinimumLevel(log::Level::kInfo);
  return files::Read(file);
}

}  // namespace

TEST_CASE("log: lines carry their syslog priority when stderr is the journal") {
  testing::TempDir dir;
  std::string journal = CaptureStderr(dir.path() / "journal", true, [] {
    log::Error("sync_failed", "code=network");
    log::Warning("file_rejected");
    log::Info("synced");
  });
  CHECK(journal.rfind("<3>{\"time\":", 0) == 0);
  CHECK(journal.find("\n<4>{") != std::string::npos);
  CHECK(journal.find("\n<6>{") != std::string::npos);

  std::string file = CaptureStderr(dir.path() / "file", false, [] { log::Error("sync_failed"); });
  CHECK(file.rfind("{\"time\":", 0) == 0);  // a plain file or pipe: no prefix
}

TEST_CASE("log: events below the minimum level are not written") {
  testing::TempDir dir;
  std::string out = CaptureStderr(dir.path() / "log", false, [] {
    log::SetMinimumLevel(*log::ParseLevel("warning"));
    log::Info("synced");
    log::Warning("file_rejected");
  });
  CHECK(out.find("synced") == std::string::npos);
  CHECK(out.find("file_rejected") != std::string::npos);
  CHECK_FALSE(log::ParseLevel("loud"));
}
