// Dates as clinical systems' reports write them, read by a pattern an import
// profile names: "dd/mm/yyyy" (01/10/2026), "d/m/yyyy" (1/10/2026),
// "d-MMM-yy" (1-Oct-26), "dd MMMM yyyy" (01 October 2026), "ddMMMyyyy"
// (01OCT2026), "yyyy-mm-dd" (ISO; "iso" names it too). Tokens: yyyy, yy
// (20yy), mm and dd (two digits), m and d (one or two), MMM (a month's first
// three letters), MMMM (its whole name; month names in any case); any other
// character stands for itself. A time after the date ("01/10/2026 09:30",
// "2026-10-01T09:30:00") is allowed and left out: the datasets count days.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tributary/common/dates.h"

namespace tributary::agent {

// Whether `pattern` is one this reader knows; "" when it is, else why not.
std::string CheckDatePattern(std::string_view pattern);

// The date `text` holds in `pattern`; nullopt when it does not fit or is not
// a real calendar date. Surrounding spaces are ignored.
std::optional<Date> ParseDateAs(std::string_view pattern, std::string_view text);

}  // namespace tributary::agent
