// Deriving the pseudonymous person key (docs/design.md invariant 7, docs/data.md): a keyed HMAC of
// the professional registration, or of the employer's own staff id when there
// is none. The key comes from the ICS at enrolment, so the same person gets
// the same key at every practice of the ICS and nowhere else.
#pragma once

#include <optional>
#include <string>

namespace tributary::agent {

struct PersonIdentifiers {
  std::string registration_body;
  std::string registration_number;
  std::string employer_code;
  std::string employer_staff_id;
};

// The person key, or nullopt (with `why` set) when the identifiers are not
// enough to tell who the person is. `secret_hex` is the ICS's secret.
std::optional<std::string> DerivePersonKey(const std::string& secret_hex,
                                           const PersonIdentifiers& ids, std::string& why);

}  // namespace tributary::agent
