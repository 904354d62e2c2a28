#include "config/agent_config.h"

#include <toml++/toml.h>

#include <cstdint>

#include "tributary/common/error.h"

namespace tributary::agent {

AgentConfig AgentConfig::Load(const std::filesystem::path& path, bool must_exist) {
  AgentConfig config;
  if (!std::filesystem::exists(path)) {
    if (must_exist) throw Error::NotFound("config file " + path.string() + " does not exist");
    return config;
  }
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw Error::InvalidInput(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                              std::string(e.description()));
  }
  struct IntSetting {
    const char* name;
    std::int64_t min, max;
    int AgentConfig::*field;
  };
  static const IntSetting kIntSettings[] = {
      {"request_timeout_seconds", 1, 3600, &AgentConfig::request_timeout_seconds},
      {"sync_interval_seconds", 10, 86400, &AgentConfig::sync_interval_seconds},
      {"sync_debounce_seconds", 0, 3600, &AgentConfig::sync_debounce_seconds},
      {"sync_max_delay_seconds", 0, 86400, &AgentConfig::sync_max_delay_seconds},
      {"backoff_max_seconds", 1, 86400, &AgentConfig::backoff_max_seconds},
      {"file_settle_seconds", 0, 600, &AgentConfig::file_settle_seconds},
      {"disk_budget_mb", 16, 1048576, &AgentConfig::disk_budget_mb},
      {"renew_before_days", 1, 365, &AgentConfig::renew_before_days},
  };
  for (const auto& [key, value] : table) {
    std::string name(key.str());
    auto where = path.string() + ":" + std::to_string(key.source().begin.line) + ": " + name;
    auto text = [&]() -> std::string {
      if (!value.is_string()) throw Error::InvalidInput(where + ": must be a string");
      return value.as_string()->get();
    };
    auto integer = [&](std::int64_t min, std::int64_t max) {
      if (!value.is_integer()) throw Error::InvalidInput(where + ": must be a whole number");
      std::int64_t n = value.as_integer()->get();
      if (n < min || n > max) {
        throw Error::InvalidInput(where + ": must be " + std::to_string(min) + " to " +
                                  std::to_string(max));
      }
      return n;
    };
    const IntSetting* int_setting = nullptr;
    for (const IntSetting& s : kIntSettings) {
      if (name == s.name) int_setting = &s;
    }
    if (int_setting) {
      config.*(int_setting->field) = static_cast<int>(integer(int_setting->min, int_setting->max));
    } else if (name == "data_dir") {
      config.data_dir = text();
    } else if (name == "server_url") {
      config.server_url = text();
    } else if (name == "proxy") {
      config.proxy = text();
    } else if (name == "drop_folder") {
      config.drop_folder = text();
    } else if (name == "batch_size") {
      config.batch_size = static_cast<std::size_t>(integer(1, 20000));
    } else {
      throw Error::InvalidInput(where + ": is not a setting of tributary-agent");
    }
  }
  return config;
}

}  // namespace tributary::agent
