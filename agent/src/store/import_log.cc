#include "store/import_log.h"

namespace tributary::agent {

void ImportLog::CreateSchema(sqlite::Database& db) {
  db.Exec(R"sql(
-- Every file imported, by content hash, so a re-import is a no-op.
CREATE TABLE IF NOT EXISTS imports (
  content_sha256 TEXT PRIMARY KEY,
  file_name      TEXT NOT NULL,
  dataset        TEXT NOT NULL,
  rows           INTEGER NOT NULL,
  upserts        INTEGER NOT NULL,
  deletes        INTEGER NOT NULL,
  imported_at    TEXT NOT NULL
) WITHOUT ROWID;
)sql");
}

bool ImportLog::Contains(const std::string& sha256) {
  auto stmt = db_.Prepare("SELECT 1 FROM imports WHERE content_sha256 = ?");
  stmt.Bind(1, sha256);
  return stmt.Step();
}

void ImportLog::Add(const std::string& sha256, const std::string& file_name,
                    const std::string& dataset, std::size_t rows, std::size_t upserts,
                    std::size_t deletes, const std::string& imported_at) {
  auto log = db_.Prepare(
      "INSERT OR IGNORE INTO imports (content_sha256, file_name, dataset, rows, upserts, deletes, "
      "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  log.Bind(1, sha256).Bind(2, file_name).Bind(3, dataset).BindUnsigned(4, rows);
  log.BindUnsigned(5, upserts).BindUnsigned(6, deletes).Bind(7, imported_at);
  log.Run();
}

}  // namespace tributary::agent
