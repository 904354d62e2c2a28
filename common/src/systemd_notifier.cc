#include "tributary/common/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

namespace tributary {

SystemdNotifier::SystemdNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    every_ = std::chrono::milliseconds(usec / 2000);
  }
}

// sd_notify's result is only whether a service manager listened; there is
// nothing to do about it either way.
void SystemdNotifier::Ready() { (void)sd_notify(0, "READY=1"); }
void SystemdNotifier::Reloading() { (void)sd_notify(0, "RELOADING=1"); }
void SystemdNotifier::Stopping() { (void)sd_notify(0, "STOPPING=1"); }
void SystemdNotifier::Status(const std::string& line) {
  (void)sd_notify(0, ("STATUS=" + line).c_str());
}
void SystemdNotifier::KeepAlive() { (void)sd_notify(0, "WATCHDOG=1"); }
void SystemdNotifier::ExtendStartup(std::chrono::seconds more) {
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(more).count();
  (void)sd_notify(0, ("EXTEND_TIMEOUT_USEC=" + std::to_string(usec)).c_str());
}

}  // namespace tributary
