// Backing up a server and restoring it into a new data directory
// (docs/operations.md "Backup and restore").
//
// A backup holds the data directory's CA and server certificates and keys,
// the store's URL for a PostgreSQL store, and for the SQLite store a
// consistent copy of server.db taken with SQLite's online backup API while
// `serve` goes on. A PostgreSQL store's database is backed up with pg_dump
// beside it. Everything is sealed under the operator's passphrase
// (backup/backup_archive.h): the keys let anyone issue agent certificates,
// and the store holds the ICS's person-key secret.
//
// Neither function is thread-safe with itself; each may run beside `serve`
// (backup) or before it starts (restore). Failures throw tributary::Error
// with what and where, and leave nothing behind: no backup file, no
// restored directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "enrol/server_identity.h"

namespace tributary::server {

struct BackupSummary {
  std::string created;  // ISO 8601 UTC
  std::string engine;   // "sqlite" or "postgresql"
  std::string store;    // the store backed up, without a password
  std::string ca_sha256;
  std::uint64_t store_bytes = 0;  // the SQLite copy; 0 for PostgreSQL
  std::string schema_version;
};

// Writes a backup of the server at `paths` to `to` (a new file, mode 0600,
// replacing any there only once complete) and records it in
// DATA_DIR/last-backup. Throws kNotFound for a directory that is not
// initialised, kConflict when its CA does not own the store, kUnavailable
// when a PostgreSQL store cannot be reached, kIo, kDatabase.
BackupSummary BackUp(const ServerPaths& paths, const std::filesystem::path& to,
                     std::string_view passphrase);

// Restores the backup `from` into `dir`, which must not exist or be empty
// (kAlreadyExists otherwise). `store`, for a PostgreSQL backup, names the
// database restored with pg_restore when it is not the one backed up. The
// store is checked before the directory appears: the SQLite copy's
// integrity, and that the store belongs to the backup's CA (kConflict
// otherwise; kNotFound for a PostgreSQL database not restored yet). A wrong
// passphrase or a damaged file is kInvalidInput.
BackupSummary Restore(const std::filesystem::path& from, std::string_view passphrase,
                      const std::filesystem::path& dir, const std::optional<std::string>& store);

}  // namespace tributary::server
