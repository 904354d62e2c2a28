// Turns one CSV file into validated records, ready for LocalStore::
// ReplacePeriods: a file in a shape of docs/data.md as it is, any other
// through the import profile its header fits (importer/profile_library.h).
// It stores nothing: a file with any problem is refused whole, with every
// problem listed as the file's own LINE and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/person_keyer.h"
#include "importer/profile_library.h"
#include "store/local_store.h"
#include "tributary/common/dataset.h"
#include "tributary/common/file_problem.h"

namespace tributary::agent {

// One problem, printed as FILE:LINE: COLUMN: reason.
using ImportProblem = FileProblem;

struct ParsedImport {
  const DatasetDecl* dataset = nullptr;
  std::string profile;  // the import profile that read it; "" for the dataset's own shape
  // One row per appointment, counted on site: the file holds patient-level
  // rows and is not to be kept (the drop folder removes it once imported).
  bool patient_level = false;
  // One per month present in the file; for a dataset counted by day, each
  // replaces only the file's first to last date (first_date, last_date).
  std::vector<PeriodReplacement> periods;
  std::vector<Person> people;               // workforce only
  std::size_t rows = 0;                     // the file's data rows
  std::size_t records = 0;                  // the records they make (fewer when rows add up)
  std::size_t rows_passed_over = 0;         // left out by the profile (cancelled, other practices)
  std::vector<std::string> unread_columns;  // the file's columns its profile does not read
  std::string first_date, last_date;    // the dates the file covers, for a dataset counted by day
  std::vector<ImportProblem> problems;  // empty when the file can be stored
  std::size_t problems_not_listed = 0;  // beyond the listing limit
};

struct ImportSettings {
  std::string practice;  // the practice this agent is enrolled for
  // Makes the workforce's person keys (a CachedPersonKeys over the server);
  // needed for workforce files only, asked once per file.
  PersonKeyer* person_keys = nullptr;
  std::size_t max_problems = 100;       // list at most this many; count the rest
  std::uint64_t disk_budget_bytes = 0;  // the store's limit (0: none); see file_import.h
  std::uint64_t max_file_bytes = std::uint64_t{512} << 20;  // a larger file is refused
  // Told how far the import has got ("412,000 rows read", "writing ..."),
  // now and then, for a person waiting at a terminal; may be empty.
  std::function<void(const std::string& stage)> progress = nullptr;
  // The import profiles a file not in Tributary's own shapes may fit; nullptr:
  // only Tributary's shapes. `profile` names the one to use, whatever the header.
  const ProfileLibrary* profiles = nullptr;
  std::string profile = {};
};

// Whether the file's header makes it one row per appointment (a profile with
// rows = "appointments"): patient-level, not to be kept once imported.
bool IsPatientLevel(std::string_view content, const ImportSettings& settings);

// `dataset` nullptr: detect the dataset from the header.
ParsedImport ParseImport(std::string_view content, const DatasetDecl* dataset,
                         const ImportSettings& settings);

}  // namespace tributary::agent
