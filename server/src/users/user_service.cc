#include "users/user_service.h"

#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/user_store.h"

namespace tributary::server {

void UserService::Add(const User& user, const std::string& token_hash, const std::string& actor) {
  store_.Write([&](StoreTransaction& t) {
    UserStore(t.db()).Add(user, token_hash, t.NowMs());
    t.Audit(actor, "user_add", user.user_id,
            user.name + " as " + std::string(RoleName(user.role)) + " of " + user.scope +
                (user.expires_at_ms > 0 ? ", until " + FormatUtc(user.expires_at_ms) : ""));
  });
}

std::optional<User> UserService::FindByTokenHash(const std::string& token_hash) {
  return store_.Read(
      [&](StoreReading& r) { return UserStore(r.db()).FindByTokenHash(token_hash, r.NowMs()); });
}

std::vector<User> UserService::All() {
  return store_.Read([](StoreReading& r) { return UserStore(r.db()).All(); });
}

void UserService::Revoke(const std::string& user_id, const std::string& actor) {
  store_.Write([&](StoreTransaction& t) {
    if (!UserStore(t.db()).Revoke(user_id, t.NowMs())) {
      throw Error::NotFound("no user " + user_id + " with access to revoke");
    }
    t.Audit(actor, "user_revoke", user_id, "access revoked");
  });
}

}  // namespace tributary::server
