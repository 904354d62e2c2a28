// Hashes, keyed hashes and random bytes (OpenSSL). Thread-safe; throw
// tributary::Error(kCrypto) only if OpenSSL itself fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::digest {

std::string Sha256Hex(std::string_view data);

// The bytes `hex` spells (upper- or lower-case digits); nullopt when its
// length is odd or it holds anything else.
std::optional<std::string> FromHex(std::string_view hex);

// HMAC-SHA-256 of `data` under `key`, as lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `count` bytes from the operating system's CSPRNG, as lower-case hex.
std::string RandomHex(std::size_t count);

// Constant-time comparison of two strings of the same length.
bool EqualConstantTime(std::string_view a, std::string_view b);

}  // namespace tributary::digest
