// One function per agent command. Each returns the process exit status and
// throws tributary::Error for the CLI boundary to report.
#pragma once

#include "cli/agent_context.h"
#include "platform/service_host.h"
#include "tributary/common/arguments.h"

namespace tributary::agent {

int RunEnrol(const Arguments& args, AgentContext& context);
int RunImport(const Arguments& args, AgentContext& context);
int RunSync(const Arguments& args, AgentContext& context);
int RunStatus(const Arguments& args, AgentContext& context);
int RunReceipts(const Arguments& args, AgentContext& context);
int RunStaff(const Arguments& args, AgentContext& context);
int RunSubmit(const Arguments& args, AgentContext& context);
int RunProfile(const Arguments& args, AgentContext& context);
// `run`: hosted by HostDaemon (platform/service_host.h), which opens nothing
// itself; the context is made inside it.
int RunDaemon(const Arguments& args, AgentContext& context, DaemonHost& host);

}  // namespace tributary::agent
