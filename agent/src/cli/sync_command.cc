#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "cli/agent_commands.h"
#include "sync/sync_session.h"
#include "tributary/common/cli_errors.h"
#include "tributary/common/terminal_text.h"

namespace tributary::agent {
namespace {

// What a practice manager knows the record as: a workforce record by the
// person's staff id (names stay here), others by their key's parts.
std::string RecordShownAs(LocalStore& store, const RefusedChange& change) {
  const DatasetDecl* dataset = datasets::Find(change.dataset);
  std::string shown = change.key;
  for (char& c : shown) {
    if (c == '|') c = ' ';
  }
  if (dataset == &datasets::Workforce()) {
    std::string person_key = change.key.substr(change.key.rfind('|') + 1);
    if (std::optional<Person> person = store.FindPerson(person_key)) {
      shown = KeyPeriod(*dataset, change.key) + " staff " + person->staff_id;
    }
  }
  return change.dataset + " " + shown;
}

boost::json::array RefusedJson(LocalStore& store, const PushSummary& summary) {
  boost::json::array refused;
  for (const RefusedChange& change : summary.refused) {
    refused.push_back({{"seq", change.seq},
                       {"dataset", change.dataset},
                       {"record", RecordShownAs(store, change)},
                       {"outcome", change.outcome},
                       {"detail", change.detail}});
  }
  return refused;
}

}  // namespace

int RunSync(const Arguments& args, AgentContext& context) {
  args.AllowOnly({"config", "data-dir", "server", "proxy", "json"});
  // Exits kExitChangesRefused when the server took every change but did not
  // apply some: the practice must look at them (status lists them too).
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
    std::cout << boost::json::serialize(boost::json::object{
                     {"changes_sent", summary.changes_sent},
                     {"batches", summary.batches},
                     {"acknowledged_seq", summary.acknowledged_seq},
                     {"invalid", summary.invalid},
                     {"conflicts", summary.conflicts},
                     {"refused", RefusedJson(context.store(), summary)},
                     {"people_keyed", result.keys.people_keyed},
                     {"people_awaiting_keys", result.keys.people_waiting},
                     {"person_keys_deferred", result.keys.deferred.empty()
                                                  ? boost::json::value(nullptr)
                                                  : boost::json::value(result.keys.deferred)},
                     {"notices", result.notices},
                     {"certificate_renewed", result.renewed},
                     {"heartbeat_sent", result.heartbeat_sent},
                     {"requests", result.traffic.requests},
                     {"bytes_sent", result.traffic.bytes_sent},
                     {"bytes_received", result.traffic.bytes_received}})
              << "\n";
    return summary.refused.empty() ? kExitOk : kExitChangesRefused;
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
  if (result.keys.people_keyed > 0) {
    std::printf("person keys made for %zu new %s; their records went with this sync\n",
                result.keys.people_keyed, result.keys.people_keyed == 1 ? "person" : "people");
  }
  if (result.keys.people_waiting > 0) {
    std::printf("%zu new %s still wait for a person key (%s); their records stay here until then\n",
                result.keys.people_waiting, result.keys.people_waiting == 1 ? "person" : "people",
                ForTerminal(result.keys.deferred).c_str());
  }
  if (summary.refused.empty()) return kExitOk;
  std::fprintf(stderr, "the server did not apply %zu change(s):\n", summary.refused.size());
  for (const RefusedChange& change : summary.refused) {
    std::fprintf(stderr, "  seq %llu %s: %s: %s\n", static_cast<unsigned long long>(change.seq),
                 ForTerminal(RecordShownAs(context.store(), change)).c_str(),
                 change.outcome.c_str(), ForTerminal(change.detail).c_str());
  }
  return kExitChangesRefused;
}

}  // namespace tributary::agent
