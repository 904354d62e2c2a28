// How `tributary-agent run` is hosted by the platform's service manager, and
// the platform's wake source. The daemon's logic (daemon/agent_daemon.h) is
// the same everywhere; only this differs.
//
// Linux (platform/linux_service_host.cc): systemd. Type=notify readiness and
// the watchdog through sd_notify; SIGTERM and SIGINT stop, SIGHUP reloads
// (the wake source's signalfd); logs on stderr, which is the journal.
//
// Windows (platform/windows_service_host.cc): the Service Control Manager.
// Installed as the service kServiceName with `run --service`, the process
// connects to the manager (StartServiceCtrlDispatcherW) and reports
// start-pending, running and stopped; stop and shutdown are taken like
// SIGTERM, "parameters changed" (sc control TributaryAgent paramchange) like
// SIGHUP; a watchdog thread ends the process when the daemon's loop has not
// said it is alive for three keep-alive periods, so the manager's recovery
// actions restart it. Logs go to a rotated file in the data directory and
// errors to the Windows event log too. Without --service it runs at the
// console: Ctrl+C stops it, logs on stderr. (Asking the manager whether it
// started the process would block under wine, and on Windows costs a round
// trip; the service's command line says so instead.)
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "platform/wake_source.h"
#include "tributary/common/hlc.h"
#include "tributary/common/service_notifier.h"

namespace tributary::agent {

// The name the Windows service is installed under (installers/windows/).
inline constexpr const wchar_t* kServiceName = L"TributaryAgent";

struct DaemonHost {
  ServiceNotifier& notifier;
  // Whether the daemon's logs should go to files in its data directory
  // (log::UseRotatedFile): true for the Windows service, which has no stderr.
  bool log_to_files = false;
};

// Runs `daemon` hosted as above and returns its exit status. An exception
// the daemon throws propagates (Linux, console) or, for the Windows service,
// is logged as an error and reported to the manager as a failed stop, whose
// recovery actions then restart the service.
// `as_service`: `run --service`, the installed service's command line;
// refused with Error(kInvalidArgument) on Linux, where systemd needs no flag.
int HostDaemon(bool as_service, const std::function<int(DaemonHost&)>& daemon);

// The platform's wake source for the drop folder and data directory.
// Throws Error(kIo) as the implementations say.
std::unique_ptr<WakeSource> MakeWakeSource(const std::filesystem::path& drop_folder,
                                           const std::filesystem::path& data_dir,
                                           const Clock& clock);

}  // namespace tributary::agent
