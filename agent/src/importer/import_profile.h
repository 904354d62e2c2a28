// An import profile: how to read one clinical system's (or NHS England's)
// export as one of Tributary's datasets (docs/data.md "Import profiles").
// A profile is data, TOML, so an ICS writes its own without a new agent:
//
//   name = "emis-web-appointments"          # lower case, digits and dashes
//   label = "EMIS Web: appointments report, one row per appointment"
//   dataset = "appointments"                # workforce, appointments, list_size
//   rows = "appointments"                   # see ProfileRows
//   date_formats = ["dd/mm/yyyy"]           # importer/date_format.h; default iso, ddMMMyyyy
//   other_practices = "skip"                # rows naming another practice: "refuse" (default)
//   [columns]                               # Tributary's column = the export's column
//   APPOINTMENT_DATE = "Appointment Date"
//   [defaults]                              # a value for a column the export lacks
//   HCP_TYPE = "Unknown"                    # "{practice}": the enrolled practice
//   [values.APPT_STATUS]                    # the export's word = the NHS code
//   "Did Not Attend" = "DNA"
//   [skip_values]                           # rows with these values are not counted
//   APPT_STATUS = ["Cancelled by Patient"]
//   [keep_rows_where]                       # only rows whose column holds this value
//   SEX = "ALL"
//
// The file fits a profile when its header holds every column the profile
// maps (folded: importer/nearest_code.h); other columns are not read.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tributary/common/dataset.h"

namespace tributary::agent {

enum class ProfileRows {
  kRecords,       // one row per record of the dataset (workforce, list_size, appointments)
  kCounts,        // appointments: one row per day and codes with a count; rows alike add up
  kAppointments,  // one row per appointment, counted on site into the daily crosstab; no
                  // patient-level value is kept past the import
};

// Tributary columns a profile may map beyond the dataset's own: for
// rows = "appointments", when each appointment was booked.
inline constexpr std::string_view kBookedDateColumn = "BOOKED_DATE";

struct ImportProfile {
  std::string name;
  std::string label;
  std::string source;  // "built-in", or the file it was read from
  std::string text;    // the TOML as written, for `profile show`
  const DatasetDecl* dataset = nullptr;
  ProfileRows rows = ProfileRows::kRecords;
  bool skip_other_practices = false;
  std::vector<std::string> date_formats;
  // Tributary column -> the export's column, in the order written.
  std::vector<std::pair<std::string, std::string>> columns;
  std::map<std::string, std::string> defaults;  // Tributary column -> value
  // Tributary column -> folded export value -> code.
  std::map<std::string, std::map<std::string, std::string>> values;
  std::map<std::string, std::vector<std::string>> skip_values;       // folded
  std::vector<std::pair<std::string, std::string>> keep_rows_where;  // export column, value

  // The export's columns the profile reads (its header must hold them).
  std::vector<std::string> SourceColumns() const;
  // The export's column for a Tributary column; "" when the profile maps none.
  std::string ColumnFor(std::string_view tributary_column) const;
};

// Reads and checks a profile. `source` names it in errors, which are
// Error(kInvalidInput) as "SOURCE:LINE: KEY: reason".
ImportProfile ParseProfile(std::string_view toml_text, const std::string& source);

}  // namespace tributary::agent
