// Person keys for imports and manual entry, made without the network: a
// person the practice has had keyed before gets their key (store/
// person_key_cache.h); anyone new gets a placeholder (store/
// pending_person_keys.h), the same one for every record of theirs, and their
// records are held until the next sync has the server make the key
// (sync/pending_key_client.h). So nothing is refused for want of the network.
#pragma once

#include <string>
#include <vector>

#include "importer/person_keyer.h"
#include "store/local_store.h"

namespace tributary::agent {

class OfflinePersonKeys final : public PersonKeyer {
 public:
  // `store` must outlive this.
  explicit OfflinePersonKeys(LocalStore& store) : store_(store) {}

  // Never throws for want of the server. The placeholders it makes are
  // recorded by the store with the records that use them (LocalStore::
  // ReplacePeriods, UpsertRecord), not before; one call gives one person
  // one placeholder, and each call looks again at who waits, so a keyer
  // that lives long (the daemon's) never holds on to a stale one.
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override;

 private:
  LocalStore& store_;
};

}  // namespace tributary::agent
