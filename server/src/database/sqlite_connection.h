// The embedded engine: the store's SQLite file (tributary/common/sqlite.h),
// in WAL mode with synchronous=FULL, so a commit that returned is on disk.
#pragma once

#include <filesystem>

#include "database/connection.h"
#include "tributary/common/sqlite.h"

namespace tributary::server::db {

class SqliteConnection final : public Connection {
 public:
  // Opens or creates the file at `path` with a page cache of `cache_kib`
  // KiB. Throws Error(kDatabase).
  SqliteConnection(const std::filesystem::path& path, int cache_kib);

  Engine engine() const override { return Engine::kSqlite; }
  void Exec(std::string_view sql) override { db_.Exec(sql); }
  void ExecSchema(std::string_view ddl) override { db_.Exec(ddl); }
  void ForbidChanges(std::string_view table, std::string_view message) override;
  Statement Prepare(std::string_view sql) override;
  bool HasColumn(std::string_view table, std::string_view column) override {
    return db_.HasColumn(table, column);
  }
  int Changes() const override { return db_.Changes(); }
  bool TryLead(std::int32_t) override { return true; }
  void ReleaseSpace() override { db_.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

  // BEGIN IMMEDIATE, so writers queue on the busy timeout instead of failing
  // at COMMIT; a reading is a deferred BEGIN.
  void BeginWrite() override { db_.Exec("BEGIN IMMEDIATE"); }
  void BeginRead() override { db_.Exec("BEGIN"); }
  void Commit() override { db_.Exec("COMMIT"); }
  void Rollback() noexcept override;

 private:
  sqlite::Database db_;
};

}  // namespace tributary::server::db
