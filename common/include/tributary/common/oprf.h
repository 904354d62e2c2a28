// The oblivious pseudorandom function of RFC 9497 in its OPRF mode, with the
// ristretto255-SHA512 suite (libsodium's group operations). Person keys are
// made with it (docs/design.md invariant 7): the agent blinds a person's
// identifier, the server evaluates the blinded element with a key that never
// leaves it, and the agent unblinds and finalises. The server never sees the
// identifier; nobody without the server's key can compute the output.
//
//   agent                              server
//   Blind(input) -> blind, element ->  BlindEvaluate(key, element) -> evaluated
//   Finalize(input, blind, evaluated) <-
//
// Thread-safe: no shared state beyond libsodium's, initialised once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::oprf {

using Scalar = std::array<std::uint8_t, 32>;   // little-endian, reduced mod the group order
using Element = std::array<std::uint8_t, 32>;  // a ristretto255 encoding
using Output = std::array<std::uint8_t, 64>;

// The server's key. Its bytes are wiped when it goes.
class Key {
 public:
  // A fresh random key.
  static Key Generate();
  // From 64 hex characters; throws Error(kCorruption) unless they are a
  // non-zero scalar below the group order.
  static Key FromHex(std::string_view hex);
  ~Key();
  Key(const Key&) = default;
  Key& operator=(const Key&) = default;

  std::string ToHex() const;
  // pkS = key x generator: shows which key is in use without revealing it.
  Element PublicElement() const;
  const Scalar& scalar() const { return scalar_; }

 private:
  explicit Key(const Scalar& scalar) : scalar_(scalar) {}
  Scalar scalar_{};
};

struct BlindedInput {
  Scalar blind;     // kept by the agent until Finalize
  Element element;  // sent to the server
};

// Blinds `input` with a fresh random blind. Throws Error(kInvalidInput) in
// the negligible case that it maps to the identity.
BlindedInput Blind(std::string_view input);
// The same with a given blind (the RFC's test vectors).
BlindedInput BlindWith(std::string_view input, const Scalar& blind);

// The server's step. Throws Error(kInvalidInput) unless `blinded` is a
// valid, non-identity ristretto255 element.
Element BlindEvaluate(const Key& key, const Element& blinded);

// The agent's last step. Throws Error(kInvalidInput) unless `evaluated` is a
// valid element.
Output Finalize(std::string_view input, const Scalar& blind, const Element& evaluated);

// expand_message_xmd with SHA-512 (RFC 9380 section 5.3.1), for
// `length` <= 255 * 64 bytes; HashToGroup's, exposed for its test vectors.
std::string ExpandMessageXmdSha512(std::string_view message, std::string_view dst,
                                   std::size_t length);

// Hex of any byte array, and back (throws Error(kInvalidInput) on bad hex
// or the wrong length).
std::string ToHex(const std::uint8_t* bytes, std::size_t size);
template <std::size_t N>
std::string ToHex(const std::array<std::uint8_t, N>& bytes) {
  return ToHex(bytes.data(), N);
}
Element ElementFromHex(std::string_view hex);

}  // namespace tributary::oprf
