// The store's connection to its database, whichever engine holds it: the
// embedded SQLite file (the default) or a PostgreSQL server. Every
// responsibility of the store (store/server_store.h) writes its SQL once,
// against this seam; docs/design.md, "Store engines", says what SQL that is.
//
//   Connection         one open connection: statements, schema, transactions
//   Statement          one prepared statement, its bindings and its rows
//   Transaction        a write transaction: rolled back unless committed
//   ReadTransaction    one consistent reading of several statements
//
// Every failure throws tributary::Error(kDatabase) naming the statement and
// the engine's message; Error(kUnavailable) when a PostgreSQL server cannot
// be reached. A Connection is not thread-safe: the store guards its one
// connection with a lock. A Statement must not outlive its Connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::server::db {

enum class Engine { kSqlite, kPostgres };

// The engine's side of a statement (database/sqlite_connection.cc,
// database/postgres_connection.cc). Parameters and columns as Statement's.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void Bind(int index, std::int64_t value) = 0;
  virtual void Bind(int index, double value) = 0;
  virtual void Bind(int index, std::string_view value) = 0;
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  virtual void BindNull(int index) = 0;
  virtual bool Step() = 0;
  virtual void Reset() = 0;
  virtual std::int64_t ColumnInt(int column) const = 0;
  virtual double ColumnDouble(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual std::string ColumnBlob(int column) const = 0;
  virtual bool ColumnIsNull(int column) const = 0;
};

class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}

  // Binds parameter `index` (1-based). Text and blobs are copied.
  Statement& Bind(int index, std::int64_t value) { return impl_->Bind(index, value), *this; }
  Statement& Bind(int index, double value) { return impl_->Bind(index, value), *this; }
  Statement& Bind(int index, std::string_view value) { return impl_->Bind(index, value), *this; }
  Statement& BindBlob(int index, std::string_view bytes) {
    return impl_->BindBlob(index, bytes), *this;
  }
  Statement& BindNull(int index) { return impl_->BindNull(index), *this; }
  // An unsigned 64-bit value (seqs, versions, sizes), stored as a signed
  // 64-bit integer with the same bits: ColumnUnsigned reads back exactly the
  // value bound, the whole range included.
  Statement& BindUnsigned(int index, std::uint64_t value) {
    return Bind(index, static_cast<std::int64_t>(value));
  }
  // Binds NULL when `value` is empty.
  Statement& BindOptional(int index, const std::optional<std::string>& value) {
    return value ? Bind(index, std::string_view(*value)) : BindNull(index);
  }

  // Runs the statement the first time, then advances: true while a row is
  // available, false when done. Stepping again after false runs it again.
  bool Step() { return impl_->Step(); }
  // Runs a statement that returns no rows, then Reset()s it.
  void Run() {
    impl_->Step();
    impl_->Reset();
  }
  // Clears bindings and rewinds, ready to run again.
  void Reset() { impl_->Reset(); }

  // The current row's columns (0-based). NULL reads as 0, 0.0 or "".
  std::int64_t ColumnInt(int column) const { return impl_->ColumnInt(column); }
  std::uint64_t ColumnUnsigned(int column) const {  // see BindUnsigned
    return static_cast<std::uint64_t>(ColumnInt(column));
  }
  double ColumnDouble(int column) const { return impl_->ColumnDouble(column); }
  std::string ColumnText(int column) const { return impl_->ColumnText(column); }
  std::string ColumnBlob(int column) const { return impl_->ColumnBlob(column); }
  bool ColumnIsNull(int column) const { return impl_->ColumnIsNull(column); }

 private:
  std::unique_ptr<StatementImpl> impl_;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Engine engine() const = 0;

  // Runs one or more statements that take no parameters and return no rows,
  // as written.
  virtual void Exec(std::string_view sql) = 0;
  // Runs table and index definitions written with SQLite's column types
  // (INTEGER, REAL, TEXT, BLOB, INTEGER PRIMARY KEY, WITHOUT ROWID): as they
  // are on SQLite, in the engine's own types elsewhere (database/
  // postgres_dialect.h).
  virtual void ExecSchema(std::string_view ddl) = 0;
  // Makes `table` append-only: any UPDATE or DELETE of its rows fails with
  // `message` and changes nothing. Idempotent.
  virtual void ForbidChanges(std::string_view table, std::string_view message) = 0;

  // Prepares one statement whose parameters are written `?` or `?N`.
  virtual Statement Prepare(std::string_view sql) = 0;

  // True when `table` has a column named `column` (for migrations that add one).
  virtual bool HasColumn(std::string_view table, std::string_view column) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE run.
  virtual int Changes() const = 0;
  // Whether this connection leads the work named by `key` among every
  // process on the store (the findings publisher runs on one instance at a
  // time): the first to ask leads until its connection ends. Always true on
  // SQLite, whose store one `serve` process holds.
  virtual bool TryLead(std::int32_t key) = 0;
  // Gives back space a large transaction took (SQLite's write-ahead log);
  // nothing to do elsewhere.
  virtual void ReleaseSpace() = 0;

  // The transactions' steps: use Transaction and ReadTransaction instead.
  // A write transaction waits for every other writer of the store, in any
  // process, to finish: writers are serialised, as SQLite's are, so changes
  // are numbered in the order they commit (the change feed relies on it).
  virtual void BeginWrite() = 0;
  virtual void BeginRead() = 0;
  virtual void Commit() = 0;
  // Never throws: when it fails the connection is unusable, and its next
  // statement says why.
  virtual void Rollback() noexcept = 0;
};

// BeginWrite on construction; rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& db) : db_(db) { db_.BeginWrite(); }
  ~Transaction() {
    if (!done_) db_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit() {
    db_.Commit();
    done_ = true;
  }

 private:
  Connection& db_;
  bool done_ = false;
};

// A read of one moment: statements inside see the same state of the store.
// Nothing may be written inside one.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& db) : db_(db) { db_.BeginRead(); }
  ~ReadTransaction() { db_.Rollback(); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& db_;
};

}  // namespace tributary::server::db
