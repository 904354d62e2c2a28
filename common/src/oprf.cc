#include "tributary/common/oprf.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::oprf {
namespace {

// contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier, mode 0x00 (OPRF).
const std::string& ContextString() {
  static const std::string context = std::string("OPRFV1-") + '\0' + "-ristretto255-SHA512";
  return context;
}

void StartSodium() {
  static const bool started = sodium_init() >= 0;
  if (!started) throw Error::Crypto("libsodium cannot start");
}

std::string I2osp2(std::size_t value) {
  return std::string{static_cast<char>((value >> 8) & 0xff), static_cast<char>(value & 0xff)};
}

std::string Sha512(std::string_view data) {
  std::string out(crypto_hash_sha512_BYTES, '\0');
  crypto_hash_sha512(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

Element HashToGroup(std::string_view input) {
  std::string uniform = ExpandMessageXmdSha512(input, "HashToGroup-" + ContextString(), 64);
  Element element{};
  crypto_core_ristretto255_from_hash(element.data(),
                                     reinterpret_cast<const unsigned char*>(uniform.data()));
  return element;
}

bool IsIdentity(const Element& element) {
  static const Element kIdentity{};
  return sodium_memcmp(element.data(), kIdentity.data(), element.size()) == 0;
}

void RequireElement(const Element& element, const char* what) {
  if (crypto_core_ristretto255_is_valid_point(element.data()) != 1 || IsIdentity(element)) {
    throw Error::InvalidInput(std::string(what) + " is not a valid ristretto255 element");
  }
}

template <std::size_t N>
std::array<std::uint8_t, N> FromHex(std::string_view hex, const char* what) {
  std::array<std::uint8_t, N> out{};
  if (hex.size() != 2 * N) {
    throw Error::InvalidInput(std::string(what) + " is not " + std::to_string(2 * N) +
                              " hex characters");
  }
  std::optional<std::string> bytes = digest::FromHex(hex);
  if (!bytes) throw Error::InvalidInput(std::string(what) + " is not hex");
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace

std::string ExpandMessageXmdSha512(std::string_view message, std::string_view dst,
                                   std::size_t length) {
  constexpr std::size_t kBlock = 128, kOut = 64;
  std::size_t blocks = (length + kOut - 1) / kOut;
  if (blocks > 255 || dst.size() > 255 || length > 65535) {
    throw Error::InvalidArgument("expand_message_xmd: length or DST too long");
  }
  std::string dst_prime = std::string(dst) + static_cast<char>(dst.size());
  std::string b0 = Sha512(std::string(kBlock, '\0') + std::string(message) + I2osp2(length) +
                          std::string(1, '\0') + dst_prime);
  std::string out;
  std::string previous = Sha512(b0 + std::string(1, '\x01') + dst_prime);
  out += previous;
  for (std::size_t i = 2; i <= blocks; ++i) {
    std::string mixed(kOut, '\0');
    for (std::size_t j = 0; j < kOut; ++j) mixed[j] = static_cast<char>(b0[j] ^ previous[j]);
    previous = Sha512(mixed + std::string(1, static_cast<char>(i)) + dst_prime);
    out += previous;
  }
  out.resize(length);
  return out;
}

Key Key::Generate() {
  StartSodium();
  Scalar scalar{};
  crypto_core_ristretto255_scalar_random(scalar.data());  // never zero
  return Key(scalar);
}

Key Key::FromHex(std::string_view hex) {
  StartSodium();
  Scalar scalar{};
  try {
    scalar = oprf::FromHex<32>(hex, "the OPRF key");
  } catch (const Error& e) {
    throw Error::Corruption(e.what());
  }
  // Canonical: reducing it changes nothing, and it is not zero.
  std::array<std::uint8_t, 64> wide{};
  std::memcpy(wide.data(), scalar.data(), scalar.size());
  Scalar reduced{};
  crypto_core_ristretto255_scalar_reduce(reduced.data(), wide.data());
  if (reduced != scalar || sodium_is_zero(scalar.data(), scalar.size())) {
    throw Error::Corruption("the OPRF key is not a scalar of ristretto255");
  }
  return Key(scalar);
}

Key::~Key() { sodium_memzero(scalar_.data(), scalar_.size()); }

std::string Key::ToHex() const { return oprf::ToHex(scalar_); }

Element Key::PublicElement() const {
  Element element{};
  if (crypto_scalarmult_ristretto255_base(element.data(), scalar_.data()) != 0) {
    throw Error::Crypto("the OPRF key gives the identity");
  }
  return element;
}

BlindedInput Blind(std::string_view input) {
  StartSodium();
  Scalar blind{};
  crypto_core_ristretto255_scalar_random(blind.data());
  BlindedInput out = BlindWith(input, blind);
  sodium_memzero(blind.data(), blind.size());
  return out;
}

BlindedInput BlindWith(std::string_view input, const Scalar& blind) {
  StartSodium();
  Element point = HashToGroup(input);
  if (IsIdentity(point)) throw Error::InvalidInput("the input maps to the identity");
  BlindedInput out{blind, {}};
  if (crypto_scalarmult_ristretto255(out.element.data(), blind.data(), point.data()) != 0) {
    throw Error::InvalidInput("the blinded input is the identity");
  }
  return out;
}

Element BlindEvaluate(const Key& key, const Element& blinded) {
  StartSodium();
  RequireElement(blinded, "the blinded element");
  Element evaluated{};
  if (crypto_scalarmult_ristretto255(evaluated.data(), key.scalar().data(), blinded.data()) != 0) {
    throw Error::InvalidInput("the blinded element evaluates to the identity");
  }
  return evaluated;
}

Output Finalize(std::string_view input, const Scalar& blind, const Element& evaluated) {
  StartSodium();
  RequireElement(evaluated, "the evaluated element");
  Scalar inverse{};
  if (crypto_core_ristretto255_scalar_invert(inverse.data(), blind.data()) != 0) {
    throw Error::InvalidInput("the blind is zero");
  }
  Element unblinded{};
  int rc = crypto_scalarmult_ristretto255(unblinded.data(), inverse.data(), evaluated.data());
  sodium_memzero(inverse.data(), inverse.size());
  if (rc != 0) throw Error::InvalidInput("the unblinded element is the identity");
  std::string hash_input =
      I2osp2(input.size()) + std::string(input) + I2osp2(unblinded.size()) +
      std::string(reinterpret_cast<const char*>(unblinded.data()), unblinded.size()) + "Finalize";
  std::string digest = Sha512(hash_input);
  Output out{};
  std::memcpy(out.data(), digest.data(), out.size());
  return out;
}

std::string ToHex(const std::uint8_t* bytes, std::size_t size) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

Element ElementFromHex(std::string_view hex) { return FromHex<32>(hex, "an element"); }

}  // namespace tributary::oprf
