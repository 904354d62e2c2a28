// `tributary-agent run`: the loop that lives in the background at a practice.
//
//   sleep (WakeSource) until the next thing is due or something happens
//   -> import the drop folder's settled files (daemon/drop_folder.h)
//   -> sync when the schedule says so (daemon/sync_schedule.h)
//   -> tell the service manager it is alive
//
// Everything it touches is passed in, so tests drive it with a fake clock, a
// scripted wake source and a scripted sync; `run` wires in the real ones.
// A stop request is taken between steps: the current import or sync always
// finishes (a sync's pushes are acknowledged batch by batch anyway).
// When the server refuses this agent's identity (401) it stops syncing and
// says so, once, until the configuration is reloaded — never a silent retry
// loop against a server that will not accept it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "daemon/drop_folder.h"
#include "daemon/sync_schedule.h"
#include "importer/csv_importer.h"
#include "platform/wake_source.h"
#include "store/local_store.h"
#include "sync/sync_session.h"
#include "tributary/common/hlc.h"
#include "tributary/common/service_notifier.h"

namespace tributary::agent {

struct DaemonOptions {
  SyncPolicy sync;
  std::chrono::milliseconds settle{std::chrono::seconds(2)};  // a dropped file's quiet time
  std::chrono::milliseconds import_retry{
      std::chrono::seconds(60)};  // after a failure not the file's
  std::uint64_t seed = 0;         // jitter
};

struct DaemonServices {
  std::function<SyncResult()> sync;       // throws Error
  std::function<DaemonOptions()> reload;  // SIGHUP: the configuration again
  std::function<ImportSettings()> import_settings;
};

class AgentDaemon {
 public:
  AgentDaemon(LocalStore& store, DropFolder& drop, WakeSource& wake, ServiceNotifier& notifier,
              const Clock& clock, DaemonServices services, DaemonOptions options);

  // Runs until a stop request; returns after telling the service manager.
  void Run();

  // One pass of the loop's work at the current time (exposed for tests).
  void Step();
  // When Step() next has something to do.
  std::int64_t NextWakeMs() const;
  // Applies what woke the loop.
  void Handle(const Wake& wake);
  bool stopping() const { return stopping_; }

 private:
  void ImportDueFiles(std::int64_t now);
  void SyncIfDue(std::int64_t now);
  void KeepAliveIfDue(std::int64_t now);
  void Reload();

  LocalStore& store_;
  DropFolder& drop_;
  WakeSource& wake_;
  ServiceNotifier& notifier_;
  const Clock& clock_;
  DaemonServices services_;
  DaemonOptions options_;
  SyncSchedule schedule_;
  bool identity_refused_ = false;
  std::string refused_certificate_;  // the serial refused; a new one lifts the refusal
  bool stopping_ = false;
  std::int64_t next_keep_alive_ms_ = 0;
};

}  // namespace tributary::agent
