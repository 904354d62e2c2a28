#include <algorithm>
#include <cstdio>

#include "cli/agent_commands.h"
#include "sync/pull_client.h"
#include "sync/push_client.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/files.h"

namespace tributary::agent {

int RunSync(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "server", "proxy"});
  context.RequirePractice();
  LocalStore& store = context.store();
  std::string server = args.Get("server").value_or(
      store.GetState("server_url").value_or(context.config().server_url));
  while (!server.empty() && server.back() == '/') server.pop_back();
  HttpsClientOptions options;
  options.ca_certificate_pem = files::Read(context.paths().CaCertificate());
  options.client_certificate_path = context.paths().Certificate().string();
  options.client_key_path = context.paths().Key().string();
  options.proxy = args.Get("proxy").value_or(context.config().proxy);
  options.total_timeout = std::chrono::seconds(context.config().request_timeout_seconds);
  options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
  HttpsClient client(options);
  PushClient push(store, client, server, context.config().batch_size, context.clock());
  try {
    PushSummary summary = push.PushAll();
    std::size_t notices = PullClient(store, client, server).PullAll();
    store.SetState("last_error", "");
    std::printf("synced: %llu changes in %llu batches; server has everything up to seq %llu",
                static_cast<unsigned long long>(summary.changes_sent),
                static_cast<unsigned long long>(summary.batches),
                static_cast<unsigned long long>(summary.acknowledged_seq));
    if (summary.invalid + summary.conflicts > 0) {
      std::printf(" (%llu invalid, %llu conflicts: see 'tributary-agent status')",
                  static_cast<unsigned long long>(summary.invalid),
                  static_cast<unsigned long long>(summary.conflicts));
    }
    if (notices > 0) {
      std::printf("; %zu notice(s) from the server: see 'tributary-agent status'", notices);
    }
    std::printf("\n");
    return kExitOk;
  } catch (const Error& e) {
    // Kept for `status`; what was acknowledged before the failure stays so.
    store.SetState("last_error", std::string(ErrorCodeName(e.code())) + ": " + e.what());
    throw;
  }
}

}  // namespace tributary::agent
