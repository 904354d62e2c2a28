// The import profiles an agent knows: the presets built in (agent/profiles/:
// the common EMIS Web, SystmOne and Vision report layouts and NHS England's
// published shapes) and the ICS's own, *.toml in the profiles folder beside
// agent.toml (AgentConfig::profiles_dir); one of the ICS's with a preset's
// name replaces the preset. docs/data.md "Import profiles".
//
// Immutable once loaded; safe to share between threads.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "importer/import_profile.h"

namespace tributary::agent {

class ProfileLibrary {
 public:
  // The presets, then every *.toml file in `dir` (a missing folder is none).
  // A profile that cannot be read is Error(kInvalidInput) naming its file
  // and line: a broken profile is fixed, never silently passed over. Two of
  // the folder's with one name are refused the same way.
  static ProfileLibrary Load(const std::filesystem::path& dir);
  // The presets alone.
  static ProfileLibrary Builtin();

  // By name.
  const std::vector<ImportProfile>& All() const { return profiles_; }
  const ImportProfile* Find(std::string_view name) const;

  // Which profile reads a file with this header: of those whose every
  // source column the header holds (of dataset `wanted` unless nullptr),
  // the one that reads the most columns. `problem` says why there is none:
  // no profile fits (naming the nearest and the columns it misses), or two
  // fit equally (naming them, for --profile).
  struct Choice {
    const ImportProfile* profile = nullptr;
    std::string problem;
  };
  Choice Choose(const std::vector<std::string>& header, const DatasetDecl* wanted) const;

 private:
  void Add(ImportProfile profile, bool replaces);
  std::vector<ImportProfile> profiles_;
};

// The preset profiles' TOML, by file name (generated from agent/profiles/).
struct BuiltinProfileText {
  std::string_view file;
  std::string_view text;
};
const std::vector<BuiltinProfileText>& BuiltinProfileTexts();

}  // namespace tributary::agent
