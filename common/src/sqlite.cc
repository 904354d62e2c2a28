#include "tributary/common/sqlite.h"

#include "tributary/common/error.h"
#include "tributary/common/platform_file.h"

namespace tributary::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 30'000;

std::string Describe(sqlite3* db, std::string_view what) {
  return std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

constexpr std::string_view::size_type npos = std::string_view::npos;

// Makes an empty file 0600 (the umask aside) when there is none, so the
// store and the files SQLite makes beside it are the owner's alone.
void CreateOwnerOnly(const std::filesystem::path& path) {
  platform::File::CreateOwnerOnly(path, /*exclusive=*/true);  // nullopt: already there
}

}  // namespace

Database Database::Open(const std::filesystem::path& path, std::string_view key_hex) {
  if (!key_hex.empty() &&
      (key_hex.size() != 64 || key_hex.find_first_not_of("0123456789abcdefABCDEF") != npos)) {
    throw Error::InvalidArgument("a store key is 64 hex characters");
  }
  CreateOwnerOnly(path);
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(platform::Utf8(path).c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);  // owns the handle even when open failed
  if (rc != SQLITE_OK) {
    throw Error::Database(Describe(raw, "cannot open database " + path.string()));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (!key_hex.empty()) {
    // The key first: nothing is read before it. A wrong key shows as the
    // first read failing.
    db.Exec("PRAGMA key = \"x'" + std::string(key_hex) + "'\";");
    int read = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if ((read & 0xff) == SQLITE_NOTADB) {
      throw Error::Database("cannot read " + path.string() +
                            ": it is not encrypted with this store key (a wrong key, a plain "
                            "file, or not a store)");
    }
    if (read != SQLITE_OK) throw Error::Database(Describe(raw, "cannot read " + path.string()));
  }
  db.Exec(
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON;");
  return db;
}

void Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errmsg(db_.get());
    sqlite3_free(message);
    throw Error::Database("SQL failed (" + detail + "): " + text.substr(0, 120));
  }
}

Statement Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw Error::Database(
        Describe(db_.get(), "cannot prepare: " + std::string(sql.substr(0, 120))));
  }
  return Statement(db_.get(), stmt);
}

bool Database::HasColumn(std::string_view table, std::string_view column) {
  Statement stmt = Prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  stmt.Bind(1, table).Bind(2, column);
  return stmt.Step();
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }

int Database::Changes() const { return sqlite3_changes(db_.get()); }

void Statement::Check(int rc, std::string_view what) const {
  if (rc != SQLITE_OK) {
    throw Error::Database(Describe(db_, std::string(what) + " in: " + sqlite3_sql(stmt_.get())));
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  Check(sqlite3_bind_int64(stmt_.get(), index, value), "bind");
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  Check(sqlite3_bind_double(stmt_.get(), index, value), "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  Check(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8),
        "bind");
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  Check(sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
        "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  Check(sqlite3_bind_null(stmt_.get(), index), "bind");
  return *this;
}

Statement& Statement::BindUnsigned(int index, std::uint64_t value) {
  return Bind(index, static_cast<std::int64_t>(value));
}

std::uint64_t Statement::ColumnUnsigned(int column) const {
  return static_cast<std::uint64_t>(ColumnInt(column));
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw Error::Database(Describe(db_, std::string("step in: ") + sqlite3_sql(stmt_.get())));
}

void Statement::Run() {
  Step();
  Reset();
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

std::string Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_.get(), column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    // Best effort: if ROLLBACK itself fails the connection is already unusable
    // and the next statement on it will report why.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

ReadTransaction::ReadTransaction(Database& db) : db_(db) { db_.Exec("BEGIN"); }

ReadTransaction::~ReadTransaction() {
  // Nothing was written, so ending the transaction cannot lose anything; if
  // it fails the connection is unusable and its next statement says why.
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace tributary::sqlite
