#include "importer/date_format.h"

#include <array>
#include <cctype>

namespace tributary::agent {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The token of `pattern` at its start, longest first.
std::string_view TokenAt(std::string_view pattern) {
  for (std::string_view token : {"yyyy", "MMMM", "MMM", "yy", "mm", "dd", "m", "d"}) {
    if (StartsWith(pattern, token)) return token;
  }
  return {};
}

// Reads `min`..`max` digits from the front of `text`.
std::optional<int> Digits(std::string_view& text, std::size_t min, std::size_t max) {
  std::size_t n = 0;
  int value = 0;
  while (n < max && n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) {
    value = value * 10 + (text[n] - '0');
    ++n;
  }
  if (n < min) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

std::optional<int> MonthName(std::string_view& text, bool whole) {
  std::string lower;
  for (char c : text) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    std::string_view name = kMonths[i];
    if (whole ? lower == name : lower == name.substr(0, 3)) {
      text.remove_prefix(lower.size());
      return static_cast<int>(i) + 1;
    }
  }
  return std::nullopt;
}

// "09:30", "09:30:15", "09:30:15.250", after a space or a 'T'.
bool IsTime(std::string_view text) {
  if (text.empty()) return true;
  if (text.front() != ' ' && text.front() != 'T') return false;
  text.remove_prefix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (!Digits(text, 1, 2) || text.empty() || text.front() != ':') return false;
  text.remove_prefix(1);
  if (!Digits(text, 2, 2)) return false;
  if (!text.empty() && text.front() == ':') {
    text.remove_prefix(1);
    if (!Digits(text, 2, 2)) return false;
    if (!text.empty() && text.front() == '.') {
      text.remove_prefix(1);
      if (!Digits(text, 1, 9)) return false;
    }
  }
  return text.empty();
}

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string CheckDatePattern(std::string_view pattern) {
  if (pattern == "iso") return "";
  bool year = false, month = false, day = false;
  while (!pattern.empty()) {
    std::string_view token = TokenAt(pattern);
    if (token.empty()) {
      if (std::isalnum(static_cast<unsigned char>(pattern.front()))) {
        return std::string("'") + pattern.front() +
               "' is not a date token (yyyy, yy, mm, m, dd, d, MMM, MMMM)";
      }
      pattern.remove_prefix(1);
      continue;
    }
    bool& seen = token[0] == 'y' ? year : (token[0] == 'd' ? day : month);
    if (seen)
      return "names the " +
             std::string(token[0] == 'y' ? "year" : (token[0] == 'd' ? "day" : "month")) + " twice";
    seen = true;
    pattern.remove_prefix(token.size());
  }
  if (!year || !month || !day) return "needs a year, a month and a day";
  return "";
}

std::optional<Date> ParseDateAs(std::string_view pattern, std::string_view text) {
  text = Trimmed(text);
  if (pattern == "iso") pattern = "yyyy-mm-dd";
  Date date;
  while (!pattern.empty()) {
    std::string_view token = TokenAt(pattern);
    std::optional<int> value;
    if (token == "yyyy") {
      value = Digits(text, 4, 4);
      if (value) date.year = *value;
    } else if (token == "yy") {
      value = Digits(text, 2, 2);
      if (value) date.year = 2000 + *value;
    } else if (token == "mm" || token == "m") {
      value = Digits(text, token.size(), 2);
      if (value) date.month = *value;
    } else if (token == "dd" || token == "d") {
      value = Digits(text, token.size(), 2);
      if (value) date.day = *value;
    } else if (token == "MMM" || token == "MMMM") {
      value = MonthName(text, token == "MMMM");
      if (value) date.month = *value;
    } else {
      if (text.empty() || text.front() != pattern.front()) return std::nullopt;
      text.remove_prefix(1);
      pattern.remove_prefix(1);
      continue;
    }
    if (!value) return std::nullopt;
    pattern.remove_prefix(token.size());
  }
  if (!IsTime(text)) return std::nullopt;
  if (date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

}  // namespace tributary::agent
