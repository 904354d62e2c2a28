// The server's store (embedded SQLite, or PostgreSQL: database/
// store_location.h) as a unit of work: the owner of its one connection, the
// lock that serialises it, its migrations, the audit key and the shared
// organisation hierarchy. Everything else reaches the data through a
// service of its own domain, which runs its work in Write or Read:
//
//   agents, tokens, certificates, health    enrol/agent_service.h
//   a push batch applied exactly once       ingest/push_ingest.h
//   the records held, read                  reconcile/record_readings.h
//   central corrections and conflicts       reconcile/correction_service.h
//   returns and the changes refused         returns/return_service.h
//   months and their published versions     periods/period_service.h
//   rollups' inputs                         rollup/rollup_readings.h
//   data exports' records                   export/export_records.h
//   the organisation hierarchy              orgs/org_service.h
//   people and their tokens                 users/user_service.h
//   the dashboard's sign-in sessions        users/session_book.h
//   the audit log and its checkpoints       audit/audit_service.h
//   person-key evaluations per practice     person_keys/person_key_service.h
//   what each practice is told              notices/notice_service.h
//   cross-practice findings published       validation/findings_publisher.h
//   the ICS data teams' change feed         feed/feed_service.h
//   analysts' reporting tables and views    reporting/reporting_service.h
//   settings every instance agrees on       store/settings.h
//
// docs/design.md invariant 2: what one unit of work writes (a batch's
// changes and the agent's high-water mark) commits together or not at all.
// Failures throw tributary::Error (kDatabase from the engine, kCorruption for
// stored values that cannot be read back, kUnavailable when a PostgreSQL
// server cannot be reached, and as each service says).
//
// Thread-safe: Write, Read and every other member take the store's lock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

#include "database/connection.h"
#include "database/store_location.h"
#include "orgs/org_hierarchy.h"
#include "store/store_transaction.h"
#include "tributary/common/hlc.h"

namespace tributary::server {

class ServerStore {
 public:
  // Told how a migration of an older store is getting on (it can take
  // minutes for a national store); may be empty.
  using MigrationProgress = std::function<void(const std::string& stage)>;

  // Opens or creates the store, migrating an older one in one transaction.
  // `clock` must outlive it. Throws tributary::Error.
  ServerStore(const db::StoreLocation& where, const Clock& clock,
              const MigrationProgress& progress = {});
  ServerStore(const ServerStore&) = delete;
  ServerStore& operator=(const ServerStore&) = delete;

  // The unit of work. Takes the store's lock, begins a write transaction,
  // runs `work(StoreTransaction&)` and commits; when `work` throws, rolls
  // back and rethrows, so nothing of it is kept. Returns what `work`
  // returns. `work` must not call the store (its lock is held).
  template <typename Work>
  auto Write(Work&& work) {
    std::lock_guard lock(mutex_);
    db::Transaction txn(db_);
    StoreTransaction transaction(*this, db_);
    if constexpr (std::is_void_v<std::invoke_result_t<Work&, StoreTransaction&>>) {
      work(transaction);
      txn.Commit();
    } else {
      auto result = work(transaction);
      txn.Commit();
      return result;
    }
  }

  // One consistent reading under the store's lock: `work(StoreReading&)`'s
  // statements all see the same moment. Returns what `work` returns.
  template <typename Work>
  auto Read(Work&& work) {
    std::lock_guard lock(mutex_);
    db::ReadTransaction txn(db_);
    StoreReading reading(*this, db_);
    return work(reading);
  }

  // The hierarchy, built once per import and shared: every people's request
  // needs it, and building it for 6,300 practices took most of a query. An
  // import by another process is seen at the next call.
  std::shared_ptr<const OrgHierarchy> Hierarchy();

  // The audit key (64 hex characters, keys/server_keys.h): entries written
  // from now on are keyed (StoreTransaction::Audit), and keyed ones can be
  // checked (audit/audit_service.h). Every command that writes sets it.
  void UseAuditKey(std::string key_hex);

  // Whether this process leads `work`: one process at a time on a store
  // several share (database/connection.h, TryLead); always on SQLite.
  bool Leads(LeadWork work);

  // The store's clock, and its time now (ms since the epoch).
  const Clock& clock() const { return clock_; }
  std::int64_t NowMillis() const { return clock_.NowMillis(); }

 private:
  friend class StoreReading;
  friend class StoreTransaction;

  void Migrate(const MigrationProgress& progress);
  std::shared_ptr<const OrgHierarchy> HierarchyLocked();
  std::int64_t NowMs() const { return clock_.NowMillis(); }

  std::mutex mutex_;
  std::unique_ptr<db::Connection> connection_;
  db::Connection& db_;
  const Clock& clock_;
  std::string audit_key_;  // UseAuditKey; empty: audit entries are written unkeyed
  // Null until first asked; built again when the store's hierarchy is
  // another import's than `hierarchy_sha256_` (this process's, or another's).
  std::shared_ptr<const OrgHierarchy> hierarchy_;
  std::string hierarchy_sha256_;
};

}  // namespace tributary::server
