#include "tributary/common/signing.h"

#include <catch2/catch.hpp>

#include "tributary/common/error.h"

using namespace tributary;

TEST_CASE("signing: a signature verifies with its key only, and only for its message") {
  signing::SigningKey key = signing::SigningKey::Generate();
  std::string signature = key.Sign("practice T01100 from 1 to 5");
  CHECK(signature.size() == 128);
  CHECK(signing::Verify(key.PublicKeyHex(), "practice T01100 from 1 to 5", signature));
  CHECK_FALSE(signing::Verify(key.PublicKeyHex(), "practice T01100 from 1 to 6", signature));
  CHECK_FALSE(signing::Verify(signing::SigningKey::Generate().PublicKeyHex(),
                              "practice T01100 from 1 to 5", signature));
  std::string flipped = signature;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  CHECK_FALSE(signing::Verify(key.PublicKeyHex(), "practice T01100 from 1 to 5", flipped));
  CHECK_FALSE(signing::Verify("nothex", "x", signature));
  CHECK_FALSE(signing::Verify(key.PublicKeyHex(), "x", "short"));
}

TEST_CASE("signing: a key made again from its seed signs as it did; a bad seed is refused") {
  signing::SigningKey key = signing::SigningKey::Generate();
  signing::SigningKey again = signing::SigningKey::FromSeedHex(key.SeedHex());
  CHECK(again.PublicKeyHex() == key.PublicKeyHex());
  CHECK(again.Sign("m") == key.Sign("m"));  // Ed25519 is deterministic
  CHECK_THROWS_AS(signing::SigningKey::FromSeedHex("abc"), Error);
}
