#include "tributary/common/files.h"

#ifndef _WIN32
#include <sys/stat.h>  // mkfifo
#endif

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>

#include "temp_dir.h"
#include "tributary/common/error.h"

using namespace tributary;
namespace fs = std::filesystem;

namespace {

ErrorCode CodeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no error");
  return ErrorCode::kInternal;
}

}  // namespace

TEST_CASE("files: a regular file is read whole, up to and at its limit") {
  testing::TempDir dir;
  std::ofstream(dir.path() / "a.csv", std::ios::binary) << std::string(100, 'x');
  CHECK(files::ReadRegularFile(dir.path() / "a.csv", 100) == std::string(100, 'x'));
  std::ofstream(dir.path() / "empty.csv", std::ios::binary) << "";
  CHECK(files::ReadRegularFile(dir.path() / "empty.csv", 100).empty());
}

TEST_CASE("files: a file over the limit, a link, a folder or a pipe is refused as input") {
  testing::TempDir dir;
  std::ofstream(dir.path() / "a.csv", std::ios::binary) << std::string(101, 'x');
  CHECK(CodeOf([&] { files::ReadRegularFile(dir.path() / "a.csv", 100); }) ==
        ErrorCode::kInvalidInput);
  fs::create_directory(dir.path() / "folder.csv");
  CHECK(CodeOf([&] { files::ReadRegularFile(dir.path() / "folder.csv", 1000); }) ==
        ErrorCode::kInvalidInput);
#ifndef _WIN32  // symbolic links and pipes as POSIX makes them (not under wine)
  fs::create_symlink(dir.path() / "a.csv", dir.path() / "link.csv");
  CHECK(CodeOf([&] { files::ReadRegularFile(dir.path() / "link.csv", 1000); }) ==
        ErrorCode::kInvalidInput);
  REQUIRE(::mkfifo((dir.path() / "pipe.csv").c_str(), 0600) == 0);
  CHECK(CodeOf([&] { files::ReadRegularFile(dir.path() / "pipe.csv", 1000); }) ==
        ErrorCode::kInvalidInput);
#endif
  CHECK(CodeOf([&] { files::ReadRegularFile(dir.path() / "missing.csv", 1000); }) ==
        ErrorCode::kIo);
}

#ifndef _WIN32
TEST_CASE("files: an atomic write never follows a link planted where its temporary file goes") {
  testing::TempDir dir;
  std::ofstream(dir.path() / "victim", std::ios::binary) << "kept";
  fs::create_symlink(dir.path() / "victim", dir.path() / "out.txt.tmp");
  CHECK(CodeOf([&] { files::WriteAtomic(dir.path() / "out.txt", "new"); }) == ErrorCode::kIo);
  std::ifstream in(dir.path() / "victim");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "kept");
}
#endif
