// The web dashboard's sign-in sessions inside the server's store, so every
// `serve` instance on one store knows every session (a balancer needs no
// sticky sessions) and a restart signs nobody out. Keyed by the SHA-256 of
// the session id: the id itself, the cookie's value, is never stored, so
// reading the store does not let anyone sign in. The policy (idle time,
// lifetime, how many) is users/session_book.h's.
//
// Works on the caller's connection inside the caller's transaction; not
// thread-safe on its own (ServerStore serialises it). Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "database/connection.h"

namespace tributary::server {

struct StoredSession {
  std::string id_sha256;   // SHA-256 hex of the session id
  std::string token_hash;  // SHA-256 hex of the access token signed in with
  std::string csrf;
  std::int64_t opened_ms = 0;
  std::int64_t last_used_ms = 0;
};

class WebSessions {
 public:
  static void CreateSchema(db::Connection& db);

  explicit WebSessions(db::Connection& db) : db_(db) {}

  void Add(const StoredSession& session);
  std::optional<StoredSession> Find(const std::string& id_sha256);
  void Touch(const std::string& id_sha256, std::int64_t now_ms);
  void Remove(const std::string& id_sha256);
  // Removes sessions last used before `idle_before_ms` or opened before
  // `opened_before_ms`.
  void RemoveExpired(std::int64_t idle_before_ms, std::int64_t opened_before_ms);
  // Removes the longest-open sessions until at most `keep` remain.
  void KeepNewest(std::size_t keep);
  std::size_t Count();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
