#include "database/postgres_connection.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "database/postgres_dialect.h"
#include "tributary/common/error.h"

namespace tributary::server::db {
namespace {

// Prepared statements kept per connection before they are all let go: the
// store's statements are a few hundred texts, so this is only reached by a
// statement built with values in its text.
constexpr std::size_t kMaxPrepared = 2000;

std::string Head(std::string_view sql) {
  std::string head(sql.substr(0, 120));
  for (char& c : head) {
    if (c == '\n') c = ' ';
  }
  return head;
}

char HexDigit(unsigned value) { return "0123456789abcdef"[value & 0xF]; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class PostgresStatementImpl final : public StatementImpl {
 public:
  PostgresStatementImpl(PostgresConnection& conn, std::string name, std::string sql, int parameters)
      : conn_(conn),
        name_(std::move(name)),
        sql_(std::move(sql)),
        values_(static_cast<std::size_t>(parameters)) {}

  void Bind(int index, std::int64_t value) override { Set(index, std::to_string(value)); }
  void Bind(int index, double value) override {
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, value);  // shortest exact
    Set(index, std::string(text, end));
  }
  void Bind(int index, std::string_view value) override { Set(index, std::string(value)); }
  void BindBlob(int index, std::string_view bytes) override {
    std::string text = "\\x";
    text.reserve(2 + 2 * bytes.size());
    for (char c : bytes) {
      auto byte = static_cast<unsigned char>(c);
      text += HexDigit(byte >> 4u);
      text += HexDigit(byte);
    }
    Set(index, std::move(text));
  }
  void BindNull(int index) override { Slot(index).reset(); }

  bool Step() override {
    if (!result_) {
      std::vector<const char*> values;
      std::vector<int> lengths;
      values.reserve(values_.size());
      lengths.reserve(values_.size());
      for (const auto& v : values_) {
        values.push_back(v ? v->c_str() : nullptr);
        lengths.push_back(v ? static_cast<int>(v->size()) : 0);
      }
      result_ = conn_.Execute(name_, sql_, static_cast<int>(values.size()), values.data(),
                              lengths.data());
      rows_ = PQntuples(result_.get());
      row_ = -1;
    }
    if (++row_ < rows_) return true;
    result_.reset();  // the next Step runs it again, as SQLite's does
    return false;
  }
  void Reset() override {
    result_.reset();
    for (auto& v : values_) v.reset();
  }

  std::int64_t ColumnInt(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return 0;
    if (text[0] == 't' && text[1] == '\0') return 1;  // a boolean
    if (text[0] == 'f' && text[1] == '\0') return 0;
    std::int64_t value = 0;
    const char* end = text + std::char_traits<char>::length(text);
    auto [at, ec] = std::from_chars(text, end, value);
    if (ec != std::errc() || at != end) {
      throw Error::Database("column " + std::to_string(column) + " is not an integer ('" +
                            std::string(text) + "') in: " + Head(sql_));
    }
    return value;
  }
  double ColumnDouble(int column) const override {
    const char* text = Value(column);
    return text == nullptr ? 0.0 : std::strtod(text, nullptr);
  }
  std::string ColumnText(int column) const override {
    const char* text = Value(column);
    return text == nullptr
               ? std::string()
               : std::string(text,
                             static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
  }
  std::string ColumnBlob(int column) const override {
    std::string text = ColumnText(column);
    if (PQftype(result_.get(), column) != kByteaOid) return text;
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
      throw Error::Corruption("a BYTEA value does not read back as hex in: " + Head(sql_));
    }
    std::string bytes;
    bytes.reserve(text.size() / 2 - 1);
    for (std::size_t i = 2; i < text.size(); i += 2) {
      int high = HexValue(text[i]);
      int low = HexValue(text[i + 1]);
      if (high < 0 || low < 0) {
        throw Error::Corruption("a BYTEA value does not read back as hex in: " + Head(sql_));
      }
      bytes += static_cast<char>(high << 4 | low);
    }
    return bytes;
  }
  bool ColumnIsNull(int column) const override { return Value(column) == nullptr; }

 private:
  static constexpr Oid kByteaOid = 17;

  std::optional<std::string>& Slot(int index) {
    if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
      throw Error::Database("parameter " + std::to_string(index) +
                            " out of range in: " + Head(sql_));
    }
    result_.reset();
    return values_[static_cast<std::size_t>(index - 1)];
  }
  void Set(int index, std::string value) { Slot(index) = std::move(value); }
  // The current row's column as text; nullptr for NULL.
  const char* Value(int column) const {
    if (!result_ || row_ < 0 || row_ >= rows_ || column < 0 || column >= PQnfields(result_.get())) {
      throw Error::Database("no column " + std::to_string(column) + " to read in: " + Head(sql_));
    }
    if (PQgetisnull(result_.get(), row_, column)) return nullptr;
    return PQgetvalue(result_.get(), row_, column);
  }

