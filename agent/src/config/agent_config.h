// The agent's configuration: DefaultConfigPath() (platform/default_paths.h:
// /etc/tributary/agent.toml on Linux) or --config FILE, overridden by
// command-line flags. Every setting has a named default.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "platform/default_paths.h"

namespace tributary::agent {

struct AgentConfig {
  std::filesystem::path data_dir = DefaultDataDir();
  std::string server_url;         // set at enrolment when empty
  std::string proxy;              // HTTP(S) proxy URL; empty: libcurl's environment (https_proxy)
  std::size_t batch_size = 5000;  // changes per push request
  int request_timeout_seconds = 120;  // one HTTPS request, connection to last byte

  // `run` (the daemon).
  std::filesystem::path drop_folder;  // empty: DATA_DIR/drop
  // The ICS's own import profiles (importer/profile_library.h), *.toml;
  // default: profiles/ beside the configuration file.
  std::filesystem::path profiles_dir;
  int sync_interval_seconds = 900;  // sync at least this often, to hear from the server
  int sync_debounce_seconds = 5;    // after a local change, wait for this much quiet
  int sync_max_delay_seconds = 60;  // ...but no longer than this after the first change
  int backoff_max_seconds = 600;    // the longest wait after failures in a row
  int file_settle_seconds = 2;      // a dropped file must be unchanged this long
  int disk_budget_mb = 2048;        // imports pause when the store reaches this size
  int max_file_mb = 512;            // a larger file is refused (drop folder and import)
  int renew_before_days = 30;       // renew the certificate when fewer days remain
  std::string log_level = "info";   // debug, info, warning, error: the least written

  // Reads `path`; a missing file gives the defaults, a malformed one throws
  // Error(kInvalidInput) naming the file, line and key.
  static AgentConfig Load(const std::filesystem::path& path, bool must_exist);
};

// Where the agent keeps its files inside the data directory.
struct AgentPaths {
  std::filesystem::path dir;
  std::filesystem::path Database() const { return dir / "agent.db"; }
  std::filesystem::path Key() const { return dir / "agent.key"; }
  std::filesystem::path Certificate() const { return dir / "agent.pem"; }
  std::filesystem::path CaCertificate() const { return dir / "ca.pem"; }
};

}  // namespace tributary::agent
