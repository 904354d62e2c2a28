#include <cstdio>

#include "cli/agent_commands.h"
#include "importer/file_import.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"

namespace tributary::agent {

int RunImport(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "dataset"});
  std::string path = args.Positional(1);
  if (path.empty() || args.positional().size() > 2) {
    throw Error::InvalidArgument("usage: tributary-agent import FILE [--dataset NAME]");
  }
  const DatasetDecl* dataset = nullptr;
  if (auto name = args.Get("dataset")) {
    dataset = datasets::Find(*name);
    if (dataset == nullptr || dataset == &datasets::Submission()) {
      throw Error::InvalidArgument("--dataset must be workforce, appointments or list_size");
    }
  }
  ImportSettings settings;
  settings.practice = context.RequirePractice();
  settings.person_key_secret = context.store().GetState("person_key_secret").value_or("");

  FileImportResult imported = ImportFile(context.store(), path, dataset, settings);
  if (imported.already_imported) {
    std::printf("%s: already imported; nothing to do\n", path.c_str());
    return kExitOk;
  }
  if (!imported.problems.empty()) {
    for (const std::string& problem : imported.problems) {
      std::fprintf(stderr, "%s\n", problem.c_str());
    }
    throw Error::InvalidInput(path + ": not imported: " + std::to_string(imported.problem_count) +
                              " problem(s); nothing from this file was stored");
  }
  std::string months;
  for (const auto& m : imported.months) months += (months.empty() ? "" : ", ") + m;
  std::printf("%s: imported %zu %s rows for %s: %zu new or changed, %zu removed, %zu unchanged\n",
              path.c_str(), imported.rows, std::string(imported.dataset->name).c_str(),
              months.c_str(), imported.changes.upserts, imported.changes.deletes,
              imported.changes.unchanged);
  return kExitOk;
}

}  // namespace tributary::agent