  PostgresConnection& conn_;
  std::string name_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  PostgresConnection::Result result_;
  int rows_ = 0;
  int row_ = -1;
};

// Notices (CREATE ... IF NOT EXISTS skipping one that is there) are not
// errors and not the operator's business.
void IgnoreNotice(void*, const char*) {}

}  // namespace

// What the store relies on of every session, whatever the server's, the
// database's or the role's defaults: commits on disk before they return,
// bytea as hex, doubles to the last digit, UTF-8; a writer that waits for
// the writer lock longer than a minute, or a session left in a transaction
// by a client that vanished, gives up instead of stopping every writer.
// Statements are prepared once per connection, often while the store is
// still small; a generic plan chosen then (an index on a key's first columns
// only, say) would be kept as the tables grow a thousandfold before
// autovacuum's next ANALYZE. Each execution is planned for its own values
// and the tables' current size instead (a few microseconds each).
constexpr const char* kSessionSettings =
    "SET client_min_messages = warning; SET synchronous_commit = on; "
    "SET bytea_output = hex; SET extra_float_digits = 3; SET client_encoding = 'UTF8'; "
    "SET lock_timeout = '60s'; SET idle_in_transaction_session_timeout = '300s'; "
    "SET plan_cache_mode = force_custom_plan";

PGconn* Connect(const std::string& conninfo) {
  // Defaults first: the URL's own parameters, expanded after them, win.
  const char* keywords[] = {"connect_timeout",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "target_session_attrs",
                            "dbname",
                            nullptr};
  const char* values[] = {"10", "30", "10", "3", "read-write", conninfo.c_str(), nullptr};
  return PQconnectdbParams(keywords, values, 1);
}

PostgresConnection::PostgresConnection(const std::string& conninfo) : conn_(Connect(conninfo)) {
  if (!conn_) throw Error::Unavailable("cannot connect to PostgreSQL: out of memory");
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  const char* name = PQdb(conn_.get());
  where_ = std::string("PostgreSQL at ") + (host ? host : "?") + ":" + (port ? port : "?") +
           ", database " + (name ? name : "?");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw Error::Unavailable("cannot connect to " + where_ + ": " +
                             Head(PQerrorMessage(conn_.get())));
  }
  PQsetNoticeProcessor(conn_.get(), IgnoreNotice, nullptr);
  Exec(kSessionSettings);
}

PostgresConnection::Result PostgresConnection::Check(PGresult* raw, std::string_view what) {
  Result result(raw);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    const char* tuples = PQcmdTuples(result.get());
    changes_ = tuples && *tuples ? std::atoi(tuples) : 0;
    return result;
  }
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result.get()) : "";
  if (message.empty()) message = PQerrorMessage(conn_.get());
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  std::string sqlstate = state ? state : "";
  // The connection lost; 08: connection exceptions; 57P: the server is
  // shutting down or starting; 55P03, 57014: the writer lock not had in
  // time (lock_timeout); 25006: a read-only server (a standby). The
  // transaction, if any, is ended by Rollback or by the server.
  if (PQstatus(conn_.get()) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
      sqlstate.rfind("57P", 0) == 0 || sqlstate == "55P03" || sqlstate == "57014" ||
      sqlstate == "25006") {
    if (sqlstate == "25006") reconnect_ = true;  // to the primary (target_session_attrs)
    throw Error::Unavailable(where_ + " cannot be used (" + message + "): " + Head(what));
  }
  throw Error::Database("SQL failed (" + message + ", SQLSTATE " + sqlstate + "): " + Head(what));
}

void PostgresConnection::EnsureConnected() {
  if (in_transaction_ || (PQstatus(conn_.get()) == CONNECTION_OK && !reconnect_)) return;
  reconnect_ = false;
  PQreset(conn_.get());
  prepared_.clear();
  leading_.clear();  // a new session holds no lock
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw Error::Unavailable("cannot connect to " + where_ + ": " +
                             Head(PQerrorMessage(conn_.get())));
  }
  Exec(kSessionSettings);
}

void PostgresConnection::Exec(std::string_view sql) {
  EnsureConnected();
  std::string text(sql);
  Check(PQexec(conn_.get(), text.c_str()), text);
}

