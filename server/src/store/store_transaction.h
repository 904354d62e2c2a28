// What a unit of work of the store (store/server_store.h, Write and Read)
// hands the function it runs: the connection inside its transaction, the
// time, the organisation hierarchy, and (writing) the audit log.
//
// Both are made by the store under its lock and live only for the one call:
// keep neither, nor the connection, past it. Not thread-safe (the lock is
// what makes them safe to use).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "database/connection.h"
#include "orgs/org_hierarchy.h"

namespace tributary::server {

class ServerStore;

// Work that one process at a time does on a store several share
// (database/connection.h, TryLead); the values are the leases' keys.
enum class LeadWork : std::int32_t { kFindings = 2, kReporting = 3 };

// One consistent reading: every statement sees the same state of the store.
class StoreReading {
 public:
  StoreReading(const StoreReading&) = delete;
  StoreReading& operator=(const StoreReading&) = delete;

  db::Connection& db() const { return db_; }
  // The store's clock, now (ms since the epoch).
  std::int64_t NowMs() const;
  // The hierarchy as stored now, built once per import and shared (building
  // it for 6,300 practices took most of a query).
  std::shared_ptr<const OrgHierarchy> Hierarchy() const;
  // The audit log on this transaction's connection, with the store's key
  // (ServerStore::UseAuditKey) to check and write keyed entries.
  AuditLog AuditTrail() const;
  // Whether this process leads `work`, asked in this transaction's own
  // session (one that lost its lease since the work began must not write).
  bool Leads(LeadWork work) const { return db_.TryLead(static_cast<std::int32_t>(work)); }

 protected:
  friend class ServerStore;
  StoreReading(ServerStore& store, db::Connection& db) : store_(store), db_(db) {}
  ServerStore& store_;
  db::Connection& db_;
};

// One write transaction: what it changes commits together, or not at all.
class StoreTransaction : public StoreReading {
 public:
  // Appends an entry to the audit log (audit/audit_log.h), keyed when the
  // store has its key, in this transaction: the act and its record commit
  // together.
  void Audit(const std::string& actor, const std::string& action, const std::string& subject,
             const std::string& detail);

 private:
  friend class ServerStore;
  using StoreReading::StoreReading;
};

}  // namespace tributary::server
