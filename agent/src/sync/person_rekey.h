// A practice whose person keys were made with the ICS-wide HMAC secret of
// old (it still holds "person_key_secret") moves its people to keys made
// with the server (LocalStore::RekeyPeople), before it pushes: the new keys
// reach the server as ordinary changes, and the ICS's rollups after are the
// ones before. Afterwards the practice holds no secret of the ICS.
#pragma once

#include <cstddef>

#include "importer/person_keyer.h"
#include "store/local_store.h"

namespace tributary::agent {

// Returns the workforce records moved (0 when there was nothing to do).
// Throws as `keys` does; then nothing has changed.
std::size_t RekeyPeopleIfNeeded(LocalStore& store, PersonKeyer& keys);

}  // namespace tributary::agent
