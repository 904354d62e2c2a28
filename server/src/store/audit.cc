// The store's side of the audit log and its signed checkpoints
// (audit/audit_log.h, audit/audit_checkpoints.h).
#include "audit/audit_checkpoints.h"
#include "audit/audit_log.h"
#include "store/server_store.h"

namespace tributary::server {

void ServerStore::UseAuditKey(std::string key_hex) {
  std::lock_guard lock(mutex_);
  audit_key_ = std::move(key_hex);
}

std::int64_t ServerStore::CountAuditEntries() {
  std::lock_guard lock(mutex_);
  return AuditLog(db_, audit_key_).Count();
}

void ServerStore::RecordAudit(const std::string& actor, const std::string& action,
                              const std::string& subject, const std::string& detail) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  AuditLog(db_, audit_key_).Append(actor, action, subject, detail, NowMs());
  txn.Commit();
}

std::optional<std::int64_t> ServerStore::FirstBrokenAuditEntry() {
  std::lock_guard lock(mutex_);
  return AuditLog(db_, audit_key_).FirstBrokenEntry();
}

AuditCheckpoint ServerStore::CheckpointAudit(const signing::SigningKey& key) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  AuditLog log(db_, audit_key_);
  AuditCheckpoint c;
  c.entries = log.Count();
  c.head = *log.HeadAfter(c.entries);
  c.at_ms = NowMs();
  c.public_key = key.PublicKeyHex();
  c.signature = key.Sign(CheckpointText(c));
  AuditCheckpoints(db_).Add(c);
  txn.Commit();
  return c;
}

std::vector<AuditEntry> ServerStore::AuditEntries() {
  std::lock_guard lock(mutex_);
  return AuditLog(db_, audit_key_).Entries();
}

std::vector<AuditCheckpoint> ServerStore::AuditCheckpointsKept() {
  std::lock_guard lock(mutex_);
  return AuditCheckpoints(db_).All();
}

std::vector<std::string> ServerStore::CheckAuditCheckpoints(
    const std::vector<AuditCheckpoint>& checkpoints, const std::string& signing_public_key) {
  std::lock_guard lock(mutex_);
  AuditLog log(db_, audit_key_);
  std::int64_t held = log.Count();
  std::vector<std::string> problems;
  for (const AuditCheckpoint& c : checkpoints) {
    std::string which =
        "the checkpoint of " + std::to_string(c.entries) + " entries at " + std::to_string(c.at_ms);
    if (c.public_key != signing_public_key || !CheckpointSignatureHolds(c)) {
      problems.push_back(which + " is not signed by this server");
      continue;
    }
    if (c.entries > held) {
      problems.push_back(which + ": the log holds " + std::to_string(held) +
                         " entries now; entries were removed from its end");
      continue;
    }
    if (log.HeadAfter(c.entries) != c.head) {
      problems.push_back(which + ": the log's entry " + std::to_string(c.entries) +
                         " is not the one signed; entries up to it were changed");
    }
  }
  return problems;
}

}  // namespace tributary::server
