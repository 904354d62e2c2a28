#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "tributary/common/unique_fd.h"

extern char** environ;

namespace tributary::testing {
namespace {

using Deadline = std::chrono::steady_clock::time_point;

int MillisUntil(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

void MakePipe(UniqueFd& read_end, UniqueFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  read_end = UniqueFd(fds[0]);
  write_end = UniqueFd(fds[1]);
}

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (extra.count(entry.substr(0, entry.find('='))) == 0) env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Starts argv with stdin from /dev/null and stdout/stderr onto the given fds
// (-1: inherit). Returns the pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int stdout_fd, int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  if (stderr_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = Environment(env);
  auto arg_ptrs = Pointers(args);
  auto env_ptrs = Pointers(environment);
  pid_t pid = -1;
  int rc =
      posix_spawn(&pid, argv.at(0).c_str(), &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + argv.at(0) + ": " + std::strerror(rc));
  }
  return pid;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

// Waits for `pid` until `deadline`, without busy waiting: a pidfd becomes
// readable when the process exits. Returns false on timeout.
bool WaitUntil(pid_t pid, Deadline deadline, int& status) {
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd.get() >= 0) {
    pollfd p{pidfd.get(), POLLIN, 0};
    while (true) {
      int rc = ::poll(&p, 1, MillisUntil(deadline));
      if (rc > 0) break;
      if (rc == 0) return false;
      if (errno != EINTR) throw std::runtime_error("poll on pidfd failed");
    }
  }
  while (true) {
    pid_t r = ::waitpid(pid, &status, 0);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
  }
}

}  // namespace

RunResult Run(const std::vector<std::string>& argv, std::chrono::seconds timeout,
              const std::map<std::string, std::string>& env) {
  UniqueFd out_read, out_write, err_read, err_write;
  MakePipe(out_read, out_write);
  MakePipe(err_read, err_write);
  pid_t pid = Spawn(argv, env, out_write.get(), err_write.get());
  out_write.Reset();
  err_write.Reset();
  RunResult result;
  Deadline deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0}};
    int rc = ::poll(fds, 2, MillisUntil(deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) {
      ::kill(pid, SIGKILL);
      int ignored = 0;
      WaitUntil(pid, std::chrono::steady_clock::now() + std::chrono::seconds(10), ignored);
      throw std::runtime_error(argv.at(0) + " did not finish within " +
                               std::to_string(timeout.count()) + " s");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
  }
  int status = 0;
  if (!WaitUntil(pid, deadline, status)) {
    ::kill(pid, SIGKILL);
    WaitUntil(pid, std::chrono::steady_clock::now() + std::chrono::seconds(10), status);
    throw std::runtime_error(argv.at(0) + " did not exit within the timeout");
  }
  result.exit_code = DecodeStatus(status);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& stderr_path,
                           const std::map<std::string, std::string>& env) {
  UniqueFd out_read, out_write;
  MakePipe(out_read, out_write);
  UniqueFd err_file;
  if (stderr_path == kStderrToStdout) {
    err_file = UniqueFd(::fcntl(out_write.get(), F_DUPFD_CLOEXEC, 0));
  } else if (!stderr_path.empty()) {
    err_file =
        UniqueFd(::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (err_file.get() < 0) throw std::runtime_error("cannot open " + stderr_path.string());
  }
  pid_ = Spawn(argv, env, out_write.get(), err_file.get());
  stdout_fd_ = out_read.Release();
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string ChildProcess::WaitForLine(const std::string& prefix, std::chrono::seconds timeout) {
  return WaitFor(prefix, false, timeout);
}

std::string ChildProcess::WaitForLineContaining(const std::string& text,
                                                std::chrono::seconds timeout) {
  return WaitFor(text, true, timeout);
}

std::string ChildProcess::WaitFor(const std::string& prefix, bool anywhere,
                                  std::chrono::seconds timeout) {
  Deadline deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (true) {
    std::size_t newline;
    while ((newline = pending_.find('\n')) != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      if (anywhere ? line.find(prefix) != std::string::npos : line.rfind(prefix, 0) == 0) {
        return line;
      }
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, MillisUntil(deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) {
      throw std::runtime_error("no line with '" + prefix +
                               "' within timeout; output so far: " + output_);
    }
    ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error("the process closed its output before a line starting '" + prefix +
                               "'; output so far: " + output_);
    }
    output_.append(buffer, static_cast<std::size_t>(n));
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
}

void ChildProcess::Signal(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

int ChildProcess::Wait(std::chrono::seconds timeout) {
  if (reaped_) return DecodeStatus(status_);
  if (!WaitUntil(pid_, std::chrono::steady_clock::now() + timeout, status_)) {
    ::kill(pid_, SIGKILL);
    WaitUntil(pid_, std::chrono::steady_clock::now() + std::chrono::seconds(10), status_);
    reaped_ = true;
    throw std::runtime_error("process did not exit within " + std::to_string(timeout.count()) +
                             " s; killed");
  }
  reaped_ = true;
  return DecodeStatus(status_);
}

bool ChildProcess::Running() {
  if (reaped_) return false;
  pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

}  // namespace tributary::testing
