#include "importer/person_key_derivation.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

std::string HexToBytes(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) throw Error::InvalidInput("person-key secret is not hex");
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) throw Error::InvalidInput("person-key secret is not hex");
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  return bytes;
}

}  // namespace

std::optional<std::string> DerivePersonKey(const std::string& secret_hex,
                                           const PersonIdentifiers& ids, std::string& why) {
  bool has_body = !ids.registration_body.empty();
  bool has_number = !ids.registration_number.empty();
  if (has_body != has_number) {
    why = "REGISTRATION_BODY and REGISTRATION_NUMBER must be given together";
    return std::nullopt;
  }
  std::string identity;
  if (has_body) {
    identity = ids.registration_body + ":" + ids.registration_number;
  } else if (!ids.employer_code.empty() && !ids.employer_staff_id.empty()) {
    identity = ids.employer_code + ":" + ids.employer_staff_id;
  } else {
    why = "needs a professional registration or an EMPLOYER_STAFF_ID to identify the person";
    return std::nullopt;
  }
  return digest::HmacSha256Hex(HexToBytes(secret_hex), identity);
}

}  // namespace tributary::agent
