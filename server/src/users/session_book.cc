#include "users/session_book.h"

#include "store/server_store.h"
#include "tributary/common/digest.h"
#include "users/web_sessions.h"

namespace tributary::server {

Session SessionBook::Open(const std::string& token_hash, std::int64_t now_ms) {
  Session session{digest::RandomHex(32), token_hash, digest::RandomHex(32), now_ms, now_ms};
  StoredSession stored{digest::Sha256Hex(session.id), token_hash, session.csrf, now_ms, now_ms};
  store_.Write([&](StoreTransaction& t) {
    WebSessions sessions(t.db());
    sessions.RemoveExpired(now_ms - kIdleMillis + 1, now_ms - kLifetimeMillis + 1);
    sessions.KeepNewest(max_sessions_ > 0 ? max_sessions_ - 1 : 0);
    sessions.Add(stored);
  });
  return session;
}

// A page view reads; only a use kTouchMillis after the last one written, or
// an expired session, writes.
std::optional<Session> SessionBook::Use(const std::string& id, std::int64_t now_ms) {
  std::string key = digest::Sha256Hex(id);
  std::optional<StoredSession> stored =
      store_.Read([&](StoreReading& r) { return WebSessions(r.db()).Find(key); });
  if (!stored) return std::nullopt;
  if (now_ms - stored->last_used_ms >= kIdleMillis ||
      now_ms - stored->opened_ms >= kLifetimeMillis) {
    store_.Write([&](StoreTransaction& t) { WebSessions(t.db()).Remove(key); });
    return std::nullopt;
  }
  if (now_ms - stored->last_used_ms >= kTouchMillis) {
    store_.Write([&](StoreTransaction& t) { WebSessions(t.db()).Touch(key, now_ms); });
    stored->last_used_ms = now_ms;
  }
  return Session{id, stored->token_hash, stored->csrf, stored->opened_ms, stored->last_used_ms};
}

void SessionBook::End(const std::string& id) {
  std::string key = digest::Sha256Hex(id);
  store_.Write([&](StoreTransaction& t) { WebSessions(t.db()).Remove(key); });
}

std::size_t SessionBook::size() const {
  return store_.Read([](StoreReading& r) { return WebSessions(r.db()).Count(); });
}

}  // namespace tributary::server
