#include "tributary/common/ods_code.h"

#include <algorithm>

namespace tributary::ods {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsUpperAlnum(char c) { return IsDigit(c) || IsUpper(c); }
bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }
bool AllUpperAlnum(std::string_view s) { return std::all_of(s.begin(), s.end(), IsUpperAlnum); }

}  // namespace

bool IsPracticeCode(std::string_view code) {
  return code.size() == 6 && IsUpper(code[0]) && AllDigits(code.substr(1));
}

bool IsPcnCode(std::string_view code) {
  return code.size() == 6 && code[0] == 'U' && AllDigits(code.substr(1));
}

bool IsPlaceCode(std::string_view code) {
  return (code.size() == 3 || code.size() == 5) && AllUpperAlnum(code);
}

bool IsIcsCode(std::string_view code) {
  return code.size() == 3 && code[0] == 'Q' && AllUpperAlnum(code);
}

bool IsOrganisationCode(std::string_view code) {
  return code.size() >= 3 && code.size() <= 6 && AllUpperAlnum(code);
}

}  // namespace tributary::ods
