// The months' life: closing and reopening them, publishing immutable
// versions, and reading those versions back (periods/period_state.h,
// periods/published_versions.h). Part of ServerStore.
#include <set>

#include "audit/audit_log.h"
#include "feed/feed_journal.h"
#include "orgs/org_hierarchy.h"
#include "periods/month_figures.h"
#include "store/practice_feed.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"

namespace tributary::server {
namespace {

// A month's move as the ICS data teams' feed shows it.
boost::json::object PeriodEvent(const std::string& ics, const std::string& period,
                                std::string_view action, const std::string& state,
                                boost::json::value version, const std::string& actor,
                                std::int64_t at_ms) {
  return {{"kind", "period"}, {"ics", ics},
          {"period", period}, {"action", action},
          {"state", state},   {"version", std::move(version)},
          {"actor", actor},   {"at", FormatUtc(at_ms)}};
}

}  // namespace

PeriodStatus ServerStore::GetPeriod(const std::string& ics, const std::string& period) {
  std::lock_guard lock(mutex_);
  return PeriodBook(db_).Get(ics, period);
}

KeyedRecords ServerStore::ReturnRecordsLocked(const ReturnKey& key) {
  auto stmt = db_.Prepare(
      "SELECT record_key, fields FROM records INDEXED BY records_by_month "
      "WHERE period = ? AND dataset = ? AND practice = ? ORDER BY record_key");
  stmt.Bind(1, key.period).Bind(2, key.dataset).Bind(3, key.practice);
  KeyedRecords out;
  while (stmt.Step()) out.emplace_back(stmt.ColumnText(0), stmt.ColumnText(1));
  return out;
}

PeriodStatus ServerStore::ActOnPeriod(const std::string& ics, const std::string& period,
                                      PeriodAction action, const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  std::shared_ptr<const OrgHierarchy> hierarchy = HierarchyLocked();
  const Organisation* org = hierarchy->Find(ics, period + "-01");
  if (org == nullptr || org->level != OrgLevel::kIcs) {
    throw Error::NotFound(ics + " is not an ICS in the hierarchy for " + period);
  }
  std::int64_t now = NowMs();
  PeriodStatus after = PeriodBook(db_).Apply(ics, period, action, actor, now);
  std::string state(PeriodStateName(after.state));
  // Each practice hears of it, so its agent can say why a change waits.
  PracticeFeed feed(db_);
  for (const std::string& practice : hierarchy->PracticesUnder(ics, period + "-01")) {
    feed.Append(practice, "period", {{"period", period}, {"state", state}}, now);
  }
  AuditLog(db_, audit_key_)
      .Append(actor, "period_" + std::string(PeriodActionName(action)), ics + "/" + period,
              "now " + state, NowMs());
  FeedJournal(db_).Append(
      "period", "", ics, period,
      PeriodEvent(ics, period, PeriodActionName(action), state, nullptr, actor, now), now);
  txn.Commit();
  return after;
}

PublishedVersion ServerStore::PublishPeriod(const std::string& ics, const std::string& period,
                                            const std::string& actor) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  if (!PeriodBook(db_).IsClosed(ics, period)) {
    throw Error::Conflict(period + " of " + ics +
                          " is open; close it first, so that no "
                          "practice's change lands while its version is written");
  }
  // The ICS's hierarchy of the month's first day, kept with the version: a
  // later import may say otherwise of this month, but never of this version.
  std::string first_day = period + "-01";
  std::shared_ptr<const OrgHierarchy> current = HierarchyLocked();
  std::vector<Organisation> used;
  for (const Organisation& o : OrganisationsLocked()) {
    if (o.ValidOn(first_day) && current->IcsOf(o.code, first_day) == ics) used.push_back(o);
  }
  OrgHierarchy hierarchy(used);
  std::vector<std::string> practices = hierarchy.PracticesUnder(ics, first_day);
  if (practices.empty()) {
    throw Error::NotFound("there is nothing to publish for " + ics + " " + period +
                          ": the hierarchy has no practice under it that month");
  }
  PublishedVersions versions(db_);
  ReturnBook returns(db_);
  MonthFigures figures(period);
  std::vector<LineageEntry> lineage;
  for (const std::string& practice : practices) {
    std::vector<ServerRecord> records;
    for (const DatasetDecl* dataset : datasets::All()) {
      ReturnKey key{practice, std::string(dataset->name), period};
      KeyedRecords keyed = ReturnRecordsLocked(key);
      std::string sha256 = RecordsSha256(keyed);
      versions.KeepRecords(sha256, keyed);
      ReturnStatus status = returns.Get(key);
      lineage.push_back({practice, key.dataset, status.state, status.revision,
                         static_cast<std::int64_t>(keyed.size()), sha256});
      figures.SetState(practice, key.dataset, status.state);
      for (const auto& [record_key, fields] : keyed) {
        records.push_back({practice, key.dataset, ParseCanonicalJson(fields)});
      }
    }
    figures.AddPractice(practice, records);
  }
  std::vector<RollupRow> rows = figures.Compute(hierarchy, RollupFilter{});
  PublishedVersion version{ics,
                           period,
                           versions.NextVersion(ics, period),
                           NowMs(),
                           actor,
                           static_cast<std::int64_t>(rows.size()),
                           static_cast<std::int64_t>(lineage.size())};
  versions.Write(version, used, lineage, rows);
  AuditLog(db_, audit_key_)
      .Append(actor, "period_publish", ics + "/" + period,
              "version " + std::to_string(version.version) + ": " +
                  std::to_string(version.figures) + " figures from " +
                  std::to_string(version.returns) + " returns",
              NowMs());
  FeedJournal(db_).Append("period", "", ics, period,
                          PeriodEvent(ics, period, "publish", "closed", version.version, actor,
                                      version.published_at_ms),
                          version.published_at_ms);
  txn.Commit();
  return version;
}

