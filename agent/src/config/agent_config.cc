#include "config/agent_config.h"

#include <toml++/toml.h>

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
  for (const auto& [key, value] : table) {
    std::string name(key.str());
    auto where = path.string() + ":" + std::to_string(key.source().begin.line) + ": " + name;
    if (name == "data_dir" && value.is_string()) {
      config.data_dir = value.as_string()->get();
    } else if (name == "server_url" && value.is_string()) {
      config.server_url = value.as_string()->get();
    } else if (name == "proxy" && value.is_string()) {
      config.proxy = value.as_string()->get();
    } else if (name == "batch_size" && value.is_integer()) {
      auto n = value.as_integer()->get();
      if (n < 1 || n > 20000) throw Error::InvalidInput(where + ": must be 1 to 20000");
      config.batch_size = static_cast<std::size_t>(n);
    } else if (name == "request_timeout_seconds" && value.is_integer()) {
      auto n = value.as_integer()->get();
      if (n < 1 || n > 3600) throw Error::InvalidInput(where + ": must be 1 to 3600");
      config.request_timeout_seconds = static_cast<int>(n);
    } else if (name == "data_dir" || name == "server_url" || name == "proxy" ||
               name == "batch_size" || name == "request_timeout_seconds") {
      throw Error::InvalidInput(where + ": has the wrong type");
    } else {
      throw Error::InvalidInput(where + ": is not a setting of tributary-agent");
    }
  }
  return config;
}

}  // namespace tributary::agent
