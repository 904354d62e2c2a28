#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/agent_commands.h"
#include "importer/file_import.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/terminal_progress.h"

namespace tributary::agent {

int RunImport(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "dataset", "profile", "json"});
  std::string path = args.Positional(1);
  if (path.empty() || args.positional().size() > 2) {
    throw Error::InvalidArgument(
        "usage: tributary-agent import FILE [--dataset NAME] [--profile NAME] [--json]");
  }
  bool json = args.Has("json");
  const DatasetDecl* dataset = nullptr;
  if (auto name = args.Get("dataset")) {
    dataset = datasets::Find(*name);
    if (dataset == nullptr || dataset == &datasets::Submission()) {
      throw Error::InvalidArgument("--dataset must be workforce, appointments or list_size");
    }
  }
  ImportSettings settings;
  settings.practice = context.RequirePractice();
  settings.person_keys = &context.PersonKeys();
  settings.profiles = &context.Profiles();
  settings.profile = args.Get("profile").value_or("");
  settings.disk_budget_bytes = static_cast<std::uint64_t>(context.config().disk_budget_mb) << 20;
  settings.max_file_bytes = static_cast<std::uint64_t>(context.config().max_file_mb) << 20;

  FileImportResult imported;
  {
    TerminalProgress progress(!json);
    settings.progress = [&](const std::string& stage) { progress.Show(path + ": " + stage); };
    imported = ImportFile(context.store(), path, dataset, settings, FileOrigin::kNamedByPerson);
  }
  if (json) {
    boost::json::object o{{"file", path}, {"already_imported", imported.already_imported}};
    if (imported.dataset != nullptr) o["dataset"] = std::string(imported.dataset->name);
    o["profile"] = imported.profile.empty() ? boost::json::value(nullptr)
                                            : boost::json::value(imported.profile);
    o["patient_level"] = imported.patient_level;
    o["records"] = imported.records;
    o["rows_passed_over"] = imported.rows_passed_over;
    if (!imported.first_date.empty()) {
      o["replaced_dates"] = {{"from", imported.first_date}, {"to", imported.last_date}};
    }
    o["held_for_person_keys"] = imported.changes.held;
    boost::json::array months, problems;
    for (const auto& m : imported.months) months.push_back(boost::json::value(m));
    for (const auto& p : imported.problems) problems.push_back(boost::json::value(p));
    o["months"] = std::move(months);
    o["rows"] = imported.rows;
    o["upserts"] = imported.changes.upserts;
    o["deletes"] = imported.changes.deletes;
    o["unchanged"] = imported.changes.unchanged;
    o["problems"] = std::move(problems);
    o["problem_count"] = imported.problem_count;
    std::cout << boost::json::serialize(o) << "\n";
  }
  if (imported.already_imported) {
    if (!json) std::printf("%s: already imported; nothing to do\n", path.c_str());
    return kExitOk;
  }
  if (!imported.problems.empty()) {
    if (!json) {
      for (const std::string& problem : imported.problems) {
        std::fprintf(stderr, "%s\n", problem.c_str());
      }
    }
    throw Error::InvalidInput(path + ": not imported: " + std::to_string(imported.problem_count) +
                              " problem(s); nothing from this file was stored");
  }
  if (json) return kExitOk;
  std::string months;
  for (const auto& m : imported.months) months += (months.empty() ? "" : ", ") + m;
  std::string read_as =
      imported.profile.empty() ? std::string(imported.dataset->name) : imported.profile;
  if (imported.patient_level) {
    std::printf("%s: counted %zu appointments (%s) into %zu daily rows for %s", path.c_str(),
                imported.rows - imported.rows_passed_over, read_as.c_str(), imported.records,
                months.c_str());
  } else {
    std::printf("%s: imported %zu %s rows for %s", path.c_str(), imported.rows, read_as.c_str(),
                months.c_str());
  }
  std::printf(": %zu new or changed, %zu removed, %zu unchanged\n", imported.changes.upserts,
              imported.changes.deletes, imported.changes.unchanged);
  if (imported.rows_passed_over > 0) {
    std::printf("  %zu rows passed over as the profile says (cancelled, or another practice's)\n",
                imported.rows_passed_over);
  }
  if (!imported.first_date.empty()) {
    std::printf("  replaced %s to %s; other dates of %s kept as they were\n",
                imported.first_date.c_str(), imported.last_date.c_str(), months.c_str());
  }
  if (imported.changes.held > 0) {
    std::printf(
        "  %zu records of people new to this practice wait for their person keys: the next "
        "sync makes them and sends the records\n",
        imported.changes.held);
  }
  return kExitOk;
}

}  // namespace tributary::agent
