#include "web/session_book.h"

#include "tributary/common/digest.h"

namespace tributary::server::web {

Session SessionBook::Open(const std::string& token_hash, std::int64_t now_ms) {
  Session session{digest::RandomHex(32), token_hash, digest::RandomHex(32), now_ms, now_ms};
  store_.AddWebSession({digest::Sha256Hex(session.id), token_hash, session.csrf, now_ms, now_ms},
                       now_ms - kIdleMillis + 1, now_ms - kLifetimeMillis + 1, max_sessions_);
  return session;
}

std::optional<Session> SessionBook::Use(const std::string& id, std::int64_t now_ms) {
  std::string key = digest::Sha256Hex(id);
  std::optional<StoredSession> stored = store_.FindWebSession(key);
  if (!stored) return std::nullopt;
  if (now_ms - stored->last_used_ms >= kIdleMillis ||
      now_ms - stored->opened_ms >= kLifetimeMillis) {
    store_.EndWebSession(key);
    return std::nullopt;
  }
  if (now_ms - stored->last_used_ms >= kTouchMillis) {
    store_.TouchWebSession(key, now_ms);
    stored->last_used_ms = now_ms;
  }
  return Session{id, stored->token_hash, stored->csrf, stored->opened_ms, stored->last_used_ms};
}

void SessionBook::End(const std::string& id) { store_.EndWebSession(digest::Sha256Hex(id)); }

}  // namespace tributary::server::web
