// `profile list | show NAME | test FILE [--profile NAME]`: the import
// profiles this agent knows (importer/profile_library.h), and how a file
// would import — which profile reads it, its first records as they map, and
// every column it does not read and every value it cannot map, as FILE:LINE
// with the nearest known code. `test` stores nothing and needs no network.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/agent_commands.h"
#include "importer/csv_importer.h"
#include "store/pending_person_keys.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"
#include "tributary/common/terminal_text.h"

namespace tributary::agent {
namespace {

const char* RowsName(ProfileRows rows) {
  switch (rows) {
    case ProfileRows::kRecords:
      return "records";
    case ProfileRows::kCounts:
      return "counts";
    case ProfileRows::kAppointments:
      return "appointments";
  }
  return "";
}

// Keys for a trial: a placeholder per person, nothing asked or stored.
class TrialPersonKeys final : public PersonKeyer {
 public:
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < identities.size(); ++i) keys.push_back(NewPendingPersonKey());
    return keys;
  }
};

int List(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "json"});
  const ProfileLibrary& library = context.Profiles();
  if (args.Has("json")) {
    boost::json::array out;
    for (const ImportProfile& p : library.All()) {
      boost::json::array columns;
      for (const std::string& c : p.SourceColumns()) columns.push_back(boost::json::value(c));
      out.push_back({{"name", p.name},
                     {"label", p.label},
                     {"dataset", std::string(p.dataset->name)},
                     {"rows", RowsName(p.rows)},
                     {"source", p.source},
                     {"columns", std::move(columns)}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::printf("%-26s %-13s %-13s %s\n", "NAME", "DATASET", "ROWS", "WHAT IT READS");
  for (const ImportProfile& p : library.All()) {
    std::printf("%-26s %-13s %-13s %s%s\n", p.name.c_str(), std::string(p.dataset->name).c_str(),
                RowsName(p.rows), ForTerminal(p.label).c_str(),
                p.source == "built-in" ? "" : (" [" + ForTerminal(p.source) + "]").c_str());
  }
  std::printf(
      "\nFiles in Tributary's own shapes (docs/data.md) need no profile. An ICS adds its own\n"
      "profiles as *.toml in %s.\n",
      context.config().profiles_dir.string().c_str());
  return kExitOk;
}

int Show(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir"});
  std::string name = args.Positional(2);
  if (name.empty()) throw Error::InvalidArgument("usage: tributary-agent profile show NAME");
  const ImportProfile* profile = context.Profiles().Find(name);
  if (profile == nullptr) {
    throw Error::NotFound("there is no import profile named " + name +
                          "; see 'tributary-agent profile list'");
  }
  std::printf("# %s (%s)\n%s", profile->name.c_str(), profile->source.c_str(),
              profile->text.c_str());
  if (!profile->text.empty() && profile->text.back() != '\n') std::printf("\n");
  return kExitOk;
}

std::string Shown(const DatasetDecl& dataset, const FieldMap& record) {
  std::string text;
  for (const FieldDecl& f : dataset.fields) {
    if (f.column.empty()) continue;
    auto it = record.find(f.name);
    if (it == record.end() || it->second.empty()) continue;
    text += (text.empty() ? "" : ", ") + std::string(f.column) + "=" + it->second;
  }
  return text;
}

int Test(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "profile", "practice"});
  std::string path = args.Positional(2);
  if (path.empty() || args.positional().size() > 3) {
    throw Error::InvalidArgument(
        "usage: tributary-agent profile test FILE [--profile NAME] [--practice CODE]");
  }
  std::string practice =
      args.Get("practice").value_or(context.store().GetState("practice").value_or(""));
  if (practice.empty()) {
    throw Error::InvalidArgument(
        "this agent is not enrolled: name the practice the file is for with --practice CODE");
  }
  TrialPersonKeys keys;
  ImportSettings settings;
  settings.practice = practice;
  settings.person_keys = &keys;
  settings.profiles = &context.Profiles();
  settings.profile = args.Get("profile").value_or("");
  std::string content =
      files::ReadRegularFile(path, static_cast<std::uint64_t>(context.config().max_file_mb) << 20);
  ParsedImport parsed = ParseImport(content, nullptr, settings);
  if (parsed.dataset != nullptr) {
    if (parsed.profile.empty()) {
      std::printf("%s: Tributary's own %s shape (no profile needed)\n", path.c_str(),
                  std::string(parsed.dataset->name).c_str());
    } else {
      const ImportProfile* p = settings.profiles->Find(parsed.profile);
      std::printf("%s: read by profile %s (%s): %s, rows = %s\n", path.c_str(), p->name.c_str(),
                  ForTerminal(p->label).c_str(), std::string(p->dataset->name).c_str(),
                  RowsName(p->rows));
    }
  }
  for (const std::string& column : parsed.unread_columns) {
    std::printf("%s:1: %s: not read (the profile does not map it; nothing of it is kept)\n",
                path.c_str(), ForTerminal(column).c_str());
  }
  std::size_t shown = 0;
  for (const PeriodReplacement& period : parsed.periods) {
    for (const FieldMap& record : period.records) {
      if (shown == 0) std::printf("first records as they map:\n");
      if (shown++ == 5) break;
      std::printf("  %s\n", ForTerminal(Shown(*parsed.dataset, record)).c_str());
    }
    if (shown > 5) break;
  }
  for (const FileProblem& problem : parsed.problems) {
    std::printf("%s\n", ForTerminal(problem.Describe(path)).c_str());
  }
  if (parsed.problems_not_listed > 0) {
    std::printf("%s: and %zu more problems\n", path.c_str(), parsed.problems_not_listed);
  }
  std::size_t problems = parsed.problems.size() + parsed.problems_not_listed;
  if (problems > 0) {
    std::printf("would not import: %zu problem(s)\n", problems);
    return kExitInvalidInput;
  }
  std::printf("would import: %zu rows into %zu records", parsed.rows, parsed.records);
  if (parsed.rows_passed_over > 0) std::printf(" (%zu rows passed over)", parsed.rows_passed_over);
  if (!parsed.first_date.empty()) {
    std::printf(", replacing %s to %s", parsed.first_date.c_str(), parsed.last_date.c_str());
  }
  std::printf("\n");
  return kExitOk;
}

}  // namespace

int RunProfile(const Arguments& args, AgentContext& context) {
  std::string action = args.Positional(1);
  if (action == "list") return List(args, context);
  if (action == "show") return Show(args, context);
  if (action == "test") return Test(args, context);
  throw Error::InvalidArgument(
      "usage: tributary-agent profile list | show NAME | test FILE [--profile NAME]");
}

}  // namespace tributary::agent
