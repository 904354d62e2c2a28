// The audit log inside the server's store: who did what, append-only, each
// entry's hash covering the previous entry's, so an edited or deleted entry
// breaks the chain (docs/design.md invariant 6). The store's triggers refuse
// any UPDATE or DELETE.
//
// Works on the caller's connection inside the caller's transaction, so an act
// and its entry commit together. Not thread-safe on its own; ServerStore
// serialises it. Failures throw tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "database/connection.h"

namespace tributary::server {

class AuditLog {
 public:
  // `db` must outlive the log.
  explicit AuditLog(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // Appends one entry, chained to the last.
  void Append(const std::string& actor, const std::string& action, const std::string& subject,
              const std::string& detail, std::int64_t now_ms);

  // The id of the first entry whose chain does not hold, or nullopt when the
  // whole log verifies.
  std::optional<std::int64_t> FirstBrokenEntry();
  std::int64_t Count();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
