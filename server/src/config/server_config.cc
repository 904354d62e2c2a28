#include "config/server_config.h"

#include "tributary/common/config_file.h"

namespace tributary::server {

ServerConfig::ServerConfig() : web_assets_dir(TRIBUTARY_WEB_ASSETS_DIR) {}

ServerConfig ServerConfig::Load(const std::filesystem::path& path, bool must_exist) {
  ServerConfig config;
  ReadConfigFile(path, must_exist, [&config](const ConfigSetting& s) {
    auto integer = [&s](std::int64_t min, std::int64_t max) {
      return static_cast<int>(s.Integer(min, max));
    };
    if (s.name() == "data_dir") {
      config.data_dir = s.Text();
    } else if (s.name() == "store") {
      config.store = s.Text();
    } else if (s.name() == "listen") {
      config.listen = s.Text();
    } else if (s.name() == "findings_every_seconds") {
      config.findings_every_seconds = integer(1, 86400);
    } else if (s.name() == "max_pending_requests") {
      config.max_pending_requests = integer(1, 100000);
    } else if (s.name() == "max_connections_per_source") {
      config.max_connections_per_source = integer(1, 1024);
    } else if (s.name() == "person_keys_per_day") {
      config.person_keys_per_day = integer(10, 1000000);
    } else if (s.name() == "busy_retry_after_seconds") {
      config.busy_retry_after_seconds = integer(1, 3600);
    } else if (s.name() == "web_assets_dir") {
      config.web_assets_dir = s.Text();
    } else if (s.name() == "log_level") {
      config.log_level = s.OneOf({"debug", "info", "warning", "error"});
    } else {
      s.Unknown("tributary-server");
    }
  });
  return config;
}

}  // namespace tributary::server
