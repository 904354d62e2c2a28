#include "tributary/protocol/compression.h"

#include <catch2/catch.hpp>

using namespace tributary::protocol;

TEST_CASE("compression: round trip, and repetitive data shrinks") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "2026-08-03,T01100,GP,Face-to-Face,Attended\n";
  std::string packed = Compress(data);
  CHECK(packed.size() < data.size() / 10);
  auto back = Decompress(packed, data.size());
  REQUIRE(back);
  CHECK(*back == data);
}

TEST_CASE("compression: output past the limit is refused (a compression bomb)") {
  std::string data(1 << 20, 'a');
  CHECK_FALSE(Decompress(Compress(data), (1 << 20) - 1));
}

TEST_CASE("compression: garbage and truncated streams are refused") {
  CHECK_FALSE(Decompress("not zstd at all", 1000));
  std::string packed = Compress(std::string(10000, 'x') + "tail");
  CHECK_FALSE(Decompress(packed.substr(0, packed.size() - 3), 100000));
}

TEST_CASE("compression: an empty body round-trips") {
  auto back = Decompress(Compress(""), 10);
  REQUIRE(back);
  CHECK(back->empty());
}
