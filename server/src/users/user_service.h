// The people who use the API and the web pages, and their access tokens
// (users/user_store.h's table): added and revoked by the operator, audited,
// and looked up by a token's hash on every request. Each call is one unit of
// work of the store (store/server_store.h).
//
// Failures throw tributary::Error: kNotFound for a user who is not there to
// revoke, kCorruption for a stored role that cannot be read, and the store's
// own. Thread-safe as the store is; holds only a reference to the store,
// which must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "users/user.h"

namespace tributary::server {

class ServerStore;

class UserService {
 public:
  explicit UserService(ServerStore& store) : store_(store) {}

  // Adds `user` with the token whose SHA-256 is `token_hash`, audited as
  // `actor`'s act. `user.expires_at_ms` 0: the token never expires.
  void Add(const User& user, const std::string& token_hash, const std::string& actor);
  // The user whose token this is, unless it is revoked or has expired.
  std::optional<User> FindByTokenHash(const std::string& token_hash);
  // Every user ever added, revoked and expired ones included.
  std::vector<User> All();
  // Ends the user's access at once. Audited. Error(kNotFound) when there is
  // no such user, or their access is revoked already.
  void Revoke(const std::string& user_id, const std::string& actor);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
