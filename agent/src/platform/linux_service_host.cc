// service_host.h on Linux: systemd.
#include "platform/linux_wake_source.h"
#include "platform/service_host.h"
#include "tributary/common/systemd_notifier.h"

namespace tributary::agent {

int HostDaemon(const std::function<int(DaemonHost&)>& daemon) {
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
