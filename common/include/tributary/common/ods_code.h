// Organisation Data Service (ODS) code formats. Codes are matched exactly:
// upper case, no surrounding spaces.
#pragma once

#include <string_view>

namespace tributary::ods {

bool IsPracticeCode(std::string_view code);  // one letter + 5 digits: "A81001"
bool IsPcnCode(std::string_view code);       // "U" + 5 digits: "U21951"
bool IsPlaceCode(std::string_view code);     // 3 or 5 upper-case alphanumerics: "00L", "W2U3Z"
bool IsIcsCode(std::string_view code);       // "Q" + 2 upper-case alphanumerics: "QHM"
// Any of the above, or another well-formed ODS code (3 to 6 upper-case alphanumerics).
bool IsOrganisationCode(std::string_view code);

}  // namespace tributary::ods
