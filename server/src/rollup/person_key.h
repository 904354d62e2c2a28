// A person key as the rollups hold it: the 32 bytes behind its 64 lower-case
// hex characters (an HMAC-SHA-256, docs/data.md). An ICS's headcounts unite the
// keys of ~150 practices' staff on every read; four inline integers compare
// in a register or two and need no allocation, where the hex text needs a
// heap string and a memcmp.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::server {

class PersonKey {
 public:
  static constexpr std::size_t kBytes = 32;

  // Throws Error(kCorruption) unless `hex` is 64 lower-case hex
  // characters, the only form validation lets into the store.
  static PersonKey FromHex(std::string_view hex);
  // Throws Error(kCorruption) unless `bytes` holds exactly kBytes.
  static PersonKey FromBytes(std::string_view bytes);

  std::string ToHex() const;
  // Appends the kBytes bytes FromBytes reads.
  void AppendBytes(std::string& out) const;

  // The order of the bytes, and so of the hex text. Written out rather than
  // defaulted: uniting an ICS's people is a sort of ~25,000 keys per
  // reading, and the first word nearly always decides.
  friend bool operator<(const PersonKey& a, const PersonKey& b) {
    for (std::size_t i = 0; i < a.words_.size(); ++i) {
      if (a.words_[i] != b.words_[i]) return a.words_[i] < b.words_[i];
    }
    return false;
  }
  friend bool operator==(const PersonKey& a, const PersonKey& b) = default;

 private:
  // The bytes as four big-endian words, so comparing words in turn compares
  // the bytes in order.
  std::array<std::uint64_t, 4> words_{};
};

}  // namespace tributary::server
