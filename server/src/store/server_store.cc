#include "store/server_store.h"

#include "audit/audit_log.h"
#include "feed/feed_journal.h"
#include "orgs/hierarchy_store.h"
#include "person_keys/evaluation_budget.h"
#include "reconcile/record_log.h"
#include "store/practice_feed.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "users/user_store.h"

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
  auto stmt = db.Prepare("SELECT value FROM settings WHERE key = 'schema_version'");
  if (!stmt.Step()) return kSchemaVersion;  // a new store is made at the current schema
  std::string text = stmt.ColumnText(0);
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
  db_.ExecSchema(
      "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) "
      "WITHOUT ROWID");
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
  auto set = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES ('schema_version', ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  set.Bind(1, std::to_string(kSchemaVersion));
  set.Run();
  txn.Commit();
  // Re-totalling a national store writes hundreds of megabytes to the WAL in
  // that one transaction; give the space back now rather than keep it.
  if (retotalled) db_.ReleaseSpace();
}

std::optional<std::string> ServerStore::GetSetting(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare("SELECT value FROM settings WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

std::string ServerStore::ClaimSetting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  auto claim =
      db_.Prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
  claim.Bind(1, key).Bind(2, value);
  claim.Run();
  auto owner = db_.Prepare("SELECT value FROM settings WHERE key = ?");
  owner.Bind(1, key);
  std::string claimed = owner.Step() ? owner.ColumnText(0) : "";
  txn.Commit();
  return claimed;
}

void ServerStore::ReplaceCa(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  auto owner = db_.Prepare("SELECT value FROM settings WHERE key = 'ca_sha256'");
  std::string bound = owner.Step() ? owner.ColumnText(0) : "";
  if (bound == to) return;
  if (bound != from) {
    throw Error::Conflict("the store belongs to the CA " + bound + ", neither " + from + " nor " +
                          to + ": it is not this data directory's store");
  }
  auto set = db_.Prepare("UPDATE settings SET value = ? WHERE key = 'ca_sha256'");
  set.Bind(1, to);
  set.Run();
  AuditLog(db_, audit_key_)
      .Append("operator", "ca_rollover_finish", "ca", "from CA " + from + " to CA " + to, NowMs());
  txn.Commit();
}

void ServerStore::SetSetting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.Prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

bool ServerStore::ReplaceOrganisations(const std::vector<Organisation>& organisations,
                                       const std::string& file_sha256) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  if (!HierarchyStore(db_).Replace(organisations, file_sha256, NowMs())) return false;
  AuditLog(db_, audit_key_)
      .Append("operator", "orgs_import", "hierarchy",
              std::to_string(organisations.size()) + " rows, sha256 " + file_sha256, NowMs());
  txn.Commit();
  hierarchy_.reset();
  return true;
}

std::vector<Organisation> ServerStore::Organisations() {
  std::lock_guard lock(mutex_);
  return OrganisationsLocked();
}

std::vector<Organisation> ServerStore::OrganisationsLocked() { return HierarchyStore(db_).All(); }

std::shared_ptr<const OrgHierarchy> ServerStore::Hierarchy() {
  std::lock_guard lock(mutex_);
  return HierarchyLocked();
}

// Which import the hierarchy is is read each time, so an import by another
// process (`orgs import`, another instance) is seen at once.
std::shared_ptr<const OrgHierarchy> ServerStore::HierarchyLocked() {
  auto current = db_.Prepare("SELECT value FROM settings WHERE key = 'organisations_sha256'");
  std::string sha256 = current.Step() ? current.ColumnText(0) : "";
  if (!hierarchy_ || sha256 != hierarchy_sha256_) {
    hierarchy_ = std::make_shared<const OrgHierarchy>(OrganisationsLocked());
    hierarchy_sha256_ = sha256;
  }
  return hierarchy_;
}

bool ServerStore::LeadsFindings() {
  std::lock_guard lock(mutex_);
  return db_.TryLead(kFindingsLeaderKey);
}

// The hierarchy is read once for the whole transaction, not once a change.
MonthClosed ServerStore::MonthClosedCheckLocked(PeriodBook& periods) {
  std::shared_ptr<const OrgHierarchy> hierarchy = HierarchyLocked();
  return [hierarchy, &periods](const std::string& practice, const std::string& period) {
    std::optional<std::string> ics =
        hierarchy->AncestorOf(practice, OrgLevel::kIcs, period + "-01");
    return ics && periods.IsClosed(*ics, period);
  };
}

void ServerStore::AddUser(const User& user, const std::string& token_hash,
                          const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  UserStore(db_).Add(user, token_hash, NowMs());
  AuditLog(db_, audit_key_)
      .Append(actor, "user_add", user.user_id,
              user.name + " as " + std::string(RoleName(user.role)) + " of " + user.scope +
                  (user.expires_at_ms > 0 ? ", until " + FormatUtc(user.expires_at_ms) : ""),
              NowMs());
  txn.Commit();
}

std::optional<User> ServerStore::FindUserByTokenHash(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  return UserStore(db_).FindByTokenHash(token_hash, NowMs());
}

std::vector<User> ServerStore::Users() {
  std::lock_guard lock(mutex_);
  return UserStore(db_).All();
}

void ServerStore::RevokeUser(const std::string& user_id, const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  if (!UserStore(db_).Revoke(user_id, NowMs())) {
    throw Error::NotFound("no user " + user_id + " with access to revoke");
  }
  AuditLog(db_, audit_key_).Append(actor, "user_revoke", user_id, "access revoked", NowMs());
  txn.Commit();
}

}  // namespace tributary::server
