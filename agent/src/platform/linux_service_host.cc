// service_host.h on Linux: systemd.
#include "platform/linux_wake_source.h"
#include "platform/service_host.h"
#include "tributary/common/error.h"
#include "tributary/common/systemd_notifier.h"

namespace tributary::agent {

int HostDaemon(bool as_service, const std::function<int(DaemonHost&)>& daemon) {
  if (as_service) {
    throw Error::InvalidArgument(
        "--service is for the Windows service's command line; under systemd run 'run' alone");
  }
  SystemdNotifier notifier;
  DaemonHost host{notifier};
  return daemon(host);
}

std::unique_ptr<WakeSource> MakeWakeSource(const std::filesystem::path& drop_folder,
                                           const std::filesystem::path& data_dir,
                                           const Clock& clock) {
  return std::make_unique<LinuxWakeSource>(drop_folder, data_dir, clock);
}

}  // namespace tributary::agent