std::vector<PeriodSummary> ServerStore::PeriodSummaries(const std::string& ics) {
  std::lock_guard lock(mutex_);
  db::ReadTransaction snapshot(db_);
  PeriodBook book(db_);
  std::map<std::string, PeriodSummary> months;
  for (const std::string& period : PeriodsLocked()) months[period].status = book.Get(ics, period);
  for (const PeriodStatus& status : book.All(ics)) months[status.period].status = status;
  for (const PublishedVersion& v : PublishedVersions(db_).Versions(ics)) {
    PeriodSummary& summary = months[v.period];
    summary.status = book.Get(ics, v.period);
    summary.versions.push_back(v);
  }
  std::vector<PeriodSummary> out;
  for (auto& [period, summary] : months) out.push_back(std::move(summary));
  return out;
}

std::vector<PublishedVersion> ServerStore::AllPublishedVersions() {
  std::lock_guard lock(mutex_);
  return PublishedVersions(db_).Versions();
}

std::optional<PublishedMonth> ServerStore::ReadPublished(const std::string& ics,
                                                         const std::string& period,
                                                         std::optional<std::int64_t> version) {
  std::optional<PublishedLineage> lineage = ReadVersion(ics, period, version, false);
  if (!lineage) return std::nullopt;
  std::lock_guard lock(mutex_);
  return PublishedMonth{lineage->version, std::move(lineage->organisations),
                        PublishedVersions(db_).Figures(lineage->version)};
}

std::optional<PublishedLineage> ServerStore::ReadLineage(const std::string& ics,
                                                         const std::string& period,
                                                         std::optional<std::int64_t> version) {
  return ReadVersion(ics, period, version, true);
}

std::optional<PublishedLineage> ServerStore::ReadVersion(const std::string& ics,
                                                         const std::string& period,
                                                         std::optional<std::int64_t> version,
                                                         bool with_returns) {
  std::lock_guard lock(mutex_);
  db::ReadTransaction snapshot(db_);
  PublishedVersions versions(db_);
  std::optional<PublishedVersion> found = versions.Find(ics, period, version);
  if (!found) return std::nullopt;
  PublishedLineage out{*found, versions.Organisations(*found), {}};
  if (with_returns) out.returns = versions.Lineage(*found);
  return out;
}

}  // namespace tributary::server
