#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/agent_commands.h"
#include "sync/sync_session.h"
#include "tributary/common/cli_errors.h"

namespace tributary::agent {

int RunSync(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "server", "proxy", "json"});
  context.RequirePractice();
  SyncTarget target = SyncTargetFor(context.store(), context.config());
  if (auto server = args.Get("server")) {
    target.server_url = *server;
    while (!target.server_url.empty() && target.server_url.back() == '/') {
      target.server_url.pop_back();
    }
  }
  if (auto proxy = args.Get("proxy")) target.proxy = *proxy;
  SyncResult result = SyncOnce(context.store(), context.paths(), target, context.clock());
  const PushSummary& summary = result.pushed;
  if (args.Has("json")) {
    std::cout << boost::json::serialize(
                     boost::json::object{{"changes_sent", summary.changes_sent},
                                         {"batches", summary.batches},
                                         {"acknowledged_seq", summary.acknowledged_seq},
                                         {"invalid", summary.invalid},
                                         {"conflicts", summary.conflicts},
                                         {"notices", result.notices},
                                         {"certificate_renewed", result.renewed},
                                         {"heartbeat_sent", result.heartbeat_sent},
                                         {"requests", result.traffic.requests},
                                         {"bytes_sent", result.traffic.bytes_sent},
                                         {"bytes_received", result.traffic.bytes_received}})
              << "\n";
    return kExitOk;
  }
  std::printf("synced: %llu changes in %llu batches; server has everything up to seq %llu",
              static_cast<unsigned long long>(summary.changes_sent),
              static_cast<unsigned long long>(summary.batches),
              static_cast<unsigned long long>(summary.acknowledged_seq));
  if (summary.invalid + summary.conflicts > 0) {
    std::printf(" (%llu invalid, %llu conflicts: see 'tributary-agent status')",
                static_cast<unsigned long long>(summary.invalid),
                static_cast<unsigned long long>(summary.conflicts));
  }
  if (result.notices > 0) {
    std::printf("; %zu notice(s) from the server: see 'tributary-agent status'", result.notices);
  }
  std::printf("; %llu request(s), %llu bytes sent, %llu received\n",
              static_cast<unsigned long long>(result.traffic.requests),
              static_cast<unsigned long long>(result.traffic.bytes_sent),
              static_cast<unsigned long long>(result.traffic.bytes_received));
  return kExitOk;
}

}  // namespace tributary::agent
