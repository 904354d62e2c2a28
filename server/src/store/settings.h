// The store's settings as the server's parts claim and read them: which CA
// the store belongs to (and its rollover to the next), the public halves of
// the server's keys, anything one instance must agree on with every other.
// Each call is one unit of work of the store (store/server_store.h) on
// store/settings_table.h.
//
// Failures throw tributary::Error: kConflict for a store that belongs to
// another CA, and the store's own. Thread-safe as the store is; holds only
// a reference to the store, which must outlive it.
#pragma once

#include <optional>
#include <string>

namespace tributary::server {

class ServerStore;

class Settings {
 public:
  explicit Settings(ServerStore& store) : store_(store) {}

  std::optional<std::string> Get(const std::string& key);
  // Records `value` under `key` unless a value is recorded already; returns
  // the recorded one (two instances claiming at once both get the first's).
  std::string Claim(const std::string& key, const std::string& value);
  // Records `ca_sha256` as the CA the store belongs to unless one is
  // recorded already; returns the owner's.
  std::string ClaimCa(const std::string& ca_sha256) { return Claim("ca_sha256", ca_sha256); }
  // Binds the store to the CA `to` in place of `from` (a CA rollover,
  // enrol/ca_rollover.h), audited; nothing to do when it is bound to `to`
  // already. Throws Error(kConflict) when it belongs to neither.
  void ReplaceCa(const std::string& from, const std::string& to);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
