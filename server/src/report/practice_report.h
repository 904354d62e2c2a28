// What the server holds per practice, as the `practices` command prints it:
// a table for people, JSON for scripts.
#pragma once

#include <string>
#include <vector>

#include "reconcile/record_readings.h"

namespace tributary::server {

// [{"practice": "A81001", "last_sync": ..., "datasets": {"appointments": {"2026-08":
// {"records": N, "appointments": N}}, "workforce": {"2026-08": {"records": N}}}}]
std::string PracticesJson(const std::vector<PracticeSummary>& practices);

// One line per practice with its totals over all months, and a total line.
std::string PracticesTable(const std::vector<PracticeSummary>& practices);

}  // namespace tributary::server
