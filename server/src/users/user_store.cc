#include "users/user_store.h"

#include <limits>

#include "tributary/common/error.h"

namespace tributary::server {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kUpgradeLifetimeMs = 90LL * 24 * 3600 * 1000;

constexpr const char* kColumns =
    "user_id, name, role, scope, created_at_ms, expires_at_ms, coalesce(revoked_at_ms, 0)";

User ReadUser(db::Statement& stmt) {
  User u;
  u.user_id = stmt.ColumnText(0);
  u.name = stmt.ColumnText(1);
  u.role = StoredRole(stmt.ColumnText(2), "user " + u.user_id);
  u.scope = stmt.ColumnText(3);
  u.created_at_ms = stmt.ColumnInt(4);
  u.expires_at_ms = stmt.ColumnInt(5);
  u.revoked_at_ms = stmt.ColumnInt(6);
  return u;
}

}  // namespace

void UserStore::CreateSchema(db::Connection& db, std::int64_t now_ms) {
  bool had_users = db.HasColumn("users", "user_id");
  if (had_users && !db.HasColumn("users", "expires_at_ms")) {
    db.ExecSchema(
        "ALTER TABLE users ADD COLUMN expires_at_ms INTEGER NOT NULL "
        "DEFAULT 9223372036854775807");
    auto expire = db.Prepare("UPDATE users SET expires_at_ms = ?");
    expire.Bind(1, now_ms + kUpgradeLifetimeMs);
    expire.Run();
  }
  db.ExecSchema(R"sql(
-- People who use the API. Tokens are stored as SHA-256 hashes only.
CREATE TABLE IF NOT EXISTS users (
  user_id       TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  scope         TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER,
  expires_at_ms INTEGER NOT NULL DEFAULT 9223372036854775807
) WITHOUT ROWID;
)sql");
}

void UserStore::Add(const User& user, const std::string& token_hash, std::int64_t now_ms) {
  auto insert = db_.Prepare(
      "INSERT INTO users (user_id, name, role, scope, token_hash, created_at_ms, expires_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, user.user_id).Bind(2, user.name).Bind(3, RoleName(user.role));
  insert.Bind(4, user.scope).Bind(5, token_hash).Bind(6, now_ms);
  insert.Bind(7, user.expires_at_ms > 0 ? user.expires_at_ms : kNever);
  insert.Run();
}

std::optional<User> UserStore::FindByTokenHash(const std::string& token_hash, std::int64_t now_ms) {
  auto stmt = db_.Prepare(std::string("SELECT ") + kColumns +
                          " FROM users WHERE token_hash = ? AND revoked_at_ms IS NULL "
                          "AND expires_at_ms > ?");
  stmt.Bind(1, token_hash).Bind(2, now_ms);
  if (!stmt.Step()) return std::nullopt;
  return ReadUser(stmt);
}

std::vector<User> UserStore::All() {
  auto stmt = db_.Prepare(std::string("SELECT ") + kColumns +
                          " FROM users ORDER BY scope, role, name, created_at_ms");
  std::vector<User> users;
  while (stmt.Step()) users.push_back(ReadUser(stmt));
  return users;
}

bool UserStore::Revoke(const std::string& user_id, std::int64_t now_ms) {
  auto revoke =
      db_.Prepare("UPDATE users SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL");
  revoke.Bind(1, now_ms).Bind(2, user_id);
  revoke.Run();
  return db_.Changes() > 0;
}

}  // namespace tributary::server
