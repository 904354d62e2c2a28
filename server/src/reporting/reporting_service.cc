#include "reporting/reporting_service.h"

#include <set>

#include "reconcile/record_log.h"
#include "store/server_store.h"
#include "store/settings_table.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

std::int64_t StoredMark(db::Connection& db) {
  std::optional<std::string> text = ReadSetting(db, "reporting_mark");
  if (!text) return -1;
  if (text->empty() || text->size() > 18 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    throw Error::Corruption("the store's reporting_mark '" + *text + "' cannot be read");
  }
  return std::stoll(*text);
}

}  // namespace

std::optional<ReportingWork> ReportingService::Pending() {
  return store_.Read([](StoreReading& r) -> std::optional<ReportingWork> {
    db::Connection& db = r.db();
    if (ReadSetting(db, "reporting") != "on") return std::nullopt;
    ReportingWork work;
    auto last = db.Prepare("SELECT COALESCE(MAX(id), 0) FROM feed_events");
    last.Step();
    work.mark = last.ColumnInt(0);
    work.hierarchy_sha256 = ReadSetting(db, "organisations_sha256").value_or("");
    std::int64_t done = StoredMark(db);
    std::set<std::string> periods;
    if (done < 0 || ReadSetting(db, "reporting_hierarchy_sha256") != work.hierarchy_sha256) {
      // Never refreshed, or under another hierarchy: every month there is.
      for (const std::string& p : RecordLog(db).Periods()) periods.insert(p);
      for (const std::string& p : ReportingTables(db).Periods()) periods.insert(p);
      done = 0;
    }
    auto changed = db.Prepare("SELECT DISTINCT period FROM feed_events WHERE id > ?");
    changed.Bind(1, done);
    while (changed.Step()) periods.insert(changed.ColumnText(0));
    work.periods.assign(periods.begin(), periods.end());
    return work;
  });
}

bool ReportingService::WriteMonth(const ReportingMonth& month, std::int64_t mark) {
  return store_.Write(
      [&](StoreTransaction& t) { return ReportingTables(t.db()).Replace(month, mark, t.NowMs()); });
}

void ReportingService::KeepIcss(const std::string& period, const std::vector<std::string>& icss,
                                std::int64_t mark) {
  store_.Write(
      [&](StoreTransaction& t) { ReportingTables(t.db()).RemoveOthers(period, icss, mark); });
}

void ReportingService::Finish(const ReportingWork& work) {
  store_.Write([&](StoreTransaction& t) {
    if (StoredMark(t.db()) > work.mark) return;
    WriteSetting(t.db(), "reporting_mark", std::to_string(work.mark));
    WriteSetting(t.db(), "reporting_hierarchy_sha256", work.hierarchy_sha256);
  });
}

ReportingGrantResult ReportingService::Grant(const ReportingGrant& grant,
                                             const std::string& actor) {
  if (grant.ics.empty()) throw Error::InvalidArgument("name at least one ICS the role reads");
  return store_.Write([&](StoreTransaction& t) {
    for (const std::string& ics : grant.ics) {
      auto known =
          t.db().Prepare("SELECT 1 FROM organisations WHERE code = ? AND org_type = 'ICS'");
      known.Bind(1, ics);
      if (!known.Step()) throw Error::NotFound(ics + " is not an ICS in the hierarchy");
    }
    ReportingGrantResult result = GrantReporting(t.db(), grant);
    WriteSetting(t.db(), "reporting", "on");
    std::string icss;
    for (const std::string& ics : grant.ics) icss += (icss.empty() ? "" : ", ") + ics;
    t.Audit(actor, "reporting_grant", grant.role, "reads " + grant.schema + " for " + icss);
    return result;
  });
}

int ReportingService::Revoke(const std::string& role, const std::string& schema,
                             const std::string& actor) {
  return store_.Write([&](StoreTransaction& t) {
    int removed = RevokeReporting(t.db(), role, schema);
    t.Audit(actor, "reporting_revoke", role, "no longer reads " + schema);
    return removed;
  });
}

}  // namespace tributary::server
