// The people who use the API, inside the server's store: their role, scope
// and the hash of their token, when it expires and whether it was revoked.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase), also for a stored role it cannot read: a
// guessed role could grant more than was given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"
#include "users/user.h"

namespace tributary::server {

class UserStore {
 public:
  // `db` must outlive the store.
  explicit UserStore(db::Connection& db) : db_(db) {}

  // Creates the table, or adds the expiry a store made before it lacks:
  // existing tokens then expire 90 days after `now_ms`.
  static void CreateSchema(db::Connection& db, std::int64_t now_ms);

  // `user.expires_at_ms` 0: the token never expires.
  void Add(const User& user, const std::string& token_hash, std::int64_t now_ms);
  // The token's user unless it is revoked or expired at `now_ms`.
  std::optional<User> FindByTokenHash(const std::string& token_hash, std::int64_t now_ms);
  // Every user ever added, by scope, role and name.
  std::vector<User> All();
  // False when there is no such user with access left to revoke.
  bool Revoke(const std::string& user_id, std::int64_t now_ms);

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
