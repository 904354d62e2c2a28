// Reads an export through its import profile (importer/import_profile.h) and
// writes what it holds as rows of the dataset's own CSV shape, so that the
// one importer checks, keys and stores them as it does Tributary's own files.
// Dates become ISO, the export's words become NHS codes, defaults fill the
// columns the export lacks; for an appointments profile, rows alike add up
// (`counts`) or each row is one appointment, counted into the daily crosstab
// with its booking interval worked out from the booked date (`appointments`).
// Columns the profile does not map (patients' names and numbers, free text)
// are never copied anywhere.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "importer/import_profile.h"
#include "importer/problem_list.h"
#include "tributary/common/csv_reader.h"

namespace tributary::agent {

struct TranslatedRows {
  std::vector<CsvRecord> rows;  // the dataset's Columns() in order; each on its first source line
  std::size_t source_rows = 0;  // data rows read from the export
  std::size_t skipped_rows =
      0;  // left out by the profile (skip_values, keep_rows_where, other practices)
  std::vector<std::string> unread_columns;  // header columns the profile does not read
  // The first and last dates the export speaks of (ISO), its rows passed over
  // by skip_values included: a day whose every appointment was cancelled is
  // still a day the export covers. "" when the dataset is not counted by day.
  std::string covered_first, covered_last;
};

// `header` is the export's; `next` gives its data rows in order (false at the
// end). Problems are added as the export's LINE and column. `progress`, if
// set, hears every 10,000 rows.
TranslatedRows TranslateRows(const ImportProfile& profile, const std::vector<std::string>& header,
                             const std::function<bool(CsvRecord&)>& next,
                             const std::string& practice, ProblemList& problems,
                             const std::function<void(std::size_t rows)>& progress = nullptr);

// The header's column index of each of the profile's source columns; the
// columns it lacks, in the profile's order, in `missing`.
std::vector<std::size_t> FindColumns(const std::vector<std::string>& header,
                                     const std::vector<std::string>& wanted,
                                     std::vector<std::string>& missing);

}  // namespace tributary::agent
