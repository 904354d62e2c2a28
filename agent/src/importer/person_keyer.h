// Where person keys come from (docs/design.md invariant 7): an identity
// ("GMC:1234567", or "EMPLOYER:STAFF_ID" when there is no registration)
// becomes a key only with the server's OPRF key, so a practice cannot key
// anyone by itself, and nobody can reverse a key without the server.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tributary::agent {

struct PersonIdentifiers {
  std::string registration_body;
  std::string registration_number;
  std::string employer_code;
  std::string employer_staff_id;
};

// The identity a person key is made from, or nullopt (with `why` set) when
// the identifiers are not enough to tell who the person is.
std::optional<std::string> PersonIdentity(const PersonIdentifiers& ids, std::string& why);

class PersonKeyer {
 public:
  virtual ~PersonKeyer() = default;
  // The person key (64 lower-case hex characters) of each identity, in
  // order. Throws Error(kUnavailable) when keys cannot be made now (the
  // server cannot be reached, or its allowance for today is spent): nothing
  // that needs them can be stored until it can.
  virtual std::vector<std::string> KeysFor(const std::vector<std::string>& identities) = 0;
};

}  // namespace tributary::agent
