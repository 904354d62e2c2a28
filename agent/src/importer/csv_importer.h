// Turns one CSV file in a shape of docs/data.md into validated records, ready for
// LocalStore::ReplacePeriods. It stores nothing: a file with any problem is
// refused whole, with every problem listed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "importer/person_keyer.h"
#include "store/local_store.h"
#include "tributary/common/dataset.h"
#include "tributary/common/file_problem.h"

namespace tributary::agent {

// One problem, printed as FILE:LINE: COLUMN: reason.
using ImportProblem = FileProblem;

struct ParsedImport {
  const DatasetDecl* dataset = nullptr;
  std::vector<PeriodReplacement> periods;  // one per month present in the file
  std::vector<Person> people;              // workforce only
  std::size_t rows = 0;
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
};

// `dataset` nullptr: detect the dataset from the header.
ParsedImport ParseImport(std::string_view content, const DatasetDecl* dataset,
                         const ImportSettings& settings);

}  // namespace tributary::agent
