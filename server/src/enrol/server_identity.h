// The server's identity in its data directory (config/data_dir.h): the
// internal CA that issues agent certificates, the server's own TLS
// certificate, and the store bound to that CA.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/data_dir.h"
#include "database/store_location.h"
#include "tributary/common/pki.h"

namespace tributary::server {

// Creates DIR with a new CA, a server certificate for `hostnames`, the store
// (`store` when given: recorded in store.url unless it is the SQLite file
// server.db) and the OPRF key person keys are made with. Refuses (Error
// kAlreadyExists) if DIR already holds a CA, or the store was made for
// another CA: re-initialising would orphan every enrolled agent.
// The server certificate names https://HOST:`port`/v1/crl (the first
// hostname) as where its CA's revocation list is.
void InitialiseDataDir(const ServerPaths& paths, const std::vector<std::string>& hostnames,
                       const std::optional<std::string>& store = std::nullopt,
                       std::uint16_t port = 8443);

// Where a server certificate for `hostnames` on `port` says the CRL is.
std::string CrlUrl(const std::vector<std::string>& hostnames, std::uint16_t port);

// Makes the store DIR's CA's, if no CA owns it yet; throws Error(kConflict)
// when another CA does (two servers must never share one store). `serve`
// calls it as it starts.
class ServerStore;
void ClaimStore(ServerStore& store, const ServerPaths& paths);

// Reads the CA from DIR. Throws Error(kNotFound) telling to run init, or
// Error(kCorruption) when ca.key is not ca.pem's key.
pki::Authority LoadAuthority(const ServerPaths& paths);

// Throws Error(kNotFound) telling to run init when DIR holds no CA.
void RequireInitialised(const ServerPaths& paths);

}  // namespace tributary::server
