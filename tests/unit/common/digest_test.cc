#include "tributary/common/digest.h"

#include <catch2/catch.hpp>

using namespace tributary::digest;

TEST_CASE("digest: SHA-256 known answer") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("digest: HMAC-SHA-256 known answer (RFC 4231 test case 2)") {
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("digest: random bytes are the requested length and differ") {
  std::string a = RandomHex(32);
  CHECK(a.size() == 64);
  CHECK(a != RandomHex(32));
}

TEST_CASE("digest: constant-time comparison") {
  CHECK(EqualConstantTime("abc", "abc"));
  CHECK_FALSE(EqualConstantTime("abc", "abd"));
  CHECK_FALSE(EqualConstantTime("abc", "abcd"));
}

TEST_CASE("digest: hex decodes either case, and refuses odd lengths and other characters") {
  CHECK(FromHex("") == std::string());
  CHECK(FromHex("00ff7A") == std::string("\x00\xff\x7a", 3));
  CHECK(FromHex(Sha256Hex("x")).value().size() == 32);
  CHECK_FALSE(FromHex("abc").has_value());
  CHECK_FALSE(FromHex("0g").has_value());
  CHECK_FALSE(FromHex("0 ").has_value());
}
