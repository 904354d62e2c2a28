// Where the server's store is: an SQLite file (the default, DATA_DIR/
// server.db) or a PostgreSQL database named by a libpq URL
// (postgresql://user@host:port/dbname?sslmode=verify-full), and opening it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "database/connection.h"

namespace tributary::server::db {

class StoreLocation {
 public:
  // An SQLite file: a path is always one (implicit, so a path can be given
  // wherever a store is asked for).
  StoreLocation(std::filesystem::path sqlite_file)  // NOLINT(google-explicit-constructor)
      : engine_(Engine::kSqlite), sqlite_file_(std::move(sqlite_file)) {}

  // `text` as an operator writes it: a postgresql:// or postgres:// URL is
  // PostgreSQL, anything else the path of an SQLite file. Throws
  // Error(kInvalidArgument) for a URL libpq cannot read, or an empty text.
  static StoreLocation Parse(const std::string& text);

  Engine engine() const { return engine_; }
  const std::filesystem::path& sqlite_file() const { return sqlite_file_; }
  const std::string& conninfo() const { return conninfo_; }
  // For messages and logs: the file, or the URL without its password.
  std::string ToString() const;

 private:
  StoreLocation() = default;
  Engine engine_ = Engine::kSqlite;
  std::filesystem::path sqlite_file_;
  std::string conninfo_;
};

// Opens a connection to the store. `sqlite_cache_kib` is the SQLite page
// cache. Throws Error(kDatabase), or Error(kUnavailable) when a PostgreSQL
// server cannot be reached.
std::unique_ptr<Connection> Open(const StoreLocation& where, int sqlite_cache_kib);

}  // namespace tributary::server::db
