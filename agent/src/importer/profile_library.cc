#include "importer/profile_library.h"

#include <algorithm>
#include <set>

#include "importer/profile_translator.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

namespace tributary::agent {

ProfileLibrary ProfileLibrary::Builtin() {
  ProfileLibrary library;
  for (const BuiltinProfileText& preset : BuiltinProfileTexts()) {
    ImportProfile profile = ParseProfile(preset.text, "built-in " + std::string(preset.file));
    profile.source = "built-in";
    library.Add(std::move(profile), false);
  }
  return library;
}

ProfileLibrary ProfileLibrary::Load(const std::filesystem::path& dir) {
  ProfileLibrary library = Builtin();
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return library;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  if (ec) throw Error::Io("cannot read the profiles folder " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::set<std::string> own;
  for (const auto& file : files) {
    ImportProfile profile = ParseProfile(files::Read(file), file.string());
    if (!own.insert(profile.name).second) {
      throw Error::InvalidInput(file.string() + ": name: another profile in " + dir.string() +
                                " is named " + profile.name);
    }
    library.Add(std::move(profile), true);
  }
  return library;
}

void ProfileLibrary::Add(ImportProfile profile, bool replaces) {
  auto same = std::find_if(profiles_.begin(), profiles_.end(),
                           [&](const ImportProfile& p) { return p.name == profile.name; });
  if (same != profiles_.end()) {
    if (!replaces) throw Error::Internal("two presets are named " + profile.name);
    *same = std::move(profile);
  } else {
    profiles_.push_back(std::move(profile));
  }
  std::sort(profiles_.begin(), profiles_.end(),
            [](const ImportProfile& a, const ImportProfile& b) { return a.name < b.name; });
}

const ImportProfile* ProfileLibrary::Find(std::string_view name) const {
  for (const ImportProfile& p : profiles_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

ProfileLibrary::Choice ProfileLibrary::Choose(const std::vector<std::string>& header,
                                              const DatasetDecl* wanted) const {
  Choice choice;
  std::vector<const ImportProfile*> best;
  std::size_t best_columns = 0;
  const ImportProfile* nearest = nullptr;
  std::vector<std::string> nearest_missing;
  for (const ImportProfile& p : profiles_) {
    if (wanted != nullptr && p.dataset != wanted) continue;
    std::vector<std::string> missing;
    std::vector<std::string> source = p.SourceColumns();
    FindColumns(header, source, missing);
    if (missing.empty()) {
      if (source.size() > best_columns) {
        best.clear();
        best_columns = source.size();
      }
      if (source.size() == best_columns) best.push_back(&p);
    } else if (nearest == nullptr || missing.size() < nearest_missing.size()) {
      nearest = &p;
      nearest_missing = missing;
    }
  }
  if (best.size() == 1) {
    choice.profile = best.front();
    return choice;
  }
  if (best.size() > 1) {
    std::string names;
    for (const ImportProfile* p : best) names += (names.empty() ? "" : ", ") + p->name;
    choice.problem = "the header fits more than one import profile equally (" + names +
                     "): choose one with --profile NAME";
    return choice;
  }
  choice.problem =
      "the columns match no dataset (docs/data.md gives each header) and no import profile "
      "('tributary-agent profile list')";
  if (nearest != nullptr) {
    std::string columns;
    for (const std::string& c : nearest_missing)
      columns += (columns.empty() ? "'" : ", '") + c + "'";
    choice.problem += "; the nearest is " + nearest->name + ", which also needs " + columns;
  }
  return choice;
}

}  // namespace tributary::agent
