// The store's side of the web dashboard's sign-in sessions
// (users/web_sessions.h; the policy is web/session_book.h's).
#include "users/web_sessions.h"

#include "store/server_store.h"

namespace tributary::server {

void ServerStore::AddWebSession(const StoredSession& session, std::int64_t idle_before_ms,
                                std::int64_t opened_before_ms, std::size_t max_sessions) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  WebSessions sessions(db_);
  sessions.RemoveExpired(idle_before_ms, opened_before_ms);
  sessions.KeepNewest(max_sessions > 0 ? max_sessions - 1 : 0);
  sessions.Add(session);
  txn.Commit();
}

std::optional<StoredSession> ServerStore::FindWebSession(const std::string& id_sha256) {
  std::lock_guard lock(mutex_);
  return WebSessions(db_).Find(id_sha256);
}

void ServerStore::TouchWebSession(const std::string& id_sha256, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  WebSessions(db_).Touch(id_sha256, now_ms);
  txn.Commit();
}

void ServerStore::EndWebSession(const std::string& id_sha256) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  WebSessions(db_).Remove(id_sha256);
  txn.Commit();
}

std::size_t ServerStore::CountWebSessions() {
  std::lock_guard lock(mutex_);
  return WebSessions(db_).Count();
}

}  // namespace tributary::server
