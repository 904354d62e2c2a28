#include "tributary/common/windows_service_notifier.h"

#include <windows.h>

#include "tributary/common/log.h"

namespace tributary {
namespace {

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

WindowsServiceNotifier::WindowsServiceNotifier(void* status_handle,
                                               std::chrono::milliseconds watchdog)
    : handle_(status_handle), watchdog_(watchdog) {
  Report(SERVICE_START_PENDING, 30'000);
  if (watchdog_.count() > 0) watchdog_thread_ = std::thread([this] { Watch(); });
}

WindowsServiceNotifier::~WindowsServiceNotifier() {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
  }
  wake_.notify_all();
  if (watchdog_thread_.joinable()) watchdog_thread_.join();
}

void WindowsServiceNotifier::Report(unsigned long state, unsigned long wait_hint_ms,
                                    unsigned long exit_status) {
  SERVICE_STATUS status{};
  status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  status.dwCurrentState = state;
  status.dwControlsAccepted =
      state == SERVICE_RUNNING
          ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
          : 0;
  if (exit_status != 0) {
    status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
    status.dwServiceSpecificExitCode = exit_status;
  }
  status.dwWaitHint = wait_hint_ms;
  std::lock_guard lock(mutex_);
  bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
  status.dwCheckPoint = pending ? ++checkpoint_ : 0;
  if (!SetServiceStatus(static_cast<SERVICE_STATUS_HANDLE>(handle_), &status)) {
    // Not logged as an error: the error sink is the event log, and a service
    // that cannot report is seen by the manager anyway.
    log::Warning("service_status_failed",
                 "SetServiceStatus: Windows error " + std::to_string(GetLastError()));
  }
}

void WindowsServiceNotifier::Ready() {
  alive_at_ms_ = SteadyMs();
  Report(SERVICE_RUNNING, 0);
}

void WindowsServiceNotifier::Reloading() { log::Info("service_reloading"); }

void WindowsServiceNotifier::Stopping() { Report(SERVICE_STOP_PENDING, 30'000); }

void WindowsServiceNotifier::Status(const std::string& line) {
  log::Write(log::Level::kDebug, "service_status", line);
}

void WindowsServiceNotifier::KeepAlive() { alive_at_ms_ = SteadyMs(); }

void WindowsServiceNotifier::ExtendStartup(std::chrono::seconds more) {
  Report(SERVICE_START_PENDING, static_cast<unsigned long>(more.count()) * 1000);
}

std::optional<std::chrono::milliseconds> WindowsServiceNotifier::KeepAliveEvery() const {
  if (watchdog_.count() <= 0) return std::nullopt;
  return watchdog_ / 2;
}

void WindowsServiceNotifier::Stopped(int exit_status) {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
  }
  wake_.notify_all();
  Report(SERVICE_STOPPED, 0, static_cast<unsigned long>(exit_status));
}

void WindowsServiceNotifier::Watch() {
  std::unique_lock lock(mutex_);
  while (!ending_) {
    wake_.wait_for(lock, watchdog_ / 4);
    if (ending_) return;
    std::int64_t alive = alive_at_ms_.load();
    if (alive == 0 || SteadyMs() - alive < watchdog_.count()) continue;
    lock.unlock();
    log::Error("watchdog_expired", "the agent's loop has not run for " +
                                       std::to_string(watchdog_.count() / 1000) +
                                       " s; ending the process for the service manager to restart");
    TerminateProcess(GetCurrentProcess(), kWatchdogExit);
  }
}

}  // namespace tributary
