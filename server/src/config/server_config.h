// The server's configuration: /etc/tributary/server.toml (or --config FILE),
// overridden by command-line flags. Every setting has a named default; a
// missing default file gives the defaults.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace tributary::server {

inline constexpr const char* kDefaultServerConfigPath = "/etc/tributary/server.toml";

struct ServerConfig {
  std::filesystem::path data_dir = "/var/lib/tributary/server";
  // The store: "" for the one `init` chose (DATA_DIR/store.url, else the
  // SQLite file DATA_DIR/server.db), or a postgresql:// URL or a file.
  std::string store;
  std::string listen = "0.0.0.0:8443";
  int findings_every_seconds = 60;   // cross-practice findings to practices
  int max_pending_requests = 64;     // being handled or queued; more are told 429 + Retry-After
  int busy_retry_after_seconds = 5;  // the Retry-After those are given
  // Open connections from one address (HttpsServerLimits): raise it when many
  // practices reach the server through one NAT address.
  int max_connections_per_source = 64;
  // Person keys one practice may have made in a day (UTC): it keys its staff
  // once, so far more is refused and audited (person_keys/person_key_service.h).
  int person_keys_per_day = 2000;
  std::string log_level = "info";  // debug, info, warning, error: the least written
  // The web pages' stylesheets, scripts and images (web/web_assets.h): the
  // build's own for a build-tree binary, /usr/share/tributary-server/web for
  // the package's.
  std::filesystem::path web_assets_dir;

  ServerConfig();

  // Reads `path`; a missing file gives the defaults unless `must_exist`. A
  // malformed one throws Error(kInvalidInput) naming the file, line and key.
  static ServerConfig Load(const std::filesystem::path& path, bool must_exist);
};

}  // namespace tributary::server
