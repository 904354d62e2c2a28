#include "importer/file_import.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::agent {

FileImportResult ImportFile(LocalStore& store, const std::filesystem::path& path,
                            const DatasetDecl* dataset, const ImportSettings& settings,
                            FileOrigin origin, const std::string& shown_as) {
  const std::string name = shown_as.empty() ? path.string() : shown_as;
  FileImportResult result;
  std::string content;
  // A person's own file is followed through a link; it is still a file.
  std::filesystem::path read_from = path;
  if (origin == FileOrigin::kNamedByPerson) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::canonical(path, ec);
    if (!ec) read_from = target;
  }
  try {
    content = files::ReadRegularFile(read_from, settings.max_file_bytes);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    std::string why = e.what();
    const std::string said_of = read_from.string() + ": ";
    if (why.rfind(said_of, 0) == 0) why.erase(0, said_of.size());
    result.problems.push_back(name + ": " + why);
    result.problem_count = 1;
    return result;
  }
  std::string sha256 = digest::Sha256Hex(content);
  result.sha256 = sha256;
  if (store.WasImported(sha256)) {
    result.already_imported = true;
    result.patient_level = IsPatientLevel(content, settings);
    return result;
  }
  ParsedImport parsed = ParseImport(content, dataset, settings);
  // A patient-level export is not kept in memory longer than it is read.
  std::string().swap(content);
  result.dataset = parsed.dataset;
  result.profile = parsed.profile;
  result.patient_level = parsed.patient_level;
  result.rows = parsed.rows;
  result.records = parsed.records;
  result.rows_passed_over = parsed.rows_passed_over;
  result.first_date = parsed.first_date;
  result.last_date = parsed.last_date;
  if (!parsed.problems.empty()) {
    result.problem_count = parsed.problems.size() + parsed.problems_not_listed;
    for (const ImportProblem& p : parsed.problems) {
      result.problems.push_back(p.Describe(name));
    }
    if (parsed.problems_not_listed > 0) {
      result.problems.push_back(name + ": and " + std::to_string(parsed.problems_not_listed) +
                                " more problems");
    }
    return result;
  }
  if (settings.disk_budget_bytes > 0 && store.UsedBytes() >= settings.disk_budget_bytes) {
    throw Error::Unavailable(
        "the local store has reached its disk budget (" + std::to_string(store.UsedBytes() >> 20) +
        " MiB of " + std::to_string(settings.disk_budget_bytes >> 20) +
        " MiB): imports are "
        "paused until the server has taken the pending changes; nothing from " +
        name + " was stored");
  }
  for (const auto& p : parsed.periods) result.months.push_back(p.period);
  if (settings.progress) settings.progress("writing " + std::to_string(parsed.rows) + " rows");
  result.changes = store.ReplacePeriods(*parsed.dataset, parsed.periods, parsed.people, sha256,
                                        path.filename().string(), parsed.rows);
  return result;
}

}  // namespace tributary::agent
