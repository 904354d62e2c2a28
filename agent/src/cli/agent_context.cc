#include "cli/agent_context.h"

#include "importer/offline_person_keys.h"
#include "store/store_encryption.h"
#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"
#include "tributary/common/run_as_owner.h"

namespace tributary::agent {

AgentContext::AgentContext(const Arguments& args)
    : config_flag_(args.Get("config")), data_dir_flag_(args.Get("data-dir")) {
  ReloadConfig();
  paths_.dir = config_.data_dir;
  RunAsOwnerOf(paths_.dir);
  std::error_code ec;
  std::filesystem::create_directories(paths_.dir, ec);
  if (ec) {
    throw Error::Io("cannot create data directory " + paths_.dir.string() + ": " + ec.message());
  }
  // The store holds names and person keys: owner only, and encrypted.
  platform::RestrictFolder(paths_.dir);
  std::string key = PrepareEncryptedStore(paths_);
  store_ = std::make_unique<LocalStore>(paths_.Database(), clock_, key);
}

const AgentConfig& AgentContext::ReloadConfig() {
  AgentConfig config =
      AgentConfig::Load(config_flag_ ? std::filesystem::path(*config_flag_) : DefaultConfigPath(),
                        config_flag_.has_value());
  if (data_dir_flag_) config.data_dir = *data_dir_flag_;
  if (store_ && config.data_dir != config_.data_dir) {
    throw Error::Conflict("data_dir cannot change while the agent runs; restart it");
  }
  config_ = std::move(config);
  profiles_.reset();  // read again, from the folder the configuration names
  return config_;
}

std::string AgentContext::RequirePractice() {
  auto practice = store_->GetState("practice");
  if (!practice) {
    throw Error::Conflict(
        "this agent is not enrolled yet: run 'tributary-agent enrol --server URL --token TOKEN "
        "--ca-sha256 HEX' first (the practice code comes from enrolment)");
  }
  return *practice;
}

PersonKeyer& AgentContext::PersonKeys() {
  if (!person_keys_) person_keys_ = std::make_unique<OfflinePersonKeys>(*store_);
  return *person_keys_;
}

}  // namespace tributary::agent

namespace tributary::agent {

const ProfileLibrary& AgentContext::Profiles() {
  if (!profiles_) {
    profiles_ = std::make_unique<ProfileLibrary>(ProfileLibrary::Load(config_.profiles_dir));
  }
  return *profiles_;
}

}  // namespace tributary::agent
