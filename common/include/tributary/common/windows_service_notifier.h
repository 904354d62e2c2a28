// ServiceNotifier for the Windows Service Control Manager (SetServiceStatus).
// Made by the service's ServiceMain with the handle RegisterServiceCtrlHandlerExW
// gave it. The manager has no "reloading" or status line, so those only log.
//
// The watchdog: the manager has no WatchdogSec=, so this notifier keeps one.
// With `watchdog` set, KeepAliveEvery() is half of it, and a thread ends the
// process (exit status kWatchdogExit, logged first) when KeepAlive() has not
// been called for `watchdog` after Ready(): the manager sees the service end
// without stopping and its recovery actions restart it.
//
// Thread-safety: all members may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tributary/common/service_notifier.h"

namespace tributary {

class WindowsServiceNotifier : public ServiceNotifier {
 public:
  static constexpr unsigned kWatchdogExit = 70;

  // `status_handle` is a SERVICE_STATUS_HANDLE. Reports start-pending.
  WindowsServiceNotifier(void* status_handle, std::chrono::milliseconds watchdog);
  ~WindowsServiceNotifier() override;
  WindowsServiceNotifier(const WindowsServiceNotifier&) = delete;
  WindowsServiceNotifier& operator=(const WindowsServiceNotifier&) = delete;

  void Ready() override;
  void Reloading() override;
  void Stopping() override;
  void Status(const std::string& line) override;
  void KeepAlive() override;
  void ExtendStartup(std::chrono::seconds more) override;
  std::optional<std::chrono::milliseconds> KeepAliveEvery() const override;

  // The last report: stopped, with the daemon's exit status (0: a clean
  // stop; otherwise the manager counts it a failure and recovers).
  void Stopped(int exit_status);

 private:
  void Report(unsigned long state, unsigned long wait_hint_ms, unsigned long exit_status = 0);
  void Watch();

  void* handle_;
  std::chrono::milliseconds watchdog_;
  std::mutex mutex_;  // SetServiceStatus's checkpoint sequence, and the watchdog's wait
  unsigned long checkpoint_ = 0;
  std::atomic<std::int64_t> alive_at_ms_{0};  // steady clock; 0 until Ready()
  bool ending_ = false;
  std::condition_variable wake_;
  std::thread watchdog_thread_;
};

}  // namespace tributary
