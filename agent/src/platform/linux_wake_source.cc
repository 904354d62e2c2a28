#include "platform/linux_wake_source.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <tuple>

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

// The kernel's limits on inotify instances and watches, not a mistake in
// what is being watched.
bool OutOfWatchResources(int error) {
  return error == EMFILE || error == ENFILE || error == ENOMEM || error == ENOSPC;
}

}  // namespace

LinuxWakeSource::LinuxWakeSource(const std::filesystem::path& drop_folder,
                                 const std::filesystem::path& data_dir, const Clock& clock,
                                 FileWatch watch)
    : clock_(clock), marker_(data_dir / kChangedMarker) {
  sigset_t set = DaemonSignals();
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) throw Error::Io(OsError("sigprocmask"));
  signals_ = UniqueFd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signals_.valid()) throw Error::Io(OsError("signalfd"));
  if (watch == FileWatch::kNotify && StartNotify(drop_folder, data_dir)) return;
  if (!std::filesystem::is_directory(drop_folder)) {
    throw Error::Io("cannot look at the drop folder " + drop_folder.string() + ": not a directory");
  }
  if (!look_) LookInstead("watching with inotify was not asked for");
}

// True when inotify watches the drop folder and the data directory; false,
// having warned, when the kernel has no inotify resources left for this user.
bool LinuxWakeSource::StartNotify(const std::filesystem::path& drop_folder,
                                  const std::filesystem::path& data_dir) {
  constexpr std::uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO;
  inotify_ = UniqueFd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_.valid()) {
    if (!OutOfWatchResources(errno)) throw Error::Io(OsError("inotify_init1"));
    return LookInstead(OsError("inotify_init1"));
  }
  for (auto [watch, dir, what] : {std::tuple{&drop_watch_, &drop_folder, "the drop folder "},
                                  std::tuple{&data_watch_, &data_dir, "the data directory "}}) {
    *watch = inotify_add_watch(inotify_.get(), dir->c_str(), kEvents);
    if (*watch >= 0) continue;
    if (!OutOfWatchResources(errno)) {
      throw Error::Io(OsError(("cannot watch " + std::string(what) + dir->string()).c_str()));
    }
    return LookInstead(OsError("inotify_add_watch"));
  }
  return true;
}

bool LinuxWakeSource::LookInstead(const std::string& why) {
  inotify_ = UniqueFd();
  look_.emplace(marker_, why);
  return false;
}

Wake LinuxWakeSource::WaitUntil(std::int64_t deadline_ms) {
  Wake wake;
  const bool looking = look_.has_value();
  pollfd fds[2] = {{signals_.get(), POLLIN, 0}, {inotify_.get(), POLLIN, 0}};
  for (;;) {
    std::int64_t wait = std::max<std::int64_t>(0, deadline_ms - clock_.NowMillis());
    if (looking) wait = std::min(wait, MarkerLook::kEveryMs);
    int timeout = static_cast<int>(std::min<std::int64_t>(wait, std::numeric_limits<int>::max()));
    int ready = poll(fds, looking ? 1 : 2, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw Error::Io(OsError("poll"));
    }
    if (fds[0].revents & POLLIN) ReadSignals(wake);
    if (looking) {
      look_->Look(wake);
    } else if (fds[1].revents & POLLIN) {
      ReadFileEvents(wake);
    }
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
