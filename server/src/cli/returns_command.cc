// `returns list` and `returns lock`: the operator's view of the month's
// returns (with each practice's agent, so that a missing return is explained
// at a glance), and freezing the approved ones for good.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/command_store.h"
#include "cli/server_commands.h"
#include "enrol/agent_service.h"
#include "orgs/org_hierarchy.h"
#include "report/agent_report.h"
#include "returns/return_service.h"
#include "store/server_store.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "validation/findings_service.h"

namespace tributary::server {
namespace {

std::string RequirePeriod(const Arguments& args) {
  std::string text = args.Require("period");
  auto period = ParsePeriod(text);
  if (!period) throw Error::InvalidArgument("--period must be YYYY-MM, not '" + text + "'");
  return period->ToString();
}

// The practices under --code (default: every practice) on the month's first day.
std::vector<std::string> Practices(ServerStore& store, const Arguments& args,
                                   const std::string& period) {
  std::shared_ptr<const OrgHierarchy> shared_hierarchy = store.Hierarchy();
  const OrgHierarchy& hierarchy = *shared_hierarchy;
  std::string day = period + "-01";
  std::vector<std::string> practices;
  if (auto code = args.Get("code")) {
    if (hierarchy.Find(*code, day) == nullptr) {
      throw Error::NotFound(*code + " is not in the hierarchy for " + period);
    }
    return hierarchy.PracticesUnder(*code, day);
  }
  for (const Organisation* o : hierarchy.At(OrgLevel::kPractice, day)) practices.push_back(o->code);
  return practices;
}

int List(const Arguments& args, ServerStore& store) {
  std::string period = RequirePeriod(args);
  std::vector<ReturnStatus> returns =
      ReturnService(store).Of(Practices(store, args, period), period);
  // The operator at the server's terminal sees every organisation.
  FindingsOfMonth checks = CrossPracticeFindings(store, period);
  auto findings_of = [&checks](const ReturnKey& key) {
    return TellReturn(checks, key.practice, key.dataset, EveryOrganisation);
  };
  std::map<std::string, AgentStatus> agents = CurrentAgents(AgentService(store).Statuses());
  std::int64_t now = store.NowMillis();
  auto agent_of = [&agents](const std::string& practice) -> const AgentStatus* {
    auto it = agents.find(practice);
    return it == agents.end() ? nullptr : &it->second;
  };
  if (args.Has("json")) {
    boost::json::array out;
    for (const ReturnStatus& r : returns) {
      boost::json::array findings;
      for (const std::string& f : ReturnService(store).RefusedReasons(r.key))
        findings.push_back(boost::json::value(f));
      for (const std::string& f : findings_of(r.key)) findings.push_back(boost::json::value(f));
      out.push_back({{"practice", r.key.practice},
                     {"dataset", r.key.dataset},
                     {"period", r.key.period},
                     {"state", ReturnStateName(r.state)},
                     {"revision", r.revision},
                     {"query_comment", r.query_comment},
                     {"findings", std::move(findings)},
                     {"agent", AgentHealthJson(agent_of(r.key.practice), now)}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"period", period}, {"returns", out}})
              << "\n";
    return kExitOk;
  }
  std::printf("%-8s %-13s %-7s %-10s %4s  %-30s %s\n", "PRACTICE", "DATASET", "PERIOD", "STATE",
              "REV", "AGENT", "QUERY / FINDINGS");
  std::map<std::string, int> by_state;
  for (const ReturnStatus& r : returns) {
    ++by_state[std::string(ReturnStateName(r.state))];
    std::string note = r.query_comment;
    auto findings = ReturnService(store).RefusedReasons(r.key);
    if (!findings.empty()) {
      note += (note.empty() ? "" : "; ") + std::to_string(findings.size()) +
              " refused change(s): " + findings.front();
    }
    for (const std::string& finding : findings_of(r.key)) {
      note += (note.empty() ? "" : "; ") + finding;
    }
    std::printf("%-8s %-13s %-7s %-10s %4lld  %-30s %s\n", r.key.practice.c_str(),
                r.key.dataset.c_str(), r.key.period.c_str(),
                std::string(ReturnStateName(r.state)).c_str(), static_cast<long long>(r.revision),
                AgentHealthNote(agent_of(r.key.practice), now).c_str(), note.c_str());
  }
  std::string summary;
  for (const auto& [state, n] : by_state) {
    summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + state;
  }
  std::printf("%zu returns: %s\n", returns.size(), summary.c_str());
  return kExitOk;
}

int Lock(const Arguments& args, ServerStore& store) {
  std::string period = RequirePeriod(args);
  int locked = 0;
  int not_approved = 0;
  for (const ReturnStatus& r : ReturnService(store).Of(Practices(store, args, period), period)) {
    if (r.state == ReturnState::kApproved) {
      ReturnService(store).Act(r.key, ReturnAction::kLock, "operator", "period closed");
      ++locked;
    } else if (r.state != ReturnState::kLocked) {
      ++not_approved;
    }
  }
  std::printf("%s: locked %d approved returns for good; %d not yet approved stay as they are\n",
              period.c_str(), locked, not_approved);
  return kExitOk;
}

}  // namespace

int RunReturns(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "period", "code", "json"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  CommandStore opened(paths);
  ServerStore& store = opened.store();
  std::string action = args.Positional(1);
  if (action == "list") return List(args, store);
  if (action == "lock") return Lock(args, store);
  throw Error::InvalidArgument(
      "usage: tributary-server returns list --period YYYY-MM [--code CODE] [--json] | "
      "returns lock --period YYYY-MM [--code CODE]");
}

}  // namespace tributary::server
