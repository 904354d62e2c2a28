// Person keys the practice has had made before, and the rest asked of the
// server a request's worth at a time: each person is keyed with the server once (store/
// person_key_cache.h), so imports of known people need no network.
#pragma once

#include "importer/person_keyer.h"
#include "store/local_store.h"

namespace tributary::agent {

class CachedPersonKeys final : public PersonKeyer {
 public:
  // Both must outlive this. `remote` may be null: then only known people can
  // be keyed, and anyone else is Error(kUnavailable) saying the server is
  // needed.
  CachedPersonKeys(LocalStore& store, PersonKeyer* remote) : store_(store), remote_(remote) {}

  // Remembers the keys the server made before giving them, each request's
  // as it arrives: when the server refuses a later request (a spent daily
  // allowance), the keys already made stay known and are not asked again.
  std::vector<std::string> KeysFor(const std::vector<std::string>& identities) override;

 private:
  LocalStore& store_;
  PersonKeyer* remote_;
};

}  // namespace tributary::agent
