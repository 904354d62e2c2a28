// The audit log as the operator checks it (`audit verify`, `audit export`,
// `audit checkpoint`): its entries, whether its hash chain holds, its signed
// checkpoints, and acts done outside the store recorded in it. Each call is
// one unit of work of the store (store/server_store.h); the log's table and
// chain are audit/audit_log.h's, the checkpoints' audit/audit_checkpoints.h's.
// Acts done inside the store are audited by their own service, in their own
// transaction (StoreTransaction::Audit).
//
// Failures throw tributary::Error (the store's). Thread-safe as the store
// is; holds only a reference to the store, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_checkpoints.h"
#include "audit/audit_log.h"
#include "tributary/common/signing.h"

namespace tributary::server {

class ServerStore;

class AuditService {
 public:
  explicit AuditService(ServerStore& store) : store_(store) {}

  // Records an act done outside the store (the server certificate renewed,
  // a CA rollover begun) in the audit log, on its own.
  void Record(const std::string& actor, const std::string& action, const std::string& subject,
              const std::string& detail);
  std::int64_t Count();
  std::vector<AuditEntry> Entries();
  // The id of the first entry whose hash chain does not hold, or nullopt
  // when the whole log verifies.
  std::optional<std::int64_t> FirstBrokenEntry();
  // Signs and keeps a checkpoint of the log as it is now; returns it.
  AuditCheckpoint Checkpoint(const signing::SigningKey& key);
  std::vector<AuditCheckpoint> CheckpointsKept();
  // Each of `checkpoints` (the store's own, and any kept elsewhere) checked
  // against the log as it is now: signed by `signing_public_key`, and the
  // log still holding at least its entries with its head where it was.
  // Returns a sentence for each that does not hold.
  std::vector<std::string> CheckCheckpoints(const std::vector<AuditCheckpoint>& checkpoints,
                                            const std::string& signing_public_key);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
