#include <cstdio>

#include "cli/agent_commands.h"
#include "importer/csv_importer.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

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

  std::string content = files::Read(path);
  std::string sha256 = digest::Sha256Hex(content);
  if (context.store().WasImported(sha256)) {
    std::printf("%s: already imported; nothing to do\n", path.c_str());
    return kExitOk;
  }
  ParsedImport parsed = ParseImport(content, dataset, settings);
  if (!parsed.problems.empty()) {
    for (const ImportProblem& p : parsed.problems) {
      std::fprintf(stderr, "%s:%zu: %s: %s\n", path.c_str(), p.line, p.column.c_str(),
                   p.reason.c_str());
    }
    if (parsed.problems_not_listed > 0) {
      std::fprintf(stderr, "%s: and %zu more problems\n", path.c_str(),
                   parsed.problems_not_listed);
    }
    throw Error::InvalidInput(path + ": not imported: " +
                              std::to_string(parsed.problems.size() + parsed.problems_not_listed) +
                              " problem(s); nothing from this file was stored");
  }
  std::string file_name = std::filesystem::path(path).filename().string();
  ReplaceResult result = context.store().ReplacePeriods(*parsed.dataset, parsed.periods,
                                                        parsed.people, sha256, file_name,
                                                        parsed.rows);
  std::string months;
  for (const auto& p : parsed.periods) months += (months.empty() ? "" : ", ") + p.period;
  std::printf("%s: imported %zu %s rows for %s: %zu new or changed, %zu removed, %zu unchanged\n",
              path.c_str(), parsed.rows, std::string(parsed.dataset->name).c_str(),
              months.c_str(), result.upserts, result.deletes, result.unchanged);
  return kExitOk;
}

}  // namespace tributary::agent
