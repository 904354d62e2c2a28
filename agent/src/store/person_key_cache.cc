#include "store/person_key_cache.h"

namespace tributary::agent {

void PersonKeyCache::CreateSchema(sqlite::Database& db) {
  db.Exec(
      "CREATE TABLE IF NOT EXISTS person_keys ("
      " identity TEXT PRIMARY KEY, person_key TEXT NOT NULL) WITHOUT ROWID");
}

std::map<std::string, std::string> PersonKeyCache::Find(
    const std::vector<std::string>& identities) {
  std::map<std::string, std::string> found;
  auto stmt = db_.Prepare("SELECT person_key FROM person_keys WHERE identity = ?");
  for (const std::string& identity : identities) {
    stmt.Reset();
    stmt.Bind(1, identity);
    if (stmt.Step()) found[identity] = stmt.ColumnText(0);
  }
  return found;
}

void PersonKeyCache::Remember(const std::map<std::string, std::string>& key_by_identity) {
  auto stmt = db_.Prepare(
      "INSERT INTO person_keys (identity, person_key) VALUES (?, ?) "
      "ON CONFLICT (identity) DO UPDATE SET person_key = excluded.person_key");
  for (const auto& [identity, key] : key_by_identity) {
    stmt.Reset();
    stmt.Bind(1, identity).Bind(2, key);
    stmt.Run();
  }
}

}  // namespace tributary::agent
