// `tributary-agent receipts [--json]` and `receipts verify`: the practice's
// proof of what the server took (sync/receipt_check.h).
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/agent_commands.h"
#include "sync/receipt_check.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::agent {
namespace {

int List(const Arguments& args, AgentContext& context) {
  std::vector<protocol::Receipt> receipts = context.store().Receipts();
  if (args.Has("json")) {
    boost::json::array out;
    for (const protocol::Receipt& r : receipts) {
      out.push_back({{"practice", r.practice},
                     {"from_seq", r.from_seq},
                     {"to_seq", r.to_seq},
                     {"acknowledged_seq", r.acknowledged_seq},
                     {"changes_sha256", r.changes_sha256},
                     {"at", FormatUtc(static_cast<std::int64_t>(r.at_ms))},
                     {"public_key", r.public_key},
                     {"signature", r.signature}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"receipts", std::move(out)}}) << "\n";
    return kExitOk;
  }
  if (receipts.empty()) {
    std::printf("no receipts yet: the server signs one for every batch it takes\n");
    return kExitOk;
  }
  std::printf("%-21s %-8s %-19s %-13s %s\n", "AT", "PRACTICE", "SEQS", "ACKNOWLEDGED",
              "CHANGES SHA-256");
  for (const protocol::Receipt& r : receipts) {
    std::string seqs = std::to_string(r.from_seq) + ".." + std::to_string(r.to_seq);
    std::printf("%-21s %-8s %-19s %-13llu %s\n",
                FormatUtc(static_cast<std::int64_t>(r.at_ms)).c_str(), r.practice.c_str(),
                seqs.c_str(), static_cast<unsigned long long>(r.acknowledged_seq),
                r.changes_sha256.c_str());
  }
  return kExitOk;
}

int Verify(AgentContext& context) {
  LedgerCheck check = CheckLedger(context.store());
  if (!check.problems.empty()) {
    std::string text;
    for (const std::string& p : check.problems) text += "\n  " + p;
    throw Error::Conflict("the receipts do not prove what the server took:" + text);
  }
  std::printf(
      "receipts verified: %zu receipts signed by the server, covering every change up to seq "
      "%llu, all it has acknowledged\n",
      check.receipts, static_cast<unsigned long long>(check.acknowledged_seq));
  return kExitOk;
}

}  // namespace

int RunReceipts(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "json"});
  std::string action = args.Positional(1);
  if (args.positional().size() > 2 || (!action.empty() && action != "verify")) {
    throw Error::InvalidArgument("usage: tributary-agent receipts [--json] | receipts verify");
  }
  context.RequirePractice();
  return action == "verify" ? Verify(context) : List(args, context);
}

}  // namespace tributary::agent
