#include "rollup/person_key.h"

#include <algorithm>
#include <stdexcept>

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
    throw std::invalid_argument("person key has " + std::to_string(hex.size()) +
                                " characters, not 64");
  }
  PersonKey key;
  for (std::size_t i = 0; i < 2 * kBytes; ++i) {
    int digit = HexValue(hex[i]);
    if (digit < 0) {
      throw std::invalid_argument("person key is not lower-case hex at character " +
                                  std::to_string(i + 1));
    }
    std::uint64_t& word = key.words_[i / 16];
    word = word << 4 | static_cast<std::uint64_t>(digit);
  }
  return key;
}

PersonKey PersonKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kBytes) {
    throw std::invalid_argument("person key has " + std::to_string(bytes.size()) +
                                " bytes, not 32");
  }
  PersonKey key;
  for (std::size_t i = 0; i < kBytes; ++i) {
    std::uint64_t& word = key.words_[i / 8];
    word = word << 8 | static_cast<std::uint8_t>(bytes[i]);
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
  for (std::uint64_t word : words_) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(word >> shift));
  }
}

void UniteInPlace(std::vector<PersonKey>& people) {
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
}

}  // namespace tributary::server
