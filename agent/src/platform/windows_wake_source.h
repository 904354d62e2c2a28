// WakeSource on Windows: ReadDirectoryChangesW on the drop folder (a file
// added, written or renamed in) and on the data directory (the
// changed-marker), a waitable timer for the deadline, and two process-wide
// events: stop (the Service Control Manager's stop or shutdown, Ctrl+C or
// Ctrl+Break at a console) and reload (the manager's "parameters changed").
// One WaitForMultipleObjects sleeps on them all.
//
// A folder whose changes cannot be watched (some SMB servers refuse
// ReadDirectoryChangesW) is looked at every MarkerLook::kEveryMs instead,
// with a warning, as on Linux when inotify is out of resources.
//
// Thread-safety: WaitUntil from one thread; RequestStop and RequestReload
// from any thread (the service's control handler, a console handler).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "platform/marker_look.h"
#include "platform/wake_source.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

class WindowsWakeSource : public WakeSource {
 public:
  // Throws Error(kIo) when the drop folder is missing or a handle cannot be made.
  WindowsWakeSource(const std::filesystem::path& drop_folder, const std::filesystem::path& data_dir,
                    const Clock& clock);
  ~WindowsWakeSource() override;
  Wake WaitUntil(std::int64_t deadline_ms) override;

  // Wakes WaitUntil with stop (or reload) set, now or at its next call; the
  // wait that reports a request takes it.
  static void RequestStop();
  static void RequestReload();

 private:
  struct Watch;

  const Clock& clock_;
  std::filesystem::path drop_folder_;
  std::filesystem::path marker_;
  std::unique_ptr<Watch> drop_watch_;  // null: looking instead (look_)
  std::unique_ptr<Watch> data_watch_;
  void* timer_ = nullptr;  // HANDLE of the waitable timer
  std::optional<MarkerLook> look_;
};

}  // namespace tributary::agent
