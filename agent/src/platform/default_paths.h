// Where the agent keeps its configuration and data unless told otherwise
// (--config, --data-dir, data_dir in the configuration).
//
//   Linux:   /etc/tributary/agent.toml      /var/lib/tributary/agent
//            drop folder: DATA_DIR/drop (the package configures
//            /var/lib/tributary/drop, writable by the tributary-agent group)
//   Windows: %ProgramData%\Tributary\agent.toml
//            %ProgramData%\Tributary\agent  (ACL: SYSTEM and Administrators)
//            drop folder: beside the data folder, %ProgramData%\Tributary\drop
//            (the installer's ACL: users may add files and read their own)
//
// %ProgramData% is the system's known folder (C:\ProgramData on a standard
// install). Thread-safe.
#pragma once

#include <filesystem>

namespace tributary::agent {

std::filesystem::path DefaultConfigPath();
std::filesystem::path DefaultDataDir();
// Where the daemon takes files from when drop_folder is not set.
std::filesystem::path DefaultDropFolder(const std::filesystem::path& data_dir);

}  // namespace tributary::agent
