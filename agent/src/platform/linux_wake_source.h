// WakeSource on Linux: inotify on the drop folder (a file closed after
// writing, or moved in), signalfd for SIGTERM, SIGINT and SIGHUP, and one
// poll() with the deadline as its timeout. The signals are blocked for the
// whole process on construction, so construct it before starting threads.
//
// When the system will not give another inotify instance or watch (its
// per-user limits, 128 instances by default, are shared by every program of
// the account), the agent keeps running and looks instead: it wakes every
// MarkerLook::kEveryMs to rescan the drop folder and check the
// changed-marker (platform/marker_look.h).
#pragma once

#include <filesystem>
#include <optional>

#include "platform/marker_look.h"
#include "platform/wake_source.h"
#include "tributary/common/hlc.h"
#include "tributary/common/unique_fd.h"

namespace tributary::agent {

enum class FileWatch { kNotify, kLook };

class LinuxWakeSource : public WakeSource {
 public:
  // kNotify falls back to kLook, with a warning, when inotify is out of
  // resources; any other failure to watch (a missing folder) throws.
  LinuxWakeSource(const std::filesystem::path& drop_folder, const std::filesystem::path& data_dir,
                  const Clock& clock, FileWatch watch = FileWatch::kNotify);
  Wake WaitUntil(std::int64_t deadline_ms) override;

  FileWatch watch() const { return look_ ? FileWatch::kLook : FileWatch::kNotify; }

 private:
  bool StartNotify(const std::filesystem::path& drop_folder, const std::filesystem::path& data_dir);
  bool LookInstead(const std::string& why);
  void ReadFileEvents(Wake& wake);
  void ReadSignals(Wake& wake);

  const Clock& clock_;
  std::filesystem::path marker_;
  UniqueFd inotify_;
  int drop_watch_ = -1;
  int data_watch_ = -1;
  UniqueFd signals_;
  std::optional<MarkerLook> look_;  // kLook only
};

}  // namespace tributary::agent
