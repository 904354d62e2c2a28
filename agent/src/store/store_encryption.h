// The agent's store encrypted at rest with SQLCipher (every page of
// agent.db and of its WAL: AES-256 with an HMAC): the staff names,
// registration numbers, person keys and receipts it holds are never in a
// plain file.
//
// The key is 32 random bytes (64 hex characters) kept outside the store:
//   the systemd credential `store.key` ($CREDENTIALS_DIRECTORY/store.key),
//     when the service is given one (LoadCredentialEncrypted= keeps it
//     sealed to the machine);
//   else DATA_DIR/store.key, mode 0600, made at the store's first use.
// (tributary/common/secret_file.h.) Losing it loses the store: the practice
// enrols again and imports its files again (docs/operations.md).
//
// Functions throw tributary::Error: kForbidden for a key file others may
// read, kNotFound for a store whose key is missing, kDatabase for a store
// the key does not open, kIo for files that cannot be written.
#pragma once

#include <string>

#include "config/agent_config.h"

namespace tributary::agent {

// Makes agent.db ready to open and returns its key. The key is read, or
// made (DATA_DIR/store.key) when there is neither key nor store; never made
// for a store that exists encrypted, which a new key could never open
// (kNotFound). A plain store (written before stores were encrypted) is
// encrypted in place, once, as one step that a crash cannot leave half done
// (a copy is encrypted beside it, synced and renamed over it), and only
// when no other program has it open (kConflict otherwise). The store's
// files are made 0600. Two agent processes starting at once take turns (an
// exclusive lock on agent.db.lock), so they never make two keys.
std::string PrepareEncryptedStore(const AgentPaths& paths);

}  // namespace tributary::agent
