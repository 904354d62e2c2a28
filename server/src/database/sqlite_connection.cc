#include "database/sqlite_connection.h"

#include <string>

namespace tributary::server::db {
namespace {

class SqliteStatement final : public StatementImpl {
 public:
  explicit SqliteStatement(sqlite::Statement stmt) : stmt_(std::move(stmt)) {}
  void Bind(int index, std::int64_t value) override { stmt_.Bind(index, value); }
  void Bind(int index, double value) override { stmt_.Bind(index, value); }
  void Bind(int index, std::string_view value) override { stmt_.Bind(index, value); }
  void BindBlob(int index, std::string_view bytes) override { stmt_.BindBlob(index, bytes); }
  void BindNull(int index) override { stmt_.BindNull(index); }
  bool Step() override { return stmt_.Step(); }
  void Reset() override { stmt_.Reset(); }
  std::int64_t ColumnInt(int column) const override { return stmt_.ColumnInt(column); }
  double ColumnDouble(int column) const override { return stmt_.ColumnDouble(column); }
  std::string ColumnText(int column) const override { return stmt_.ColumnText(column); }
  std::string ColumnBlob(int column) const override { return stmt_.ColumnBlob(column); }
  bool ColumnIsNull(int column) const override { return stmt_.ColumnIsNull(column); }

 private:
  sqlite::Statement stmt_;
};

}  // namespace

SqliteConnection::SqliteConnection(const std::filesystem::path& path, int cache_kib)
    : db_(sqlite::Database::Open(path)) {
  db_.Exec("PRAGMA cache_size = -" + std::to_string(cache_kib));
}

void SqliteConnection::ForbidChanges(std::string_view table, std::string_view message) {
  std::string name(table);
  std::string raise = " BEGIN SELECT RAISE(ABORT, '" + std::string(message) + "'); END;";
  db_.Exec("CREATE TRIGGER IF NOT EXISTS " + name + "_no_update BEFORE UPDATE ON " + name + raise +
           "CREATE TRIGGER IF NOT EXISTS " + name + "_no_delete BEFORE DELETE ON " + name + raise);
}

Statement SqliteConnection::Prepare(std::string_view sql) {
  return Statement(std::make_unique<SqliteStatement>(db_.Prepare(sql)));
}

void SqliteConnection::Rollback() noexcept {
  // If ROLLBACK itself fails the connection is already unusable and the
  // next statement on it will report why.
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace tributary::server::db
