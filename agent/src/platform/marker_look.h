// What a wake source does when the system will not tell it of file changes
// (Linux: inotify out of resources; Windows: a folder ReadDirectoryChangesW
// refuses): it wakes every kEveryMs, asks for a rescan of the drop folder,
// and reports a local change when the changed-marker's time has moved.
//
// Thread-safety: one wake source's thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "platform/wake_source.h"

namespace tributary::agent {

class MarkerLook {
 public:
  static constexpr std::int64_t kEveryMs = 30'000;

  // Warns (file_watch_unavailable, `why` and how often it looks instead) and
  // notes the marker's time now, so a change made before is not reported.
  MarkerLook(std::filesystem::path marker, const std::string& why);

  // Sets wake.rescan, and wake.local_change when the marker was written since
  // the last look. A marker that cannot be read (not made yet) changes nothing.
  void Look(Wake& wake);

 private:
  std::filesystem::path marker_;
  std::optional<std::filesystem::file_time_type> seen_;
};

}  // namespace tributary::agent
