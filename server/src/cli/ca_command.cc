// `tributary-server ca [--json]`: the CA, and during a rollover the next CA
// and which agents trust it yet; `ca rollover start` and `ca rollover
// finish [--force]` (enrol/ca_rollover.h).
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "audit/audit_service.h"
#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/agent_service.h"
#include "enrol/ca_rollover.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::string Until(const pki::CertificateInfo& info) {
  return FormatUtc(
      std::chrono::duration_cast<std::chrono::milliseconds>(info.not_after.time_since_epoch())
          .count());
}

boost::json::value CaJson(const std::optional<pki::CertificateInfo>& info) {
  if (!info) return nullptr;
  return boost::json::object{{"sha256", info->sha256_hex}, {"not_after", Until(*info)}};
}

std::string Practices(const std::vector<AgentStatus>& agents) {
  std::string out;
  for (const AgentStatus& a : agents) out += (out.empty() ? "" : ", ") + a.practice;
  return out;
}

int Show(const Arguments& args, const ServerPaths& paths, ServerStore& store) {
  CaState state = ReadCaState(paths);
  std::vector<AgentStatus> agents = AgentService(store).Statuses();
  std::vector<AgentStatus> waiting;
  if (state.next) waiting = AgentsNotTrusting(agents, state.next->sha256_hex);
  auto enrolled = static_cast<std::size_t>(
      std::count_if(agents.begin(), agents.end(), [](const AgentStatus& a) { return !a.revoked; }));
  if (args.Has("json")) {
    boost::json::array waiting_for;
    for (const AgentStatus& a : waiting) {
      waiting_for.emplace_back(
          boost::json::object{{"practice", a.practice}, {"agent_id", a.agent_id}});
    }
    std::cout << boost::json::serialize(
                     boost::json::object{{"ca", CaJson(state.current)},
                                         {"next", CaJson(state.next)},
                                         {"previous", CaJson(state.previous)},
                                         {"enrolled_agents", enrolled},
                                         {"agents_not_trusting_next", std::move(waiting_for)}})
              << "\n";
    return kExitOk;
  }
  std::printf("CA: sha256 %s, until %s\n", state.current.sha256_hex.c_str(),
              Until(state.current).c_str());
  if (state.previous) {
    std::printf("previous CA (its agents' certificates still taken): sha256 %s, until %s\n",
                state.previous->sha256_hex.c_str(), Until(*state.previous).c_str());
  }
  if (!state.next) return kExitOk;
  std::printf("next CA: sha256 %s, until %s\n", state.next->sha256_hex.c_str(),
              Until(*state.next).c_str());
  std::printf("%zu of %zu enrolled agents trust the next CA", enrolled - waiting.size(), enrolled);
  if (waiting.empty()) {
    std::printf(": run 'tributary-server ca rollover finish'\n");
  } else {
    std::printf("; waiting for %s (each learns of it at its next heartbeat)\n",
                Practices(waiting).c_str());
  }
  return kExitOk;
}

int Start(const ServerPaths& paths, ServerStore& store) {
  pki::CertificateInfo next = StartCaRollover(paths);
  AuditService(store).Record("operator", "ca_rollover_start", "ca", "next CA " + next.sha256_hex);
  std::printf(
      "made the next CA: sha256 %s, until %s\n"
      "restart the server (systemctl restart tributary-server; copy ca-next.pem and "
      "ca-next.key to every instance first): each agent learns of the next CA at its next "
      "heartbeat; 'tributary-server ca' shows which do, then run 'tributary-server ca rollover "
      "finish'\n",
      next.sha256_hex.c_str(), Until(next).c_str());
  return kExitOk;
}

int Finish(const Arguments& args, const ServerPaths& paths, ServerStore& store) {
  CaState state = ReadCaState(paths);
  if (state.next) {
    std::vector<AgentStatus> waiting =
        AgentsNotTrusting(AgentService(store).Statuses(), state.next->sha256_hex);
    if (!waiting.empty() && !args.Has("force")) {
      throw Error::Conflict("the agents of " + Practices(waiting) +
                            " do not trust the next CA yet (they learn of it at their next "
                            "heartbeat); finishing now would cut them off until they enrol "
                            "again. Wait, or give --force to accept that");
    }
  }
  pki::CertificateInfo ca = FinishCaRollover(paths, store);
  std::printf(
      "the CA is now sha256 %s, until %s; the server certificate was issued again by it\n"
      "restart the server (copy ca.pem, ca.key, ca-previous.pem, server.pem and server.key to "
      "every instance first); practices enrol with --ca-sha256 %s from now on\n",
      ca.sha256_hex.c_str(), Until(ca).c_str(), ca.sha256_hex.c_str());
  return kExitOk;
}

}  // namespace

int RunCa(const Arguments& args) {
  std::string action = args.Positional(1);
  std::string step = args.Positional(2);
  args.AllowOnly({"config", "data-dir", "json", "force"});
  ServerPaths paths = PathsFrom(args);
  RequireInitialised(paths);  // (not LoadAuthority: finish mends a half-moved CA)
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  if (action.empty()) return Show(args, paths, store);
  if (action == "rollover" && step == "start") return Start(paths, store);
  if (action == "rollover" && step == "finish") return Finish(args, paths, store);
  throw Error::InvalidArgument("unknown 'ca " + action + (step.empty() ? "" : " " + step) +
                               "'; see 'tributary-server ca --help'");
}

}  // namespace tributary::server
