// Tells the service manager how the daemon is: ready, stopping, reloading, a
// one-line status, and the watchdog's "still alive". Linux: sd_notify
// (systemd_notifier.h), a no-op when not started by systemd.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace tributary {

class ServiceNotifier {
 public:
  virtual ~ServiceNotifier() = default;
  virtual void Ready() = 0;
  virtual void Reloading() = 0;
  virtual void Stopping() = 0;
  virtual void Status(const std::string& line) = 0;
  virtual void KeepAlive() = 0;
  // Starting takes up to `more` longer than the manager's start timeout
  // (e.g. a store migration that indexes every record).
  virtual void ExtendStartup(std::chrono::seconds more) = 0;
  // How often KeepAlive() is due; nullopt when no watchdog is set.
  virtual std::optional<std::chrono::milliseconds> KeepAliveEvery() const = 0;
};

}  // namespace tributary
