// A temporary directory removed, with everything in it, when the object dies,
// whether the test passed or failed.
#pragma once

#include <filesystem>

namespace tributary::testing {

class TempDir {
 public:
  TempDir();  // creates a fresh directory under $TMPDIR (or /tmp; %TEMP% on Windows)
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tributary::testing
