#include "cli/agent_context.h"

#include <sys/stat.h>

#include "tributary/common/error.h"
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
  // The store holds names and the person-key secret: owner only.
  ::chmod(paths_.dir.c_str(), 0700);
  store_ = std::make_unique<LocalStore>(paths_.Database(), clock_);
}

const AgentConfig& AgentContext::ReloadConfig() {
  AgentConfig config =
      AgentConfig::Load(config_flag_.value_or(kDefaultConfigPath), config_flag_.has_value());
  if (data_dir_flag_) config.data_dir = *data_dir_flag_;
  if (store_ && config.data_dir != config_.data_dir) {
    throw Error::Conflict("data_dir cannot change while the agent runs; restart it");
  }
  config_ = std::move(config);
  return config_;
}

std::string AgentContext::RequirePractice() {
  auto practice = store_->GetState("practice");
  if (!practice) {
    throw Error::Conflict(
        "this agent is not enrolled yet: run 'tributary-agent enrol --server URL --token TOKEN "
        "--ca-sha256 HEX' first (the practice code and the ICS's person-key secret come from "
        "enrolment)");
  }
  return *practice;
}

}  // namespace tributary::agent
