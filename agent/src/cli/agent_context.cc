#include "cli/agent_context.h"

#include <sys/stat.h>

#include "tributary/common/error.h"

namespace tributary::agent {

AgentContext::AgentContext(const Arguments& args) {
  auto config_path = args.Get("config");
  config_ = AgentConfig::Load(config_path.value_or(kDefaultConfigPath), config_path.has_value());
  if (auto dir = args.Get("data-dir")) config_.data_dir = *dir;
  paths_.dir = config_.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(paths_.dir, ec);
  if (ec) {
    throw Error::Io("cannot create data directory " + paths_.dir.string() + ": " + ec.message());
  }
  // The store holds names and the person-key secret: owner only.
  ::chmod(paths_.dir.c_str(), 0700);
  store_ = std::make_unique<LocalStore>(paths_.Database(), clock_);
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
