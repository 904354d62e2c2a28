#include "own_postgres.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "child_process.h"

namespace tributary::testing {

OwnPostgres::OwnPostgres(std::filesystem::path dir) : dir_(std::move(dir)) {
  Script("start");
  running_ = true;
  setenv("TRIBUTARY_TEST_POSTGRES", (dir_ / "url").c_str(), 1);
}

OwnPostgres::~OwnPostgres() {
  try {
    Script("stop");
  } catch (const std::exception&) {
    // Destructors never throw; the cluster's directory is a temporary one.
  }
}

void OwnPostgres::Crash() {
  Script("crash");
  running_ = false;
}

void OwnPostgres::Restart() {
  Script("restart");
  running_ = true;
}

void OwnPostgres::Script(const char* action) const {
  RunResult r = Run({std::string(TRIBUTARY_SOURCE_DIR) + "/tests/support/test_postgres.sh", action,
                     dir_.string()},
                    std::chrono::seconds(120));
  if (r.exit_code != 0) {
    throw std::runtime_error(std::string("test_postgres.sh ") + action + " failed: " + r.err);
  }
}

}  // namespace tributary::testing
