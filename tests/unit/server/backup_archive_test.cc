// The sealed backup file (backup/backup_archive.h): what goes in comes out,
// byte for byte across frames, and any change to the file is refused.
#include "backup/backup_archive.h"

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::server;

namespace {

const std::string kPassphrase = "twelve or more characters";

ErrorCode CodeOfReading(const std::filesystem::path& file) {
  try {
    BackupReader reader(file, kPassphrase);
    while (auto entry = reader.Next()) reader.ReadContent(*entry);
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("the file was read whole");
  return ErrorCode::kInternal;
}

}  // namespace

TEST_CASE("backup archive: entries come back whole across frames; any change is refused") {
  testing::TempDir dir;
  std::filesystem::path file = dir.path() / "b.tbk";
  std::string big(200'000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  files::WriteAtomic(dir.path() / "big", big);
  {
    BackupWriter writer(file, kPassphrase);
    writer.Add("small", "hello");
    writer.AddFile("big", dir.path() / "big");
    writer.Add("empty", "");
    writer.Finish();
  }
  {
    BackupReader reader(file, kPassphrase);
    auto small = reader.Next();
    REQUIRE(small);
    CHECK(small->name == "small");
    CHECK(reader.ReadContent(*small) == "hello");
    auto copied = reader.Next();
    REQUIRE(copied);
    CHECK(copied->size == big.size());
    reader.CopyContentTo(*copied, dir.path() / "big.out");
    CHECK(files::Read(dir.path() / "big.out") == big);
    auto empty = reader.Next();
    REQUIRE(empty);
    CHECK(reader.ReadContent(*empty).empty());
    CHECK_FALSE(reader.Next());
  }
  std::string whole = files::Read(file);
  auto variant = [&](const std::string& name, std::string content) {
    files::WriteAtomic(dir.path() / name, content);
    return dir.path() / name;
  };
  SECTION("a byte changed anywhere: the header, the first frame, the last") {
    for (std::size_t at : {std::size_t{20}, std::size_t{100}, whole.size() / 2, whole.size() - 1}) {
      std::string changed = whole;
      changed[at] = static_cast<char>(changed[at] ^ 0x40);
      INFO("byte " << at);
      CHECK(CodeOfReading(variant("changed", changed)) == ErrorCode::kInvalidInput);
    }
  }
  SECTION("cut at a frame's end, or lengthened") {
    // Frames are 4 + 65536 + 17 bytes; the first begins after the 76-byte header.
    CHECK(CodeOfReading(variant("cut", whole.substr(0, 76 + 4 + 65536 + 17))) ==
          ErrorCode::kInvalidInput);
    CHECK(CodeOfReading(variant("long", whole + "x")) == ErrorCode::kInvalidInput);
  }
  SECTION("frames swapped") {
    const std::size_t frame = 4 + 65536 + 17;
    std::string swapped = whole.substr(0, 76) + whole.substr(76 + frame, frame) +
                          whole.substr(76, frame) + whole.substr(76 + 2 * frame);
    CHECK(CodeOfReading(variant("swapped", swapped)) == ErrorCode::kInvalidInput);
  }
  SECTION("not a backup; a short passphrase") {
    CHECK(CodeOfReading(variant("text", "just some text")) == ErrorCode::kInvalidInput);
    CHECK_THROWS_AS(BackupWriter(dir.path() / "x.tbk", "short"), Error);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "x.tbk.partial"));
  }
  SECTION("a writer abandoned before Finish leaves nothing") {
    {
      BackupWriter writer(dir.path() / "abandoned.tbk", kPassphrase);
      writer.Add("small", "hello");
    }
    CHECK_FALSE(std::filesystem::exists(dir.path() / "abandoned.tbk"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "abandoned.tbk.partial"));
  }
}
