#include "temp_dir.h"

#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

namespace tributary::testing {

// Under the system's temporary folder ($TMPDIR or /tmp; %TEMP% on Windows),
// a name no other directory has: create_directory fails on one that exists.
TempDir::TempDir() {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    char name[32];
    std::snprintf(name, sizeof name, "tributary-test-%08x", random());
    std::error_code ec;
    if (std::filesystem::create_directory(base / name, ec)) {
      path_ = base / name;
      std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
      return;
    }
    if (ec)
      throw std::runtime_error("cannot make a directory in " + base.string() + ": " + ec.message());
  }
  throw std::runtime_error("no free temporary directory name in " + base.string());
}

TempDir::~TempDir() {
  std::error_code ignored;  // a destructor must not throw; leftovers are only disk space
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace tributary::testing
