// service_host.h on Windows: the Service Control Manager, the event log, the
// wake source of platform/windows_wake_source.h.
#include <windows.h>

#include <atomic>
#include <cstdio>

#include "platform/service_host.h"
#include "platform/windows_wake_source.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "tributary/common/windows_service_notifier.h"

namespace tributary::agent {
namespace {

// What the systemd unit's WatchdogSec= is (installers/debian/tributary-agent.service).
constexpr std::chrono::seconds kWatchdog{120};
// What the systemd unit's MemoryMax= is: the most the service may hold.
constexpr SIZE_T kMemoryLimit = SIZE_T{2048} << 20;

// The practice's machine is the clinical system's: the service runs below
// normal priority, its disk and memory use at background priority, in a job
// object that refuses it more than kMemoryLimit (an allocation beyond fails;
// the service stops with an error and its recovery restarts it). The job's
// handle stays open for the process's life. A limit that cannot be set is
// logged, never silently passed over.
void KeepOutOfTheClinicalSystemsWay() {
  if (!SetPriorityClass(GetCurrentProcess(), PROCESS_MODE_BACKGROUND_BEGIN) ||
      !SetPriorityClass(GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)) {
    log::Warning("priority_not_lowered", "Windows error " + std::to_string(GetLastError()));
  }
  HANDLE job = CreateJobObjectW(nullptr, nullptr);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags =
      JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_PRIORITY_CLASS;
  limits.BasicLimitInformation.PriorityClass = BELOW_NORMAL_PRIORITY_CLASS;
  limits.ProcessMemoryLimit = kMemoryLimit;
  if (job == nullptr ||
      !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits) ||
      !AssignProcessToJobObject(job, GetCurrentProcess())) {
    log::Warning("memory_limit_not_set", "Windows error " + std::to_string(GetLastError()));
  }
}

// The daemon the dispatcher's thread runs, and what it returned.
const std::function<int(DaemonHost&)>* g_daemon = nullptr;
int g_status = kExitOk;
SERVICE_STATUS_HANDLE g_handle = nullptr;
// Read by the control handler's thread. The notifier it points to is never
// destroyed (the process ends after the service stops), so a stop arriving as
// the service ends still finds it.
std::atomic<WindowsServiceNotifier*> g_notifier{nullptr};

DWORD WINAPI OnControl(DWORD control, DWORD, void*, void*) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      if (WindowsServiceNotifier* notifier = g_notifier.load()) notifier->Stopping();
      WindowsWakeSource::RequestStop();
      return NO_ERROR;
    case SERVICE_CONTROL_PARAMCHANGE:
      WindowsWakeSource::RequestReload();
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

// Errors also go to the Application event log, source "TributaryAgent"
// (registered by the installer), where ICS IT's monitoring looks.
void ReportToEventLog(std::string_view line) {
  static HANDLE source = RegisterEventSourceW(nullptr, kServiceName);
  if (source == nullptr) return;
  std::string text(line);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const char* strings[] = {text.c_str()};
  ReportEventA(source, EVENTLOG_ERROR_TYPE, 0, 1, nullptr, 1, 0, strings, nullptr);
}

void WINAPI ServiceMain(DWORD, wchar_t**) {
  g_handle = RegisterServiceCtrlHandlerExW(kServiceName, OnControl, nullptr);
  if (g_handle == nullptr) {
    g_status = kExitFailure;
    return;
  }
  log::AlsoSendErrorsTo(ReportToEventLog);
  KeepOutOfTheClinicalSystemsWay();
  auto* notifier = new WindowsServiceNotifier(g_handle, kWatchdog);  // lives to the process's end
  g_notifier = notifier;
  DaemonHost host{*notifier, /*log_to_files=*/true};
  try {
    g_status = (*g_daemon)(host);
  } catch (const Error& e) {
    log::Error("agent_failed", std::string(ErrorCodeName(e.code())) + ": " + e.what());
    g_status = ExitStatusFor(e.code());
  } catch (const std::exception& e) {
    log::Error("agent_failed", e.what());
    g_status = kExitFailure;
  }
  notifier->Stopped(g_status);
}

}  // namespace

int HostDaemon(bool as_service, const std::function<int(DaemonHost&)>& daemon) {
  if (as_service) {
    g_daemon = &daemon;
    SERVICE_TABLE_ENTRYW table[] = {{const_cast<wchar_t*>(kServiceName), ServiceMain},
                                    {nullptr, nullptr}};
    if (StartServiceCtrlDispatcherW(table)) return g_status;  // ran as the service, now stopped
    DWORD error = GetLastError();
    if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
      throw Error::InvalidArgument(
          "--service is the installed service's command line: the Service Control Manager "
          "starts it ('sc start TributaryAgent'); at a console run 'run' alone");
    }
    throw Error::Io("cannot reach the Service Control Manager: Windows error " +
                    std::to_string(error));
  }
  // At a console: run here, stopped by Ctrl+C.
  class ConsoleNotifier : public ServiceNotifier {
   public:
    void Ready() override {}
    void Reloading() override {}
    void Stopping() override {}
    void Status(const std::string&) override {}
    void KeepAlive() override {}
    void ExtendStartup(std::chrono::seconds) override {}
    std::optional<std::chrono::milliseconds> KeepAliveEvery() const override {
      return std::nullopt;
    }
  } console;
  DaemonHost host{console};
  return daemon(host);
}

std::unique_ptr<WakeSource> MakeWakeSource(const std::filesystem::path& drop_folder,
                                           const std::filesystem::path& data_dir,
                                           const Clock& clock) {
  return std::make_unique<WindowsWakeSource>(drop_folder, data_dir, clock);
}

}  // namespace tributary::agent
