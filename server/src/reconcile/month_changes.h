// What follows, in the same transaction, from a change to a practice-month's
// records: its rollup totals go stale (rollup/totals_store.h) and the month's
// cross-practice findings are to be published again
// (validation/published_findings.h). And whether a month is closed for a practice.
#pragma once

#include <functional>
#include <string>

#include "database/connection.h"

namespace tributary::server {

void MarkMonthChanged(db::Connection& db, const std::string& practice, const std::string& period);

// Whether the practice's ICS has closed the month (periods/period_book.h).
using MonthClosed = std::function<bool(const std::string& practice, const std::string& period)>;

}  // namespace tributary::server
