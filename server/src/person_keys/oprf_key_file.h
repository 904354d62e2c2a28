// Where the server's OPRF key lives (docs/design.md invariant 7): never in
// the store, so that whoever holds the store and a practice's data still
// cannot key a registration number.
//
//   the systemd credential "oprf.key" ($CREDENTIALS_DIRECTORY/oprf.key),
//     when the service is given one (LoadCredential= or SetCredential=);
//   else DIR/oprf.key, 64 hex characters, mode 0600, owned by the service.
//
// Every `serve` instance of one store needs the same key: the store records
// the key's public element at first use and refuses any other.
#pragma once

#include "enrol/server_identity.h"
#include "tributary/common/oprf.h"

namespace tributary::server {

class ServerStore;

// Writes a new key to DIR/oprf.key (mode 0600). Throws Error(kAlreadyExists)
// when one is there: person keys made with it would no longer match.
void CreateOprfKey(const ServerPaths& paths);

// The key from the credential, else the file. Throws Error(kNotFound) when
// neither exists, Error(kForbidden) when the file may be read by others
// than its owner, Error(kCorruption) when it does not hold a key.
oprf::Key LoadOprfKey(const ServerPaths& paths);

// LoadOprfKey, making DIR/oprf.key first when there is neither it nor a
// credential (a data directory from before person keys were made with the
// server). Says so in the log.
oprf::Key LoadOrCreateOprfKey(const ServerPaths& paths);

// Ties the store to `key`: records its public element at first use, and
// throws Error(kConflict) when the store's person keys were made with another.
void BindStoreToOprfKey(ServerStore& store, const oprf::Key& key, const ServerPaths& paths);

}  // namespace tributary::server
