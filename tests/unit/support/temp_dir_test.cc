#include "temp_dir.h"

#include <catch2/catch.hpp>
#include <fstream>

TEST_CASE("temp dir: removed with everything in it") {
  std::filesystem::path kept;
  {
    tributary::testing::TempDir dir;
    kept = dir.path();
    std::filesystem::create_directories(dir.path() / "a" / "b");
    std::ofstream(dir.path() / "a" / "b" / "f.txt") << "x";
    CHECK(std::filesystem::exists(kept / "a" / "b" / "f.txt"));
  }
  CHECK_FALSE(std::filesystem::exists(kept));
}

TEST_CASE("temp dir: each is new") {
  tributary::testing::TempDir a, b;
  CHECK(a.path() != b.path());
}
