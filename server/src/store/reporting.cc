// The store's side of the analysts' reporting views (reporting/): what the
// refresher has to recompute, writing each ICS's month, and the grants.
#include <set>

#include "audit/audit_log.h"
#include "reporting/reporting_tables.h"
#include "reporting/reporting_views.h"
#include "store/server_store.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::optional<std::string> Setting(db::Connection& db, const std::string& key) {
  auto stmt = db.Prepare("SELECT value FROM settings WHERE key = ?");
  stmt.Bind(1, key);
  if (!stmt.Step()) return std::nullopt;
  return stmt.ColumnText(0);
}

void PutSetting(db::Connection& db, const std::string& key, const std::string& value) {
  auto stmt = db.Prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  stmt.Bind(1, key).Bind(2, value);
  stmt.Run();
}

std::int64_t StoredMark(db::Connection& db) {
  std::optional<std::string> text = Setting(db, "reporting_mark");
  if (!text) return -1;
  if (text->empty() || text->size() > 18 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    throw Error::Corruption("the store's reporting_mark '" + *text + "' cannot be read");
  }
  return std::stoll(*text);
}

}  // namespace

std::optional<ReportingWork> ServerStore::PendingReportingWork() {
  std::lock_guard lock(mutex_);
  db::ReadTransaction reading(db_);
  if (Setting(db_, "reporting") != "on") return std::nullopt;
  ReportingWork work;
  auto last = db_.Prepare("SELECT COALESCE(MAX(id), 0) FROM feed_events");
  last.Step();
  work.mark = last.ColumnInt(0);
  work.hierarchy_sha256 = Setting(db_, "organisations_sha256").value_or("");
  std::int64_t done = StoredMark(db_);
  std::set<std::string> periods;
  if (done < 0 || Setting(db_, "reporting_hierarchy_sha256") != work.hierarchy_sha256) {
    // Never refreshed, or under another hierarchy: every month there is.
    for (const std::string& p : PeriodsLocked()) periods.insert(p);
    for (const std::string& p : ReportingTables(db_).Periods()) periods.insert(p);
    done = 0;
  }
  auto changed = db_.Prepare("SELECT DISTINCT period FROM feed_events WHERE id > ?");
  changed.Bind(1, done);
  while (changed.Step()) periods.insert(changed.ColumnText(0));
  work.periods.assign(periods.begin(), periods.end());
  return work;
}

bool ServerStore::WriteReportingMonth(const ReportingMonth& month, std::int64_t mark) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  bool written = ReportingTables(db_).Replace(month, mark, NowMs());
  txn.Commit();
  return written;
}

void ServerStore::KeepReportingIcss(const std::string& period, const std::vector<std::string>& icss,
                                    std::int64_t mark) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  ReportingTables(db_).RemoveOthers(period, icss, mark);
  txn.Commit();
}

void ServerStore::FinishReporting(const ReportingWork& work) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  if (StoredMark(db_) <= work.mark) {
    PutSetting(db_, "reporting_mark", std::to_string(work.mark));
    PutSetting(db_, "reporting_hierarchy_sha256", work.hierarchy_sha256);
  }
  txn.Commit();
}

bool ServerStore::LeadsReporting() {
  std::lock_guard lock(mutex_);
  return db_.TryLead(kReportingLeaderKey);
}

ReportingGrantResult ServerStore::GrantReporting(const ReportingGrant& grant,
                                                 const std::string& actor) {
  std::lock_guard lock(mutex_);
  if (grant.ics.empty()) throw Error::InvalidArgument("name at least one ICS the role reads");
  db::Transaction txn(db_);
  for (const std::string& ics : grant.ics) {
    auto known = db_.Prepare("SELECT 1 FROM organisations WHERE code = ? AND org_type = 'ICS'");
    known.Bind(1, ics);
    if (!known.Step()) throw Error::NotFound(ics + " is not an ICS in the hierarchy");
  }
  ReportingGrantResult result = server::GrantReporting(db_, grant);
  PutSetting(db_, "reporting", "on");
  std::string icss;
  for (const std::string& ics : grant.ics) icss += (icss.empty() ? "" : ", ") + ics;
  AuditLog(db_, audit_key_)
      .Append(actor, "reporting_grant", grant.role, "reads " + grant.schema + " for " + icss,
              NowMs());
  txn.Commit();
  return result;
}

int ServerStore::RevokeReporting(const std::string& role, const std::string& schema,
                                 const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  int removed = server::RevokeReporting(db_, role, schema);
  AuditLog(db_, audit_key_)
      .Append(actor, "reporting_revoke", role, "no longer reads " + schema, NowMs());
  txn.Commit();
  return removed;
}

}  // namespace tributary::server
