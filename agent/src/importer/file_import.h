// Imports one CSV file into the local store, whole or not at all: the one
// path used by `tributary-agent import` and by the drop folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "importer/csv_importer.h"
#include "store/local_store.h"

namespace tributary::agent {

struct FileImportResult {
  bool already_imported = false;  // the same content was imported before: nothing done
  const DatasetDecl* dataset = nullptr;
  std::string profile;         // the import profile that read it; "" for Tributary's own shape
  bool patient_level = false;  // one row per appointment: not to be kept once imported
  std::size_t rows = 0;
  std::size_t records = 0;
  std::size_t rows_passed_over = 0;
  std::vector<std::string> months;
  // For a dataset counted by day: the dates replaced (the file's first to
  // last), the rest of their months untouched. "" for a whole-month dataset.
  std::string first_date, last_date;
  std::string sha256;  // of the file's content
  ReplaceResult changes;
  // Every problem as "FILE:LINE: COLUMN: reason"; when not empty, nothing
  // from the file was stored.
  std::vector<std::string> problems;
  std::size_t problem_count = 0;  // including any beyond the listing limit
};

// Who put the file where it is read from.
enum class FileOrigin {
  kNamedByPerson,  // `import FILE`: named at a terminal; a symbolic link is followed
  kDropFolder,     // anyone who can write to the folder: a regular file only, never a link
};

// `dataset` nullptr: detected from the header. Problems name the file as
// `shown_as` (default: the path). A file over settings.max_file_bytes, or
// from the drop folder a link or anything but a regular file, is refused as
// the file's problem (files::ReadRegularFile). Throws Error for what is not
// the file's fault: it cannot be read, the store fails, or the store has
// reached its disk budget (kUnavailable: imports pause until the server has
// taken the pending changes; nothing already stored is touched).
FileImportResult ImportFile(LocalStore& store, const std::filesystem::path& path,
                            const DatasetDecl* dataset, const ImportSettings& settings,
                            FileOrigin origin, const std::string& shown_as = {});

}  // namespace tributary::agent
