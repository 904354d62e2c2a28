// Keeps systemd's watchdog fed while the server is healthy: every half
// watchdog period it runs `healthy` (the store answers) and only then says
// "still alive", so a wedged server is restarted rather than left hanging.
// Does nothing when no watchdog is configured.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "tributary/common/service_notifier.h"

namespace tributary::server {

class ServiceWatchdog {
 public:
  ServiceWatchdog(ServiceNotifier& notifier, std::function<bool()> healthy);
  ~ServiceWatchdog();
  ServiceWatchdog(const ServiceWatchdog&) = delete;
  ServiceWatchdog& operator=(const ServiceWatchdog&) = delete;

 private:
  void Loop();

  ServiceNotifier& notifier_;
  std::function<bool()> healthy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace tributary::server
