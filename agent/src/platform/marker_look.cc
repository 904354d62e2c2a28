#include "platform/marker_look.h"

#include <utility>

#include "tributary/common/log.h"

namespace tributary::agent {

MarkerLook::MarkerLook(std::filesystem::path marker, const std::string& why)
    : marker_(std::move(marker)) {
  log::Warning("file_watch_unavailable",
               why + "; looking every " + std::to_string(kEveryMs / 1000) + " s instead");
  std::error_code error;
  auto written = std::filesystem::last_write_time(marker_, error);
  if (!error) seen_ = written;
}

void MarkerLook::Look(Wake& wake) {
  wake.rescan = true;
  std::error_code error;
  auto written = std::filesystem::last_write_time(marker_, error);
  if (error) return;
  if (!seen_ || *seen_ != written) wake.local_change = true;
  seen_ = written;
}

}  // namespace tributary::agent
