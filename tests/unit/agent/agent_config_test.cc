#include "config/agent_config.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

std::filesystem::path Write(const testing::TempDir& dir, const std::string& text) {
  auto path = dir.path() / "agent.toml";
  files::WriteAtomic(path, text);
  return path;
}

std::string LoadError(const std::filesystem::path& path) {
  try {
    AgentConfig::Load(path, true);
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("agent config: the installed example is valid and says what the defaults are") {
#ifdef _WIN32
  const char* installed = "installers/windows/agent.toml";  // the MSI's
#else
  const char* installed = "installers/agent.toml";  // the Debian package's
#endif
  AgentConfig shipped =
      AgentConfig::Load(std::filesystem::path(TRIBUTARY_SOURCE_DIR) / installed, true);
  AgentConfig defaults;
  CHECK(shipped.data_dir == defaults.data_dir);
  CHECK(shipped.batch_size == defaults.batch_size);
  CHECK(shipped.request_timeout_seconds == defaults.request_timeout_seconds);
  CHECK(shipped.proxy.empty());
}

TEST_CASE("agent config: every setting is read") {
  testing::TempDir dir;
  AgentConfig c = AgentConfig::Load(Write(dir,
                                          "data_dir = '/srv/a'\nserver_url = 'https://s:1'\n"
                                          "proxy = 'http://p:3128'\nbatch_size = 10\n"
                                          "request_timeout_seconds = 7\n"),
                                    true);
  CHECK(c.data_dir == "/srv/a");
  CHECK(c.server_url == "https://s:1");
  CHECK(c.proxy == "http://p:3128");
  CHECK(c.batch_size == 10);
  CHECK(c.request_timeout_seconds == 7);
}

TEST_CASE("agent config: a missing default file gives the defaults, a named one is an error") {
  testing::TempDir dir;
  CHECK(AgentConfig::Load(dir.path() / "none.toml", false).batch_size == 5000);
  CHECK_THROWS_AS(AgentConfig::Load(dir.path() / "none.toml", true), Error);
}

TEST_CASE("agent config: mistakes name the file, line and setting") {
  testing::TempDir dir;
  auto path = Write(dir, "batch_size = 10\nbatch_sise = 10\n");
  CHECK(LoadError(path) == path.string() + ":2: batch_sise: is not a setting of tributary-agent");
  path = Write(dir, "\nproxy = 3128\n");
  CHECK(LoadError(path) == path.string() + ":2: proxy: must be a string");
  path = Write(dir, "batch_size = 0\n");
  CHECK(LoadError(path) == path.string() + ":1: batch_size: must be 1 to 20000");
  path = Write(dir, "proxy = \n");
  CHECK(LoadError(path).rfind(path.string() + ":1: ", 0) == 0);
}
