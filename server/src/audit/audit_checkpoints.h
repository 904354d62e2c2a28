// Signed checkpoints of the audit log: at a moment, how many entries it held
// and the hash of the last (its head), signed with the server's signing key
// (keys/server_keys.h). Kept in the store (append-only) and, exported
// (`audit export`), anywhere else: a log cut back, or rewritten and chained
// again, no longer reaches a checkpoint's head (`audit verify --checkpoints`).
// `serve` writes one every hour; `audit checkpoint` one now.
//
// Works on the caller's connection inside the caller's transaction. Not
// thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database/connection.h"

namespace tributary::server {

struct AuditCheckpoint {
  std::int64_t entries = 0;  // the log held this many
  std::string head;          // the hash of the last of them (64 zeros for none)
  std::int64_t at_ms = 0;
  std::string public_key;  // the signing key's public half (hex)
  std::string signature;   // over CheckpointText (hex)
};

// The signed text: "tributary-audit-checkpoint 1", then "entries N",
// "head HEX", "at_ms T", one per line.
std::string CheckpointText(const AuditCheckpoint& checkpoint);
// The signature holds under the checkpoint's own public key.
bool CheckpointSignatureHolds(const AuditCheckpoint& checkpoint);

class AuditCheckpoints {
 public:
  // `db` must outlive this.
  explicit AuditCheckpoints(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  void Add(const AuditCheckpoint& checkpoint);
  // Every checkpoint, oldest first.
  std::vector<AuditCheckpoint> All();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
