#include "store/server_store.h"

#include "audit/audit_checkpoints.h"
#include "audit/audit_log.h"
#include "enrol/agent_registry.h"
#include "feed/feed_journal.h"
#include "notices/practice_feed.h"
#include "orgs/hierarchy_store.h"
#include "periods/period_book.h"
#include "periods/published_versions.h"
#include "person_keys/evaluation_budget.h"
#include "reconcile/conflict_book.h"
#include "reconcile/quarantine.h"
#include "reconcile/record_log.h"
#include "reporting/reporting_tables.h"
#include "returns/return_book.h"
#include "rollup/totals_store.h"
#include "store/settings_table.h"
#include "tributary/common/error.h"
#include "users/user_store.h"
#include "users/web_sessions.h"
#include "validation/published_findings.h"

namespace tributary::server {
namespace {

// 2: records_by_month, and the appointment rate kept beside the rollup
// totals (a server of schema 1 would not keep it, so it must refuse).
// 3: rollup totals kept binary (a server of schema 2 would read them as JSON).
// 4: months closed and published, every change a new revision of its return,
// users' tokens expire (a server of schema 3 would apply a closed month's
// changes and honour expired tokens).
// 5: the ICS data teams' change feed journals return and month events (a
// server of schema 4 would move returns without the feed hearing of it).
// 6: the tables behind analysts' reporting views, which the leading
// instance refreshes (a server of schema 5 leading would leave them stale),
// and web sign-in sessions kept in the store (a server of schema 5 would
// not know its instances' sessions).
// 7: person keys made with the server's OPRF key (person_keys/): each
// practice's evaluations counted, and the ICS-wide HMAC secret of schema 6
// and before deleted (whoever held it and a store could reverse every key).
// 8: agents' certificates have lifecycles: first use recorded, previous ones
// retired (enrol/agent_registry.h); a server of schema 7 would still take
// retired certificates.
constexpr int kSchemaVersion = 8;

// SQLite's page cache for the store's connection, in KiB. Its default (2 MB)
// holds a small part of a national month's kept rollup totals (~40 MB), so
// each ICS reading fetched its practices' pages from the kernel again (a
// quarter of its time); this holds them and the indexes readings walk.
constexpr int kPageCacheKib = 64 * 1024;

int StoredSchemaVersion(db::Connection& db) {
  std::optional<std::string> stored = ReadSetting(db, "schema_version");
  if (!stored) return kSchemaVersion;  // a new store is made at the current schema
  const std::string& text = *stored;
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw Error::Corruption("the store's schema_version '" + text + "' cannot be read");
  }
  return std::stoi(text);
}

}  // namespace

ServerStore::ServerStore(const db::StoreLocation& where, const Clock& clock,
                         const MigrationProgress& progress)
    : connection_(db::Open(where, kPageCacheKib)), db_(*connection_), clock_(clock) {
  Migrate(progress);
}

// Every responsibility makes its tables, or brings an older store's up to
// date, in one transaction: nothing changes if any of it fails.
void ServerStore::Migrate(const MigrationProgress& progress) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  CreateSettingsTable(db_);
  int stored_version = StoredSchemaVersion(db_);
  if (stored_version > kSchemaVersion) {
    throw Error::Conflict("the store was written by a newer tributary-server (schema " +
                          std::to_string(stored_version) + ")");
  }
  AgentRegistry::CreateSchema(db_);
  RecordLog::CreateSchema(db_);
  Quarantine::CreateSchema(db_);
  ConflictBook::CreateSchema(db_);
  HierarchyStore::CreateSchema(db_);
  TotalsStore::CreateSchema(db_);
  UserStore::CreateSchema(db_, NowMs());
  WebSessions::CreateSchema(db_);
  AuditLog::CreateSchema(db_);
  AuditCheckpoints::CreateSchema(db_);
  ReturnBook::CreateSchema(db_);
  PracticeFeed::CreateSchema(db_);
  PublishedFindings::CreateSchema(db_);
  PeriodBook::CreateSchema(db_);
  PublishedVersions::CreateSchema(db_);
  FeedJournal::CreateSchema(db_);
  ReportingTables::CreateSchema(db_);
  EvaluationBudget::CreateSchema(db_);
  if (stored_version < 5) FeedJournal::Backfill(db_);
  if (stored_version < 7) db_.Exec("DELETE FROM settings WHERE key = 'person_key_secret'");
  bool retotalled = stored_version < 3 && TotalsStore(db_).RetotalJson(progress) > 0;
  WriteSetting(db_, "schema_version", std::to_string(kSchemaVersion));
  txn.Commit();
  // Re-totalling a national store writes hundreds of megabytes to the WAL in
  // that one transaction; give the space back now rather than keep it.
  if (retotalled) db_.ReleaseSpace();
}

std::shared_ptr<const OrgHierarchy> ServerStore::Hierarchy() {
  std::lock_guard lock(mutex_);
  return HierarchyLocked();
}

// Which import the hierarchy is is read each time, so an import by another
// process (`orgs import`, another instance) is seen at once.
std::shared_ptr<const OrgHierarchy> ServerStore::HierarchyLocked() {
  std::string sha256 = ReadSetting(db_, "organisations_sha256").value_or("");
  if (!hierarchy_ || sha256 != hierarchy_sha256_) {
    hierarchy_ = std::make_shared<const OrgHierarchy>(HierarchyStore(db_).All());
    hierarchy_sha256_ = sha256;
  }
  return hierarchy_;
}

void ServerStore::UseAuditKey(std::string key_hex) {
  std::lock_guard lock(mutex_);
  audit_key_ = std::move(key_hex);
}

std::int64_t StoreReading::NowMs() const { return store_.clock_.NowMillis(); }

std::shared_ptr<const OrgHierarchy> StoreReading::Hierarchy() const {
  return store_.HierarchyLocked();
}

AuditLog StoreReading::AuditTrail() const { return AuditLog(db_, store_.audit_key_); }

void StoreTransaction::Audit(const std::string& actor, const std::string& action,
                             const std::string& subject, const std::string& detail) {
  AuditTrail().Append(actor, action, subject, detail, NowMs());
}

bool ServerStore::Leads(LeadWork work) {
  std::lock_guard lock(mutex_);
  return db_.TryLead(static_cast<std::int32_t>(work));
}

}  // namespace tributary::server
