#include "platform/linux_wake_source.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

sigset_t DaemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

std::string OsError(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

LinuxWakeSource::LinuxWakeSource(const std::filesystem::path& drop_folder,
                                 const std::filesystem::path& data_dir, const Clock& clock)
    : clock_(clock) {
  sigset_t set = DaemonSignals();
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) throw Error::Io(OsError("sigprocmask"));
  signals_ = UniqueFd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signals_.valid()) throw Error::Io(OsError("signalfd"));
  inotify_ = UniqueFd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_.valid()) throw Error::Io(OsError("inotify_init1"));
  drop_watch_ = inotify_add_watch(inotify_.get(), drop_folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
  if (drop_watch_ < 0) {
    throw Error::Io(OsError(("cannot watch the drop folder " + drop_folder.string()).c_str()));
  }
  data_watch_ = inotify_add_watch(inotify_.get(), data_dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
  if (data_watch_ < 0) {
    throw Error::Io(OsError(("cannot watch the data directory " + data_dir.string()).c_str()));
  }
}

Wake LinuxWakeSource::WaitUntil(std::int64_t deadline_ms) {
  Wake wake;
  pollfd fds[2] = {{signals_.get(), POLLIN, 0}, {inotify_.get(), POLLIN, 0}};
  for (;;) {
    std::int64_t wait = std::max<std::int64_t>(0, deadline_ms - clock_.NowMillis());
    int timeout = static_cast<int>(std::min<std::int64_t>(wait, std::numeric_limits<int>::max()));
    int ready = poll(fds, 2, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw Error::Io(OsError("poll"));
    }
    if (fds[0].revents & POLLIN) ReadSignals(wake);
    if (fds[1].revents & POLLIN) ReadFileEvents(wake);
    return wake;
  }
}

void LinuxWakeSource::ReadSignals(Wake& wake) {
  signalfd_siginfo info;
  while (read(signals_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    if (info.ssi_signo == SIGHUP) {
      wake.reload = true;
    } else {
      wake.stop = true;
    }
  }
}

void LinuxWakeSource::ReadFileEvents(Wake& wake) {
  alignas(inotify_event) char buffer[16 * 1024];
  for (;;) {
    ssize_t n = read(inotify_.get(), buffer, sizeof buffer);
    if (n <= 0) return;  // EAGAIN: drained
    for (char* p = buffer; p < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      if (event->mask & IN_Q_OVERFLOW) wake.rescan = true;
      if (event->len > 0 && event->wd == drop_watch_) wake.files.emplace_back(event->name);
      if (event->len > 0 && event->wd == data_watch_ &&
          std::strcmp(event->name, kChangedMarker) == 0) {
        wake.local_change = true;
      }
      p += sizeof(inotify_event) + event->len;
    }
  }
}

}  // namespace tributary::agent
