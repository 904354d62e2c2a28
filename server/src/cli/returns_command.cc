// `returns list` and `returns lock`: the operator's view of the month's
// returns, and closing a month once its returns are approved.
#include <cstdio>

#include "cli/server_commands.h"
#include "orgs/org_hierarchy.h"
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
  std::vector<ReturnStatus> returns = store.ReturnsOf(Practices(store, args, period), period);
  std::printf("%-8s %-13s %-7s %-10s %4s  %s\n", "PRACTICE", "DATASET", "PERIOD", "STATE", "REV",
              "QUERY / FINDINGS");
  std::map<std::string, int> by_state;
  FindingsByReturn checks = CrossPracticeFindings(store, period);
  for (const ReturnStatus& r : returns) {
    ++by_state[std::string(ReturnStateName(r.state))];
    std::string note = r.query_comment;
    auto findings = store.QuarantineReasons(r.key);
    if (!findings.empty()) {
      note += (note.empty() ? "" : "; ") + std::to_string(findings.size()) +
              " refused change(s): " + findings.front();
    }
    for (const std::string& finding : checks[r.key.practice][r.key.dataset]) {
      note += (note.empty() ? "" : "; ") + finding;
    }
    std::printf("%-8s %-13s %-7s %-10s %4lld  %s\n", r.key.practice.c_str(), r.key.dataset.c_str(),
                r.key.period.c_str(), std::string(ReturnStateName(r.state)).c_str(),
                static_cast<long long>(r.revision), note.c_str());
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
  for (const ReturnStatus& r : store.ReturnsOf(Practices(store, args, period), period)) {
    if (r.state == ReturnState::kApproved) {
      store.ActOnReturn(r.key, ReturnAction::kLock, "operator", "period closed");
      ++locked;
    } else if (r.state != ReturnState::kLocked) {
      ++not_approved;
    }
  }
  std::printf("%s: locked %d approved returns; %d not yet approved stay as they are\n",
              period.c_str(), locked, not_approved);
  return kExitOk;
}

}  // namespace

int RunReturns(const Arguments& args) {
  args.AllowOnly({"config", "data-dir", "period", "code"});
  ServerPaths paths = PathsFrom(args);
  LoadAuthority(paths);
  SystemClock clock;
  ServerStore store(paths.Database(), clock);
  std::string action = args.Positional(1);
  if (action == "list") return List(args, store);
  if (action == "lock") return Lock(args, store);
  throw Error::InvalidArgument(
      "usage: tributary-server returns list|lock --period YYYY-MM [--code CODE]");
}

}  // namespace tributary::server
