// What wakes the daemon between steps: a deadline, a request from the
// service manager, or files arriving in the drop folder. The daemon sleeps in
// WaitUntil and does nothing else while idle. Linux: inotify + signalfd +
// poll (platform/linux_wake_source.h); another platform implements the same
// interface with its own primitives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tributary::agent {

struct Wake {
  bool stop = false;               // finish the current step and exit (SIGTERM, SIGINT)
  bool reload = false;             // read the configuration again (SIGHUP)
  bool rescan = false;             // the watcher lost events: look at every file in the folder
  bool local_change = false;       // another agent command queued changes (see kChangedMarker)
  std::vector<std::string> files;  // drop-folder names closed after writing or moved in
};

// Written in the data directory by any agent command that queued changes,
// so a running daemon syncs them soon rather than at its next scheduled sync.
inline constexpr const char* kChangedMarker = "outbox-changed";

class WakeSource {
 public:
  virtual ~WakeSource() = default;
  // Returns at `deadline_ms` (on the daemon's clock) or as soon as something
  // happens, whichever is first.
  virtual Wake WaitUntil(std::int64_t deadline_ms) = 0;
};

}  // namespace tributary::agent
