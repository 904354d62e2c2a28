#include "web/session_book.h"

#include <algorithm>

#include "tributary/common/digest.h"

namespace tributary::server::web {

bool SessionBook::Expired(const Session& s, std::int64_t now_ms) const {
  return now_ms - s.last_used_ms >= kIdleMillis || now_ms - s.opened_ms >= kLifetimeMillis;
}

void SessionBook::ForgetExpired(std::int64_t now_ms) {
  std::erase_if(sessions_, [&](const auto& entry) { return Expired(entry.second, now_ms); });
}

Session SessionBook::Open(const std::string& token_hash, std::int64_t now_ms) {
  Session session{digest::RandomHex(32), token_hash, digest::RandomHex(32), now_ms, now_ms};
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kMaxSessions) {
    ForgetExpired(now_ms);
    if (sessions_.size() >= kMaxSessions) {
      auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
        return a.second.opened_ms < b.second.opened_ms;
      });
      sessions_.erase(oldest);
    }
  }
  sessions_.emplace(session.id, session);
  return session;
}

std::optional<Session> SessionBook::Use(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (Expired(it->second, now_ms)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used_ms = now_ms;
  return it->second;
}

void SessionBook::End(const std::string& id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t SessionBook::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace tributary::server::web
