// Child processes for integration tests: real binaries, started with argv,
// killed and reaped when the object dies so no test leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tributary::testing {

struct RunResult {
  int exit_code = -1;  // exit status, or -signal number when killed by a signal
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
};

// Runs argv to completion (argv[0] is a path) with extra environment variables
// added to the current environment. Fails the calling test (throws
// std::runtime_error) if it has not exited within `timeout`; the child is
// killed in that case.
RunResult Run(const std::vector<std::string>& argv,
              std::chrono::seconds timeout = std::chrono::seconds(120),
              const std::map<std::string, std::string>& env = {});

class ChildProcess {
 public:
  // Pass as `stderr_path` to read stderr through the same pipe as stdout.
  inline static const std::filesystem::path kStderrToStdout{"&1"};

  // Starts argv in the background. stdout is read through a pipe (see
  // WaitForLine); stderr goes to `stderr_path` if given, else is inherited.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stderr_path = {},
               const std::map<std::string, std::string>& env = {});
  ~ChildProcess();  // SIGKILL and reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Blocks until stdout produces a line that starts with `prefix` and returns
  // that line (without the newline). Throws std::runtime_error if the process
  // exits or `timeout` passes first. Lines before it are kept in output().
  std::string WaitForLine(const std::string& prefix,
                          std::chrono::seconds timeout = std::chrono::seconds(60));
  // The same for a line containing `text` anywhere.
  std::string WaitForLineContaining(const std::string& text,
                                    std::chrono::seconds timeout = std::chrono::seconds(60));

  // Sends `signal` (e.g. SIGTERM, SIGKILL).
  void Signal(int signal);

  // Waits for exit; returns exit status or -signal. Throws std::runtime_error
  // after `timeout` (the child is then killed).
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(60));

  bool Running();

  // Everything read from stdout so far.
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string WaitFor(const std::string& what, bool anywhere, std::chrono::seconds timeout);

  bool reaped_ = false;
  int status_ = 0;
  std::string output_;
  std::string pending_;
};

}  // namespace tributary::testing