void PostgresConnection::ExecSchema(std::string_view ddl) { Exec(PostgresSchema(ddl)); }

void PostgresConnection::ForbidChanges(std::string_view table, std::string_view message) {
  std::string quoted;
  for (char c : message) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  std::string name(table);
  Exec(
      "CREATE OR REPLACE FUNCTION tributary_forbid_change() RETURNS trigger LANGUAGE plpgsql "
      "AS $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;"
      "CREATE OR REPLACE TRIGGER " +
      name + "_no_change BEFORE UPDATE OR DELETE ON " + name +
      " FOR EACH ROW EXECUTE FUNCTION tributary_forbid_change('" + quoted +
      "');"
      "CREATE OR REPLACE TRIGGER " +
      name + "_no_truncate BEFORE TRUNCATE ON " + name +
      " FOR EACH STATEMENT EXECUTE FUNCTION tributary_forbid_change('" + quoted + "');");
}

Statement PostgresConnection::Prepare(std::string_view sql) {
  EnsureConnected();
  TranslatedStatement translated = PostgresStatement(sql);
  auto found = prepared_.find(translated.sql);
  if (found == prepared_.end()) {
    if (prepared_.size() >= kMaxPrepared) {
      Exec("DEALLOCATE ALL");
      prepared_.clear();
    }
    // Never a name used before: a statement still held keeps its own.
    std::string name = "t" + std::to_string(++statements_prepared_);
    Check(PQprepare(conn_.get(), name.c_str(), translated.sql.c_str(), translated.parameters,
                    nullptr),
          translated.sql);
    found = prepared_.emplace(translated.sql, name).first;
  }
  return Statement(std::make_unique<PostgresStatementImpl>(*this, found->second, found->first,
                                                           translated.parameters));
}

PostgresConnection::Result PostgresConnection::Execute(const std::string& name,
                                                       const std::string& sql, int parameters,
                                                       const char* const* values,
                                                       const int* lengths) {
  // With lengths, text holding a NUL byte is refused by the server rather
  // than cut short at it.
  return Check(PQexecPrepared(conn_.get(), name.c_str(), parameters, values, lengths, nullptr, 0),
               sql);
}

bool PostgresConnection::TryLead(std::int32_t key) {
  EnsureConnected();
  if (PQstatus(conn_.get()) == CONNECTION_OK && leading_.count(key) > 0) return true;
  Statement stmt = Prepare("SELECT pg_try_advisory_lock(hashtext(current_schema()), ?)");
  stmt.Bind(1, static_cast<std::int64_t>(key));
  if (!stmt.Step() || stmt.ColumnInt(0) == 0) return false;
  leading_.insert(key);
  return true;
}

bool PostgresConnection::HasColumn(std::string_view table, std::string_view column) {
  Statement stmt = Prepare(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = ? AND column_name = ?");
  stmt.Bind(1, table).Bind(2, column);
  return stmt.Step();
}

// The transaction's state is the server's (PQtransactionStatus), never a
// guess kept beside it: a statement that failed inside a transaction leaves
// it aborted, not ended.
void PostgresConnection::Begin(const std::string& sql) {
  EnsureConnected();
  // A transaction left open would take this one's statements into it.
  if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) Rollback();
  in_transaction_ = true;
  try {
    Check(PQexec(conn_.get(), sql.c_str()), sql);
  } catch (...) {
    Rollback();
    throw;
  }
}

// Writers of this store, whichever its schema in the database: the lock is
// keyed by the schema as well.
void PostgresConnection::BeginWrite() {
  Begin("BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_schema()), " +
        std::to_string(kWriterLockKey) + ")");
}

void PostgresConnection::BeginRead() { Begin("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); }

// Never connects again first: a COMMIT on a new connection would commit
// nothing and say so with success.
void PostgresConnection::Commit() {
  PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  if (status != PQTRANS_INTRANS) {
    Rollback();
    throw Error::Database(
        std::string("the transaction was ") +
        (status == PQTRANS_INERROR ? "aborted by a failed statement" : "not open") +
        ", so nothing was committed, on " + where_);
  }
  in_transaction_ = false;
  Result result = Check(PQexec(conn_.get(), "COMMIT"), "COMMIT");
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    throw Error::Database("the transaction was rolled back, not committed, on " + where_);
  }
}

void PostgresConnection::Rollback() noexcept {
  in_transaction_ = false;
  if (PQstatus(conn_.get()) != CONNECTION_OK) return;  // the server ends it
  if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return;
  PQclear(PQexec(conn_.get(), "ROLLBACK"));
}

}  // namespace tributary::server::db
