// The audit log inside the server's store: who did what, append-only, each
// entry's hash covering the previous entry's, so an edited or deleted entry
// breaks the chain (docs/design.md invariant 6). The store's triggers refuse
// any UPDATE or DELETE.
//
// Keyed: each entry's hash is an HMAC-SHA-256 under the server's audit key
// (keys/server_keys.h), kept outside the store, so whoever can write the
// store still cannot rewrite an entry and chain the rest again. Entries
// written before the key (a store of schema 6 or before, or a store opened
// without it) are plain SHA-256 and marked so; once an entry is keyed, every
// later one must be. Signed checkpoints (audit/audit_checkpoints.h) catch a
// cut at the end.
//
// Works on the caller's connection inside the caller's transaction, so an act
// and its entry commit together. Not thread-safe on its own; ServerStore
// serialises it. Failures throw tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "database/connection.h"

namespace tributary::server {

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;
  std::string actor;
  std::string action;
  std::string subject;
  std::string detail;
  std::string previous_hash;
  std::string hash;
  bool keyed = false;
};

class AuditLog {
 public:
  // `db` must outlive the log. `key_hex`, the audit key (64 hex characters),
  // keys what Append writes and lets FirstBrokenEntry check keyed entries;
  // empty: entries are written unkeyed, and keyed ones cannot be checked.
  AuditLog(db::Connection& db, std::string key_hex = "") : db_(db), key_(std::move(key_hex)) {}

  static void CreateSchema(db::Connection& db);

  // Appends one entry, chained to the last.
  void Append(const std::string& actor, const std::string& action, const std::string& subject,
              const std::string& detail, std::int64_t now_ms);

  // The id of the first entry whose chain does not hold (an unkeyed entry
  // after a keyed one included; a keyed one when there is no key), or
  // nullopt when the whole log verifies.
  std::optional<std::int64_t> FirstBrokenEntry();
  std::int64_t Count();
  // The hash of the `count`-th entry (the chain's head after it): 64 zeros
  // for 0; nullopt when there are fewer entries.
  std::optional<std::string> HeadAfter(std::int64_t count);
  // Every entry, oldest first.
  std::vector<AuditEntry> Entries();

 private:
  db::Connection& db_;
  std::string key_;
};

}  // namespace tributary::server
