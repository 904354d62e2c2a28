// One practice's month as the files a practice exports (docs/data.md shapes):
// workforce, appointments (GPAD) and registered list size.
#pragma once

#include <cstdint>
#include <string>

#include "nation.h"

namespace tributary::sim {

struct MonthShape {
  int appointment_rows = 2000;  // distinct GPAD rows per practice per month
};

std::string WorkforceCsv(const Practice& practice, const std::string& period);
// Deterministic from (seed, practice, period).
std::string AppointmentsCsv(const Practice& practice, const std::string& period,
                            const MonthShape& shape, std::uint64_t seed);
std::string ListSizeCsv(const Practice& practice, const std::string& period);

}  // namespace tributary::sim
