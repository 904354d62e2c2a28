// ServiceNotifier over sd_notify(3). Under systemd with Type=notify and
// WatchdogSec=, KeepAliveEvery() is half the watchdog period.
#pragma once

#include "tributary/common/service_notifier.h"

namespace tributary {

class SystemdNotifier : public ServiceNotifier {
 public:
  SystemdNotifier();
  void Ready() override;
  void Reloading() override;
  void Stopping() override;
  void Status(const std::string& line) override;
  void KeepAlive() override;
  void ExtendStartup(std::chrono::seconds more) override;
  std::optional<std::chrono::milliseconds> KeepAliveEvery() const override { return every_; }

 private:
  std::optional<std::chrono::milliseconds> every_;
};

}  // namespace tributary
