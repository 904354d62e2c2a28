#include "schedule/service_watchdog.h"

#include <exception>

#include "tributary/common/log.h"

namespace tributary::server {

ServiceWatchdog::ServiceWatchdog(ServiceNotifier& notifier, std::function<bool()> healthy)
    : notifier_(notifier), healthy_(std::move(healthy)) {
  if (notifier_.KeepAliveEvery()) thread_ = std::thread([this] { Loop(); });
}

ServiceWatchdog::~ServiceWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void ServiceWatchdog::Loop() {
  auto every = *notifier_.KeepAliveEvery();
  std::unique_lock lock(mutex_);
  do {
    lock.unlock();
    bool ok = false;
    try {
      ok = healthy_();
    } catch (const std::exception& e) {
      log::Error("health_check_failed", e.what());
    }
    if (ok) notifier_.KeepAlive();
    lock.lock();
  } while (!wake_.wait_for(lock, every, [this] { return stopping_; }));
}

}  // namespace tributary::server
