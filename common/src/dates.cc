#include "tributary/common/dates.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace tributary {
namespace {

constexpr std::array<std::string_view, 12> kMonthAbbreviations = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

// Parses exactly `text.size()` ASCII digits.
std::optional<int> Digits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Date> Checked(int year, int month, int day) {
  if (year < 1900 || year > 2999 || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return Date{year, month, day};
}

}  // namespace

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::string Date::ToString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::string Date::ToNhsString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d", day);
  std::string out = buffer;
  out += kMonthAbbreviations.at(static_cast<std::size_t>(month - 1));
  std::snprintf(buffer, sizeof buffer, "%04d", year);
  return out + buffer;
}

std::string Period::ToString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  return buffer;
}

Date Period::LastDay() const { return {year, month, DaysInMonth(year, month)}; }

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    auto y = Digits(text.substr(0, 4));
    auto m = Digits(text.substr(5, 2));
    auto d = Digits(text.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    return Checked(*y, *m, *d);
  }
  if (text.size() == 9) {
    auto d = Digits(text.substr(0, 2));
    auto y = Digits(text.substr(5, 4));
    if (!d || !y) return std::nullopt;
    std::string_view abbreviation = text.substr(2, 3);
    for (std::size_t i = 0; i < kMonthAbbreviations.size(); ++i) {
      if (kMonthAbbreviations[i] == abbreviation) return Checked(*y, static_cast<int>(i) + 1, *d);
    }
  }
  return std::nullopt;
}

std::optional<Period> ParsePeriod(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto y = Digits(text.substr(0, 4));
  auto m = Digits(text.substr(5, 2));
  if (!y || !m || !Checked(*y, *m, 1)) return std::nullopt;
  return Period{*y, *m};
}

std::string FormatUtc(std::int64_t millis, UtcFormat format) {
  // std::chrono's civil calendar: gmtime_r is POSIX only.
  using namespace std::chrono;
  sys_seconds moment{seconds{millis / 1000 - (millis % 1000 < 0 ? 1 : 0)}};
  sys_days day = floor<days>(moment);
  year_month_day date{day};
  hh_mm_ss<seconds> time{moment - day};
  std::tm utc{};
  utc.tm_year = static_cast<int>(date.year()) - 1900;
  utc.tm_mon = static_cast<int>(static_cast<unsigned>(date.month())) - 1;
  utc.tm_mday = static_cast<int>(static_cast<unsigned>(date.day()));
  utc.tm_hour = static_cast<int>(time.hours().count());
  utc.tm_min = static_cast<int>(time.minutes().count());
  utc.tm_sec = static_cast<int>(time.seconds().count());
  char text[32];
  std::size_t n = 0;
  switch (format) {
    case UtcFormat::kIsoSeconds:
      n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
      break;
    case UtcFormat::kIsoDate:
      n = std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
      break;
    case UtcFormat::kStamp:
      n = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
      break;
  }
  return std::string(text, n);
}

}  // namespace tributary
