// The web pages' sign-in sessions: the policy, and each step one unit of
// work of the store on its table (users/web_sessions.h), so any `serve` instance on the store
// answers any signed-in request and a restart signs nobody out.
//
// Signing in with an access token opens a session: a random 256-bit id (the
// cookie's value, never the token; the store keeps only its SHA-256) bound
// to the token's hash and to a CSRF token of its own. A session ends when
// its person signs out (on every instance at once), after kIdleMillis
// without a request, or kLifetimeMillis after it opened, whichever is
// first; the person's token being revoked or expiring ends it too, because
// every request looks the user up again by the token hash. A use is written
// to the store at most every kTouchMillis, so a page view is not a write:
// a session idles out between kIdleMillis - kTouchMillis and kIdleMillis
// after its last use.
//
// Thread-safe (the store is). The store must outlive the book.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace tributary::server {

class ServerStore;

struct Session {
  std::string id;          // the cookie's value: 64 hex digits
  std::string token_hash;  // SHA-256 hex of the access token signed in with
  std::string csrf;        // what every state-changing form must send back
  std::int64_t opened_ms = 0;
  std::int64_t last_used_ms = 0;
};

class SessionBook {
 public:
  static constexpr std::int64_t kIdleMillis = 30LL * 60 * 1000;
  static constexpr std::int64_t kLifetimeMillis = 8LL * 60 * 60 * 1000;
  static constexpr std::int64_t kTouchMillis = 60LL * 1000;
  // Beyond this many open sessions the oldest is ended to make room.
  static constexpr std::size_t kMaxSessions = 10000;

  explicit SessionBook(ServerStore& store, std::size_t max_sessions = kMaxSessions)
      : store_(store), max_sessions_(max_sessions) {}

  // A new session for the token whose hash is `token_hash`, opened at `now_ms`.
  Session Open(const std::string& token_hash, std::int64_t now_ms);
  // The live session `id`, its idle time restarted; nullopt when unknown,
  // ended or expired (an expired one is forgotten).
  std::optional<Session> Use(const std::string& id, std::int64_t now_ms);
  // Ends session `id`; nothing when it is unknown.
  void End(const std::string& id);
  // How many sessions are held (expired ones not yet forgotten included).
  std::size_t size() const;

 private:
  ServerStore& store_;
  std::size_t max_sessions_;
};

}  // namespace tributary::server
