// Where the server's data directory is and which store it names: the one
// place that says what each file of DIR is and how the store is chosen.
//
// Layout of DIR: server.db (the SQLite store) or store.url (the PostgreSQL
// store's URL, mode 0600: it may hold a password), ca.pem, ca.key,
// server.pem, server.key, oprf.key (the person keys' OPRF key,
// person_keys/oprf_key_file.h; keys mode 0600). Every `serve` instance on
// one PostgreSQL store has a copy of the same DIR.
#pragma once

#include <filesystem>
#include <string>

#include "database/store_location.h"

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

}  // namespace tributary::server
