// Ed25519 signatures (libsodium): the server signs what it tells practices
// and auditors it holds (push receipts, audit checkpoints); anyone with its
// public key checks them.
//
// Thread-safe: a key is read-only once made.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::signing {

class SigningKey {
 public:
  // A fresh key.
  static SigningKey Generate();
  // From its 32-byte seed in 64 hex characters; throws Error(kCorruption)
  // when it is not one.
  static SigningKey FromSeedHex(std::string_view hex);
  ~SigningKey();
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;

  std::string SeedHex() const;
  // 64 hex characters.
  std::string PublicKeyHex() const;
  // The detached signature of `message`, 128 hex characters.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::array<std::uint8_t, 64> secret_{};  // libsodium's: seed then public key
  std::array<std::uint8_t, 32> public_{};
};

// True when `signature_hex` is `public_key_hex`'s signature of `message`;
// false for anything malformed.
bool Verify(std::string_view public_key_hex, std::string_view message,
            std::string_view signature_hex);

}  // namespace tributary::signing
