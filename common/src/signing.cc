#include "tributary/common/signing.h"

#include <sodium.h>

#include <optional>
#include <string>
#include <vector>

#include "tributary/common/error.h"

namespace tributary::signing {
namespace {

void StartSodium() {
  static const bool started = sodium_init() >= 0;
  if (!started) throw Error::Crypto("libsodium cannot start");
}

std::string Hex(const std::uint8_t* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

std::optional<std::vector<std::uint8_t>> Bytes(std::string_view hex, std::size_t size) {
  if (hex.size() != size * 2) return std::nullopt;
  std::vector<std::uint8_t> out(size);
  std::size_t length = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != size) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

SigningKey SigningKey::Generate() {
  StartSodium();
  SigningKey key;
  crypto_sign_keypair(key.public_.data(), key.secret_.data());
  return key;
}

SigningKey SigningKey::FromSeedHex(std::string_view hex) {
  StartSodium();
  auto seed = Bytes(hex, crypto_sign_SEEDBYTES);
  if (!seed) throw Error::Corruption("a signing key is 64 hex characters");
  SigningKey key;
  crypto_sign_seed_keypair(key.public_.data(), key.secret_.data(), seed->data());
  sodium_memzero(seed->data(), seed->size());
  return key;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string SigningKey::SeedHex() const { return Hex(secret_.data(), crypto_sign_SEEDBYTES); }

std::string SigningKey::PublicKeyHex() const { return Hex(public_.data(), public_.size()); }

std::string SigningKey::Sign(std::string_view message) const {
  std::array<std::uint8_t, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return Hex(signature.data(), signature.size());
}

bool Verify(std::string_view public_key_hex, std::string_view message,
            std::string_view signature_hex) {
  StartSodium();
  auto key = Bytes(public_key_hex, crypto_sign_PUBLICKEYBYTES);
  auto signature = Bytes(signature_hex, crypto_sign_BYTES);
  if (!key || !signature) return false;
  return crypto_sign_verify_detached(signature->data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key->data()) == 0;
}

}  // namespace tributary::signing
