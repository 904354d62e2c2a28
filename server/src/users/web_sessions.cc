#include "users/web_sessions.h"

namespace tributary::server {

void WebSessions::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
CREATE TABLE IF NOT EXISTS web_sessions (
  id_sha256    TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL,
  csrf         TEXT NOT NULL,
  opened_ms    INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS web_sessions_by_opened ON web_sessions (opened_ms);
)sql");
}

void WebSessions::Add(const StoredSession& s) {
  auto stmt = db_.Prepare(
      "INSERT INTO web_sessions (id_sha256, token_hash, csrf, opened_ms, last_used_ms) "
      "VALUES (?, ?, ?, ?, ?)");
  stmt.Bind(1, s.id_sha256).Bind(2, s.token_hash).Bind(3, s.csrf);
  stmt.Bind(4, s.opened_ms).Bind(5, s.last_used_ms);
  stmt.Run();
}

std::optional<StoredSession> WebSessions::Find(const std::string& id_sha256) {
  auto stmt = db_.Prepare(
      "SELECT token_hash, csrf, opened_ms, last_used_ms FROM web_sessions WHERE id_sha256 = ?");
  stmt.Bind(1, id_sha256);
  if (!stmt.Step()) return std::nullopt;
  return StoredSession{id_sha256, stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2),
                       stmt.ColumnInt(3)};
}

void WebSessions::Touch(const std::string& id_sha256, std::int64_t now_ms) {
  auto stmt = db_.Prepare(
      "UPDATE web_sessions SET last_used_ms = ? WHERE id_sha256 = ? AND last_used_ms < ?");
  stmt.Bind(1, now_ms).Bind(2, id_sha256).Bind(3, now_ms);
  stmt.Run();
}

void WebSessions::Remove(const std::string& id_sha256) {
  auto stmt = db_.Prepare("DELETE FROM web_sessions WHERE id_sha256 = ?");
  stmt.Bind(1, id_sha256);
  stmt.Run();
}

void WebSessions::RemoveExpired(std::int64_t idle_before_ms, std::int64_t opened_before_ms) {
  auto stmt = db_.Prepare("DELETE FROM web_sessions WHERE last_used_ms < ? OR opened_ms < ?");
  stmt.Bind(1, idle_before_ms).Bind(2, opened_before_ms);
  stmt.Run();
}

void WebSessions::KeepNewest(std::size_t keep) {
  std::size_t count = Count();
  if (count <= keep) return;
  auto stmt = db_.Prepare(
      "DELETE FROM web_sessions WHERE id_sha256 IN (SELECT id_sha256 FROM web_sessions "
      "ORDER BY opened_ms, id_sha256 LIMIT ?)");
  stmt.Bind(1, static_cast<std::int64_t>(count - keep));
  stmt.Run();
}

std::size_t WebSessions::Count() {
  auto stmt = db_.Prepare("SELECT count(*) FROM web_sessions");
  stmt.Step();
  return static_cast<std::size_t>(stmt.ColumnInt(0));
}

}  // namespace tributary::server
