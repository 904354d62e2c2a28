#include "importer/person_keyer.h"

namespace tributary::agent {

std::optional<std::string> PersonIdentity(const PersonIdentifiers& ids, std::string& why) {
  bool has_body = !ids.registration_body.empty();
  bool has_number = !ids.registration_number.empty();
  if (has_body != has_number) {
    why = "REGISTRATION_BODY and REGISTRATION_NUMBER must be given together";
    return std::nullopt;
  }
  if (has_body) return ids.registration_body + ":" + ids.registration_number;
  if (!ids.employer_code.empty() && !ids.employer_staff_id.empty()) {
    return ids.employer_code + ":" + ids.employer_staff_id;
  }
  why = "needs a professional registration or an EMPLOYER_STAFF_ID to identify the person";
  return std::nullopt;
}

}  // namespace tributary::agent
