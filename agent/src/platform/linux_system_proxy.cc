// system_proxy.h on Linux: libcurl reads the environment itself.
#include "platform/system_proxy.h"

namespace tributary::agent {

std::optional<SystemProxy> MachineProxy() { return std::nullopt; }

}  // namespace tributary::agent
