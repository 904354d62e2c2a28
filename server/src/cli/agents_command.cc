// `tributary-server agents [--json]` and `agents revoke --practice CODE`.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/agent_service.h"
#include "enrol/server_certificate.h"
#include "report/agent_report.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/error.h"
#include "tributary/common/ods_code.h"

namespace tributary::server {

int RunAgents(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "json", "practice"});
  std::string action = args.Positional(1);
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);  // a clear "run init first" instead of an empty store
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  const Clock& clock = opened.clock();
  if (action.empty()) {
    auto agents = AgentService(store).Statuses();
    // The server's own certificates come first: every agent depends on them.
    std::vector<std::string> warnings =
        CertificateWarnings(ReadServedCertificates(paths), std::chrono::system_clock::now());
    if (args.Has("json")) {
      boost::json::array warning_list;
      for (const std::string& w : warnings) warning_list.emplace_back(w);
      std::cout << boost::json::serialize(
                       boost::json::object{{"agents", AgentsJson(agents, clock.NowMillis())},
                                           {"certificate_warnings", std::move(warning_list)}})
                << "\n";
    } else {
      for (const std::string& w : warnings) std::printf("warning: %s\n", w.c_str());
      std::fputs(AgentsTable(agents, clock.NowMillis()).c_str(), stdout);
    }
    return kExitOk;
  }
  if (action == "revoke") {
    std::string practice = args.Get("practice").value_or("");
    if (!ods::IsPracticeCode(practice)) {
      throw Error::InvalidArgument("usage: tributary-server agents revoke --practice CODE");
    }
    int revoked = AgentService(store).Revoke(practice, "operator");
    if (revoked == 0) throw Error::NotFound("no enrolled agent of " + practice + " to revoke");
    std::printf("revoked %d agent(s) of %s; the practice must enrol again with a new token\n",
                revoked, practice.c_str());
    return kExitOk;
  }
  throw Error::InvalidArgument("unknown 'agents " + action + "'; see 'tributary-server --help'");
}

}  // namespace tributary::server
