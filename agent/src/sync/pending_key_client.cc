#include "sync/pending_key_client.h"

#include <algorithm>
#include <map>

#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "tributary/protocol/messages.h"

namespace tributary::agent {
namespace {

// The server grants a request whole or not at all: a request larger than
// what is left of the practice's daily allowance is refused, so it is asked
// again in halves (refused requests do not count against it).
bool AllowanceSpent(const Error& e) {
  return e.code() == ErrorCode::kUnavailable &&
         std::string(e.what()).find("person_key_allowance") != std::string::npos;
}

}  // namespace

PendingKeysResult KeyPendingPeople(LocalStore& store, PersonKeyer& server) {
  PendingKeysResult result;
  std::vector<AwaitingPerson> waiting = store.PeopleAwaitingKeys();
  std::size_t first = 0;
  std::size_t chunk = protocol::kMaxPersonKeysPerRequest;
  while (first < waiting.size()) {
    std::size_t last = std::min(waiting.size(), first + chunk);
    std::vector<std::string> identities;
    for (std::size_t i = first; i < last; ++i) identities.push_back(waiting[i].identity);
    std::vector<std::string> keys;
    try {
      keys = server.KeysFor(identities);
    } catch (const Error& e) {
      // Without the network, or refused as an agent, the sync cannot go on;
      // any other refusal leaves these people waiting and the push goes on.
      if (e.code() == ErrorCode::kNetwork || e.code() == ErrorCode::kUnauthorized ||
          e.code() == ErrorCode::kForbidden) {
        throw;
      }
      if (AllowanceSpent(e) && identities.size() > 1) {
        chunk = identities.size() / 2;
        continue;
      }
      result.deferred = e.what();
      log::Warning("person_keys_deferred",
                   std::to_string(waiting.size() - first) +
                       " new people wait for their person keys: " + e.what());
      break;
    }
    if (keys.size() != identities.size()) {
      throw Error::Protocol("the server made " + std::to_string(keys.size()) + " person keys for " +
                            std::to_string(identities.size()) + " people");
    }
    std::map<std::string, std::string> made;
    for (std::size_t i = 0; i < identities.size(); ++i) made[identities[i]] = keys[i];
    result.records_released += store.ReleaseKeyedPeople(made);
    result.people_keyed += made.size();
    first = last;
  }
  // A held submission whose waiting records were since removed (a corrected
  // file without the new person) waits for nobody: release it.
  if (result.people_keyed == 0 && result.deferred.empty() && store.AwaitingKeys().records > 0) {
    result.records_released += store.ReleaseKeyedPeople({});
  }
  result.people_waiting = waiting.size() - result.people_keyed;
  // Kept for `status`: why people still wait though the server was reached.
  if (!waiting.empty()) store.SetState("person_keys_deferred", result.deferred);
  if (result.people_keyed > 0) {
    log::Info("person_keys_made", "people=" + std::to_string(result.people_keyed) +
                                      " records=" + std::to_string(result.records_released));
  }
  return result;
}

}  // namespace tributary::agent
