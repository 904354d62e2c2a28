// The server's data directory and its identity: the internal CA that issues
// agent certificates, the server's own TLS certificate, and the store.
//
// Layout of DIR: server.db (the SQLite store) or store.url (the PostgreSQL
// store's URL, mode 0600: it may hold a password), ca.pem, ca.key,
// server.pem, server.key, oprf.key (the person keys' OPRF key,
// person_keys/oprf_key_file.h; keys mode 0600). Every `serve` instance on
// one PostgreSQL store has a copy of the same DIR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "database/store_location.h"
#include "tributary/common/pki.h"

namespace tributary::server {

struct ServerPaths {
  std::filesystem::path dir;
  std::string store_setting;  // `store` in server.toml: "" when not set

  // The store: `store_setting` when set, else the URL init recorded in
  // store.url, else server.db. Throws Error(kInvalidInput) when store.url
  // cannot be read, or Error(kConflict) when it names another store than
  // `store_setting`.
  db::StoreLocation Store() const;
  std::filesystem::path SqliteFile() const { return dir / "server.db"; }
  std::filesystem::path StoreUrlFile() const { return dir / "store.url"; }
  std::filesystem::path CaCertificate() const { return dir / "ca.pem"; }
  std::filesystem::path CaKey() const { return dir / "ca.key"; }
  // During a CA rollover (enrol/ca_rollover.h): the CA to come, and after it
  // the CA that was.
  std::filesystem::path NextCaCertificate() const { return dir / "ca-next.pem"; }
  std::filesystem::path NextCaKey() const { return dir / "ca-next.key"; }
  std::filesystem::path PreviousCaCertificate() const { return dir / "ca-previous.pem"; }
  std::filesystem::path Certificate() const { return dir / "server.pem"; }
  std::filesystem::path Key() const { return dir / "server.key"; }
  // When and where the last backup was written (tributary-server backup).
  std::filesystem::path LastBackupFile() const { return dir / "last-backup"; }
};

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
