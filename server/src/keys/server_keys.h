// The server's signing key (Ed25519: push receipts and audit checkpoints) and
// its audit key (the HMAC key of the audit log's chain), both kept outside
// the store (keys/secret_file.h). The store records the signing key's public
// half at first use and refuses another, so every instance signs alike.
#pragma once

#include <string>

#include "enrol/server_identity.h"
#include "tributary/common/signing.h"

namespace tributary::server {

class ServerStore;

// `init`: writes signing.key and audit.key. Error(kAlreadyExists) if there.
void CreateServerKeys(const ServerPaths& paths);

// The keys, made first when a data directory from before them has neither
// file nor credential. Throw as ReadSecret does, and Error(kCorruption) for
// a file that does not hold a key.
signing::SigningKey LoadOrCreateSigningKey(const ServerPaths& paths);
std::string LoadOrCreateAuditKey(const ServerPaths& paths);

// The same, never making one: for commands other than `serve`.
signing::SigningKey LoadSigningKey(const ServerPaths& paths);
std::string LoadAuditKey(const ServerPaths& paths);

// Records the signing key's public half in the store at first use; throws
// Error(kConflict) when the store's receipts were signed with another.
void BindStoreToSigningKey(ServerStore& store, const signing::SigningKey& key,
                           const ServerPaths& paths);

}  // namespace tributary::server
