// RAII wrappers over SQLite: a connection, a prepared statement, and a
// transaction that rolls back unless committed.
//
// Every failure throws tributary::Error(kDatabase) naming the statement and
// SQLite's message. A Database is not thread-safe: one per thread, or guard it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::sqlite {

class Statement;

class Database {
 public:
  // Opens (creating if needed) the file at `path` in WAL mode with
  // synchronous=FULL, foreign keys on and a busy timeout, so that a commit
  // that returned is on disk. A new file is made mode 0600 whatever the
  // umask (SQLite gives its WAL and shared-memory files the same mode).
  //
  // With `key_hex` (64 hex characters: a raw 256-bit key) the file is
  // encrypted with SQLCipher: every page, of the file and of its WAL, is
  // AES-256 with an HMAC. Throws Error(kDatabase) saying so when the file is
  // not encrypted with that key (a wrong key, a plain file or not a database).
  static Database Open(const std::filesystem::path& path, std::string_view key_hex = {});

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs one or more statements that return no rows.
  void Exec(std::string_view sql);

  // Prepares one statement. The statement must not outlive this Database.
  Statement Prepare(std::string_view sql);

  // True when `table` has a column named `column` (for migrations that add one).
  bool HasColumn(std::string_view table, std::string_view column);

  std::int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Closer> db_;
};

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Binds parameter `index` (1-based). Text and blobs are copied.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // An unsigned 64-bit value (seqs, versions, sizes), stored as SQLite's
  // signed integer with the same bits: ColumnUnsigned reads back exactly the
  // value bound, the whole range included.
  Statement& BindUnsigned(int index, std::uint64_t value);
  // Binds NULL when `value` is empty.
  Statement& BindOptional(int index, const std::optional<std::string>& value);

  // Advances: true while a row is available, false when done.
  bool Step();
  // Steps a statement expected to return no rows.
  void Run();
  // Clears bindings and rewinds, ready to run again.
  void Reset();

  std::int64_t ColumnInt(int column) const;
  std::uint64_t ColumnUnsigned(int column) const;  // see BindUnsigned
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void Check(int rc, std::string_view what) const;
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// BEGIN IMMEDIATE on construction (so writers queue on the busy timeout instead
// of failing at COMMIT); ROLLBACK on destruction unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

// A read of one moment: BEGIN (deferred) on construction, ended on
// destruction. Statements inside see the same state of the database, and
// the connection takes its read lock once rather than once per statement.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& db_;
};

}  // namespace tributary::sqlite
