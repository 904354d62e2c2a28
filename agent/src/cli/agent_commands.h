// One function per agent command. Each returns the process exit status and
// throws tributary::Error for the CLI boundary to report.
#pragma once

#include "cli/agent_context.h"
#include "tributary/common/arguments.h"

namespace tributary::agent {

int RunEnrol(const Arguments& args, AgentContext& context);
int RunImport(const Arguments& args, AgentContext& context);
int RunSync(const Arguments& args, AgentContext& context);
int RunStatus(const Arguments& args, AgentContext& context);
int RunReceipts(const Arguments& args, AgentContext& context);
int RunStaff(const Arguments& args, AgentContext& context);
int RunSubmit(const Arguments& args, AgentContext& context);
int RunDaemon(const Arguments& args, AgentContext& context);

}  // namespace tributary::agent
