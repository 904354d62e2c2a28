// What every agent command starts from: the configuration, the data directory
// and the local store, opened once.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/agent_config.h"
#include "importer/person_keyer.h"
#include "importer/profile_library.h"
#include "store/local_store.h"
#include "tributary/common/arguments.h"
#include "tributary/common/hlc.h"

namespace tributary::agent {

class AgentContext {
 public:
  // Reads --config (default DefaultConfigPath()) and --data-dir, creates
  // the data directory (mode 0700) and opens the store.
  explicit AgentContext(const Arguments& args);

  const AgentConfig& config() const { return config_; }
  const AgentPaths& paths() const { return paths_; }
  LocalStore& store() { return *store_; }
  const Clock& clock() const { return clock_; }

  // Reads the configuration file again (SIGHUP); --data-dir still wins.
  // Throws Error as the constructor does, leaving config() as it was.
  const AgentConfig& ReloadConfig();

  // The enrolled practice; throws Error(kConflict) telling how to enrol if none.
  std::string RequirePractice();

  // Person keys for this practice's imports and manual entry, without the
  // network (importer/offline_person_keys.h): those made before, else a
  // placeholder the next sync replaces. Made on first use.
  PersonKeyer& PersonKeys();

  // The import profiles: the presets and the ICS's own in config().
  // profiles_dir (importer/profile_library.h). Read on first use; throws
  // Error(kInvalidInput) naming a profile that cannot be read.
  const ProfileLibrary& Profiles();

 private:
  std::optional<std::string> config_flag_;
  std::optional<std::string> data_dir_flag_;
  AgentConfig config_;
  AgentPaths paths_;
  SystemClock clock_;
  std::unique_ptr<LocalStore> store_;
  std::unique_ptr<PersonKeyer> person_keys_;
  std::unique_ptr<ProfileLibrary> profiles_;
};

}  // namespace tributary::agent
