#include <cstdio>

#include "cli/agent_commands.h"
#include "enrol/enrolment.h"
#include "tributary/common/cli_errors.h"

namespace tributary::agent {

int RunEnrol(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "server", "token", "ca-sha256", "proxy"});
  EnrolmentRequest request;
  request.server_url = args.Get("server").value_or(context.config().server_url);
  if (request.server_url.empty()) throw Error::InvalidArgument("--server is required");
  request.token = args.Require("token");
  request.ca_sha256 = args.Require("ca-sha256");
  request.proxy = args.Get("proxy").value_or(context.config().proxy);
  std::string practice = Enrol(request, context.paths(), context.store());
  std::printf("enrolled as practice %s with %s\n", practice.c_str(), request.server_url.c_str());
  return kExitOk;
}

}  // namespace tributary::agent
