#include "config/server_config.h"

#include <toml++/toml.h>

#include <cstdint>

#include "tributary/common/error.h"

namespace tributary::server {

ServerConfig ServerConfig::Load(const std::filesystem::path& path, bool must_exist) {
  ServerConfig config;
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
      return static_cast<int>(n);
    };
    if (name == "data_dir") {
      config.data_dir = text();
    } else if (name == "listen") {
      config.listen = text();
    } else if (name == "findings_every_seconds") {
      config.findings_every_seconds = integer(1, 86400);
    } else if (name == "max_pending_requests") {
      config.max_pending_requests = integer(1, 100000);
    } else if (name == "busy_retry_after_seconds") {
      config.busy_retry_after_seconds = integer(1, 3600);
    } else {
      throw Error::InvalidInput(where + ": is not a setting of tributary-server");
    }
  }
  return config;
}

}  // namespace tributary::server
