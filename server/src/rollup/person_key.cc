#include "rollup/person_key.h"

#include <algorithm>
#include <boost/endian/conversion.hpp>

#include "tributary/common/error.h"

namespace tributary::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

PersonKey PersonKey::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kBytes) {
    throw Error::Corruption("person key has " + std::to_string(hex.size()) + " characters, not 64");
  }
  PersonKey key;
  for (std::size_t i = 0; i < 2 * kBytes; ++i) {
    int digit = HexValue(hex[i]);
    if (digit < 0) {
      throw Error::Corruption("person key is not lower-case hex at character " +
                              std::to_string(i + 1));
    }
    std::uint64_t& word = key.words_[i / 16];
    word = word << 4 | static_cast<std::uint64_t>(digit);
  }
  return key;
}

PersonKey PersonKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kBytes) {
    throw Error::Corruption("person key has " + std::to_string(bytes.size()) + " bytes, not 32");
  }
  PersonKey key;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < key.words_.size(); ++i) {
    key.words_[i] = boost::endian::load_big_u64(p + 8 * i);
  }
  return key;
}

std::string PersonKey::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * kBytes);
  for (std::uint64_t word : words_) {
    for (int shift = 60; shift >= 0; shift -= 4) hex.push_back(kDigits[(word >> shift) & 0xF]);
  }
  return hex;
}

void PersonKey::AppendBytes(std::string& out) const {
  unsigned char bytes[kBytes];
  for (std::size_t i = 0; i < words_.size(); ++i) {
    boost::endian::store_big_u64(bytes + 8 * i, words_[i]);
  }
  out.append(reinterpret_cast<const char*>(bytes), kBytes);
}

}  // namespace tributary::server
