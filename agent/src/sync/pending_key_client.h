// The first step of a sync: the server makes the person keys of the people
// new to the practice (store/pending_person_keys.h), a request's worth at a
// time, and each request's people are released into the outbox as it
// arrives, so the push that follows sends their records keyed. Only blinded
// identities go to the server (docs/design.md invariant 7).
#pragma once

#include <cstddef>
#include <string>

#include "importer/person_keyer.h"
#include "store/local_store.h"

namespace tributary::agent {

struct PendingKeysResult {
  std::size_t people_keyed = 0;
  std::size_t records_released = 0;  // submissions that followed them included
  std::size_t people_waiting = 0;    // still without a key after this step
  // Why some still wait though the server was reached (its daily allowance
  // for the practice is spent); "" when nobody waits.
  std::string deferred;
};

// `server` makes keys (sync/person_key_client.h). A request the practice's
// daily allowance cannot cover whole is asked again in halves. A refusal
// (the allowance spent, the server busy, an answer it cannot read) ends the
// step with what was made kept and the rest waiting, said in `deferred`, and
// the sync goes on to push everything else. No network, or the agent's
// identity refused (kNetwork, kUnauthorized, kForbidden), throws: the sync
// cannot go on; what earlier requests made stays.
PendingKeysResult KeyPendingPeople(LocalStore& store, PersonKeyer& server);

}  // namespace tributary::agent
