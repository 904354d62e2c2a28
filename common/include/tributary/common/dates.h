// Calendar dates and reporting periods (months).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tributary {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  std::string ToString() const;     // ISO 8601, "2026-08-03"
  std::string ToNhsString() const;  // as NHS England's files write it, "03AUG2026"
  auto operator<=>(const Date&) const = default;
};

// A reporting month.
struct Period {
  int year = 0;
  int month = 0;

  std::string ToString() const;  // "2026-08"
  Date FirstDay() const { return {year, month, 1}; }
  Date LastDay() const;
  bool Contains(const Date& d) const { return d.year == year && d.month == month; }
  auto operator<=>(const Period&) const = default;
};

int DaysInMonth(int year, int month);

// ISO "2026-08-03" or the NHS style "03AUG2026"; nullopt if neither or not a
// real calendar date.
std::optional<Date> ParseDate(std::string_view text);

// "2026-08"; nullopt otherwise.
std::optional<Period> ParsePeriod(std::string_view text);

enum class UtcFormat {
  kIsoSeconds,  // "2026-11-25T16:00:00Z"
  kIsoDate,     // "2026-11-25"
  kStamp,       // "20261125T160000Z", for file names
};

// `millis` since the epoch as UTC.
std::string FormatUtc(std::int64_t millis, UtcFormat format = UtcFormat::kIsoSeconds);

}  // namespace tributary
