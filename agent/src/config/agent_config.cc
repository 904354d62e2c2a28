#include "config/agent_config.h"

#include <cstdint>

#include "tributary/common/config_file.h"

namespace tributary::agent {
namespace {

struct IntSetting {
  const char* name;
  std::int64_t min, max;
  int AgentConfig::*field;
};

constexpr IntSetting kIntSettings[] = {
    {"request_timeout_seconds", 1, 3600, &AgentConfig::request_timeout_seconds},
    {"sync_interval_seconds", 10, 86400, &AgentConfig::sync_interval_seconds},
    {"sync_debounce_seconds", 0, 3600, &AgentConfig::sync_debounce_seconds},
    {"sync_max_delay_seconds", 0, 86400, &AgentConfig::sync_max_delay_seconds},
    {"backoff_max_seconds", 1, 86400, &AgentConfig::backoff_max_seconds},
    {"file_settle_seconds", 0, 600, &AgentConfig::file_settle_seconds},
    {"disk_budget_mb", 16, 1048576, &AgentConfig::disk_budget_mb},
    {"max_file_mb", 1, 65536, &AgentConfig::max_file_mb},
    {"renew_before_days", 1, 365, &AgentConfig::renew_before_days},
};

}  // namespace

AgentConfig AgentConfig::Load(const std::filesystem::path& path, bool must_exist) {
  AgentConfig config;
  config.profiles_dir = path.parent_path() / "profiles";
  ReadConfigFile(path, must_exist, [&config](const ConfigSetting& s) {
    for (const IntSetting& known : kIntSettings) {
      if (s.name() == known.name) {
        config.*(known.field) = static_cast<int>(s.Integer(known.min, known.max));
        return;
      }
    }
    if (s.name() == "data_dir") {
      config.data_dir = s.Text();
    } else if (s.name() == "log_level") {
      config.log_level = s.OneOf({"debug", "info", "warning", "error"});
    } else if (s.name() == "server_url") {
      config.server_url = s.Text();
    } else if (s.name() == "proxy") {
      config.proxy = s.Text();
    } else if (s.name() == "drop_folder") {
      config.drop_folder = s.Text();
    } else if (s.name() == "profiles_dir") {
      config.profiles_dir = s.Text();
    } else if (s.name() == "batch_size") {
      config.batch_size = static_cast<std::size_t>(s.Integer(1, 20000));
    } else {
      s.Unknown("tributary-agent");
    }
  });
  return config;
}

}  // namespace tributary::agent
