// WakeSource on Linux: inotify on the drop folder (a file closed after
// writing, or moved in), signalfd for SIGTERM, SIGINT and SIGHUP, and one
// poll() with the deadline as its timeout. The signals are blocked for the
// whole process on construction, so construct it before starting threads.
#pragma once

#include <filesystem>

#include "platform/wake_source.h"
#include "tributary/common/hlc.h"
#include "tributary/common/unique_fd.h"

namespace tributary::agent {

class LinuxWakeSource : public WakeSource {
 public:
  LinuxWakeSource(const std::filesystem::path& drop_folder,
                  const std::filesystem::path& data_dir, const Clock& clock);
  Wake WaitUntil(std::int64_t deadline_ms) override;

 private:
  void ReadFileEvents(Wake& wake);
  void ReadSignals(Wake& wake);

  const Clock& clock_;
  UniqueFd inotify_;
  int drop_watch_ = -1;
  int data_watch_ = -1;
  UniqueFd signals_;
};

}  // namespace tributary::agent
