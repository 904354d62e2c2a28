// Where the agent keeps its configuration and data unless told otherwise
// (--config, --data-dir, data_dir in the configuration).
//
//   Linux:   /etc/tributary/agent.toml      /var/lib/tributary/agent
//   Windows: %ProgramData%\Tributary\agent.toml
//            %ProgramData%\Tributary\agent  (ACL: SYSTEM and Administrators)
//
// %ProgramData% is the system's known folder (C:\ProgramData on a standard
// install). Thread-safe.
#pragma once

#include <filesystem>

namespace tributary::agent {

std::filesystem::path DefaultConfigPath();
std::filesystem::path DefaultDataDir();

}  // namespace tributary::agent
