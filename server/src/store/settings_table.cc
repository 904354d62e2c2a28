#include "store/settings_table.h"

namespace tributary::server {

void CreateSettingsTable(db::Connection& db) {
  db.ExecSchema(
      "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) "
      "WITHOUT ROWID");
}

std::optional<std::string> ReadSetting(db::Connection& db, const std::string& key) {
  auto stmt = db.Prepare("SELECT value FROM settings WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void WriteSetting(db::Connection& db, const std::string& key, const std::string& value) {
  auto stmt = db.Prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

std::string ClaimSetting(db::Connection& db, const std::string& key, const std::string& value) {
  auto claim =
      db.Prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
  claim.Bind(1, key).Bind(2, value);
  claim.Run();
  return ReadSetting(db, key).value_or("");
}

}  // namespace tributary::server
