// default_paths.h on Linux: the Filesystem Hierarchy Standard's places.
#include "platform/default_paths.h"

namespace tributary::agent {

std::filesystem::path DefaultConfigPath() { return "/etc/tributary/agent.toml"; }
std::filesystem::path DefaultDataDir() { return "/var/lib/tributary/agent"; }
std::filesystem::path DefaultDropFolder(const std::filesystem::path& data_dir) {
  return data_dir / "drop";
}

}  // namespace tributary::agent
