#include "audit/audit_service.h"

#include "store/server_store.h"

namespace tributary::server {

void AuditService::Record(const std::string& actor, const std::string& action,
                          const std::string& subject, const std::string& detail) {
  store_.Write([&](StoreTransaction& t) { t.Audit(actor, action, subject, detail); });
}

std::int64_t AuditService::Count() {
  return store_.Read([](StoreReading& r) { return r.AuditTrail().Count(); });
}

std::vector<AuditEntry> AuditService::Entries() {
  return store_.Read([](StoreReading& r) { return r.AuditTrail().Entries(); });
}

std::optional<std::int64_t> AuditService::FirstBrokenEntry() {
  return store_.Read([](StoreReading& r) { return r.AuditTrail().FirstBrokenEntry(); });
}

AuditCheckpoint AuditService::Checkpoint(const signing::SigningKey& key) {
  return store_.Write([&](StoreTransaction& t) {
    AuditLog log = t.AuditTrail();
    AuditCheckpoint c;
    c.entries = log.Count();
    c.head = *log.HeadAfter(c.entries);
    c.at_ms = t.NowMs();
    c.public_key = key.PublicKeyHex();
    c.signature = key.Sign(CheckpointText(c));
    AuditCheckpoints(t.db()).Add(c);
    return c;
  });
}

std::vector<AuditCheckpoint> AuditService::CheckpointsKept() {
  return store_.Read([](StoreReading& r) { return AuditCheckpoints(r.db()).All(); });
}

std::vector<std::string> AuditService::CheckCheckpoints(
    const std::vector<AuditCheckpoint>& checkpoints, const std::string& signing_public_key) {
  return store_.Read([&](StoreReading& r) {
    AuditLog log = r.AuditTrail();
    std::int64_t held = log.Count();
    std::vector<std::string> problems;
    for (const AuditCheckpoint& c : checkpoints) {
      std::string which = "the checkpoint of " + std::to_string(c.entries) + " entries at " +
                          std::to_string(c.at_ms);
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
  });
}

}  // namespace tributary::server
