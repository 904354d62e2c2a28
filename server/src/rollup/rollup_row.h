// One figure of a rollup, in the long ("tidy") form analysts' R and pandas
// code takes directly: one row per figure, dimension columns empty for a total.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tributary::server {

struct RollupRow {
  std::string level;  // practice, pcn, place, ics
  std::string code;
  std::string period;   // YYYY-MM
  std::string dataset;  // workforce, appointments, coverage
  std::string measure;  // headcount, fte, arrs_headcount, ...
  std::string staff_group;
  std::string staff_role;
  std::string hcp_type;
  std::string appt_mode;
  std::string appt_status;
  std::string booking_interval;
  double value = 0;
  std::int64_t practices_covered = 0;
  bool operator==(const RollupRow&) const = default;
};

// The column names, in output order.
const std::vector<std::string>& RollupColumns();

std::string RollupsCsv(const std::vector<RollupRow>& rows);
// A field as CSV writes it (RFC 4180): quoted, quotes doubled, when it holds
// a comma, a quote or a line break.
std::string CsvField(const std::string& value);
std::string RollupsJson(const std::vector<RollupRow>& rows);  // {"rows": [...]}
// A value as written in CSV and JSON: integers without a fraction, other
// figures rounded to six decimal places.
double RoundedValue(double value);
// The text of a figure in CSV and JSON: "57", "0.4375", "1388.274" (RoundedValue,
// as a plain decimal, never an exponent).
std::string FormatValue(double value);

}  // namespace tributary::server
