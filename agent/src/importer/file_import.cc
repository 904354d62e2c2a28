#include "importer/file_import.h"

#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::agent {

FileImportResult ImportFile(LocalStore& store, const std::filesystem::path& path,
                            const DatasetDecl* dataset, const ImportSettings& settings,
                            const std::string& shown_as) {
  const std::string name = shown_as.empty() ? path.string() : shown_as;
  FileImportResult result;
  std::string content = files::Read(path);
  std::string sha256 = digest::Sha256Hex(content);
  if (store.WasImported(sha256)) {
    result.already_imported = true;
    return result;
  }
  ParsedImport parsed = ParseImport(content, dataset, settings);
  result.dataset = parsed.dataset;
  result.rows = parsed.rows;
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
