// The PostgreSQL engine (libpq): the store's tables in a PostgreSQL
// database, shared by any number of `serve` processes (docs/operations.md,
// "PostgreSQL").
//
// Statements are prepared once per connection and kept (database/
// postgres_dialect.h turns the store's SQL into PostgreSQL's); parameters
// and rows travel as text. A statement's rows are read whole when it runs.
//
// Transactions: a write transaction takes the store's writer lock
// (pg_advisory_xact_lock) before anything else, so writers in every process
// are serialised as SQLite's are: each sees every change committed before
// it, and change-log numbers are given in commit order. A reading is one
// REPEATABLE READ, READ ONLY snapshot.
//
// A lost connection (the server restarted, the network went) fails the
// statement in hand with Error(kUnavailable); the next statement outside a
// transaction connects again. Each session is set up for what the store
// relies on (synchronous commits, hex bytea, exact doubles, UTF-8) whatever
// the server's defaults, and gives up waiting for the writer lock after a
// minute (kUnavailable) rather than stop every writer.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "database/connection.h"

namespace tributary::server::db {

// The store's advisory locks are keyed (schema, key): several stores in
// one database, each in its own schema, do not wait for each other. The
// writer lock's key; the leaders' are store/server_store.h's.
inline constexpr std::int32_t kWriterLockKey = 1;

class PostgresConnection final : public Connection {
 public:
  // Connects with a libpq connection string or postgresql:// URL. Throws
  // Error(kUnavailable) when the server cannot be reached, naming it (never
  // its password).
  explicit PostgresConnection(const std::string& conninfo);

  Engine engine() const override { return Engine::kPostgres; }
  void Exec(std::string_view sql) override;
  void ExecSchema(std::string_view ddl) override;
  void ForbidChanges(std::string_view table, std::string_view message) override;
  Statement Prepare(std::string_view sql) override;
  bool HasColumn(std::string_view table, std::string_view column) override;
  int Changes() const override { return changes_; }
  // pg_try_advisory_lock, held for the session: a lost connection (or a
  // killed process) lets another instance lead.
  bool TryLead(std::int32_t key) override;
  void ReleaseSpace() override {}
  void BeginWrite() override;
  void BeginRead() override;
  void Commit() override;
  void Rollback() noexcept override;

  // Runs a prepared statement (database/postgres_connection.cc's statements).
  struct ResultCloser {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, ResultCloser>;
  Result Execute(const std::string& name, const std::string& sql, int parameters,
                 const char* const* values, const int* lengths);

 private:
  struct Closer {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  // BEGINs with `sql`, rolling back if any of it fails.
  void Begin(const std::string& sql);
  // Connects again when the connection was lost and no transaction is open.
  void EnsureConnected();
  // Throws unless `result` succeeded; `what` names the statement.
  Result Check(PGresult* result, std::string_view what);

  std::unique_ptr<PGconn, Closer> conn_;
  std::string where_;                                      // host, port and database, for messages
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::set<std::int32_t> leading_;                         // advisory locks this session holds
  int changes_ = 0;
  std::uint64_t statements_prepared_ = 0;  // names statements: never reused
  bool in_transaction_ = false;
  bool reconnect_ = false;  // connected to a read-only server: connect again
};

}  // namespace tributary::server::db
