#include "periods/period_service.h"

#include <map>
#include <memory>

#include "feed/feed_journal.h"
#include "notices/practice_feed.h"
#include "orgs/hierarchy_store.h"
#include "orgs/org_hierarchy.h"
#include "periods/month_figures.h"
#include "periods/published_verification.h"
#include "reconcile/record_log.h"
#include "returns/return_book.h"
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

// A published version with its hierarchy (and lineage, `with_returns`).
std::optional<PublishedLineage> ReadVersion(StoreReading& r, const std::string& ics,
                                            const std::string& period,
                                            std::optional<std::int64_t> version,
                                            bool with_returns) {
  PublishedVersions versions(r.db());
  std::optional<PublishedVersion> found = versions.Find(ics, period, version);
  if (!found) return std::nullopt;
  PublishedLineage out{*found, versions.Organisations(*found), {}};
  if (with_returns) out.returns = versions.Lineage(*found);
  return out;
}

}  // namespace

PeriodStatus PeriodService::Get(const std::string& ics, const std::string& period) {
  return store_.Read([&](StoreReading& r) { return PeriodBook(r.db()).Get(ics, period); });
}

PeriodStatus PeriodService::Act(const std::string& ics, const std::string& period,
                                PeriodAction action, const std::string& actor) {
  return store_.Write([&](StoreTransaction& t) {
    std::shared_ptr<const OrgHierarchy> hierarchy = t.Hierarchy();
    const Organisation* org = hierarchy->Find(ics, period + "-01");
    if (org == nullptr || org->level != OrgLevel::kIcs) {
      throw Error::NotFound(ics + " is not an ICS in the hierarchy for " + period);
    }
    std::int64_t now = t.NowMs();
    PeriodStatus after = PeriodBook(t.db()).Apply(ics, period, action, actor, now);
    std::string state(PeriodStateName(after.state));
    // Each practice hears of it, so its agent can say why a change waits.
    PracticeFeed feed(t.db());
    for (const std::string& practice : hierarchy->PracticesUnder(ics, period + "-01")) {
      feed.Append(practice, "period", {{"period", period}, {"state", state}}, now);
    }
    t.Audit(actor, "period_" + std::string(PeriodActionName(action)), ics + "/" + period,
            "now " + state);
    FeedJournal(t.db()).Append(
        "period", "", ics, period,
        PeriodEvent(ics, period, PeriodActionName(action), state, nullptr, actor, now), now);
    return after;
  });
}

PublishedVersion PeriodService::Publish(const std::string& ics, const std::string& period,
                                        const std::string& actor) {
  return store_.Write([&](StoreTransaction& t) {
    if (!PeriodBook(t.db()).IsClosed(ics, period)) {
      throw Error::Conflict(period + " of " + ics +
                            " is open; close it first, so that no "
                            "practice's change lands while its version is written");
    }
    // The ICS's hierarchy of the month's first day, kept with the version: a
    // later import may say otherwise of this month, but never of this version.
    std::string first_day = period + "-01";
    std::shared_ptr<const OrgHierarchy> current = t.Hierarchy();
    std::vector<Organisation> used;
    for (const Organisation& o : HierarchyStore(t.db()).All()) {
      if (o.ValidOn(first_day) && current->IcsOf(o.code, first_day) == ics) used.push_back(o);
    }
    OrgHierarchy hierarchy(used);
    std::vector<std::string> practices = hierarchy.PracticesUnder(ics, first_day);
    if (practices.empty()) {
      throw Error::NotFound("there is nothing to publish for " + ics + " " + period +
                            ": the hierarchy has no practice under it that month");
    }
    PublishedVersions versions(t.db());
    ReturnBook returns(t.db());
    MonthFigures figures(period);
    std::vector<LineageEntry> lineage;
    for (const std::string& practice : practices) {
      std::vector<ServerRecord> records;
      for (const DatasetDecl* dataset : datasets::All()) {
        ReturnKey key{practice, std::string(dataset->name), period};
        KeyedRecords keyed = HeldReturnRecords(t.db(), practice, key.dataset, period);
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
                             t.NowMs(),
                             actor,
                             static_cast<std::int64_t>(rows.size()),
                             static_cast<std::int64_t>(lineage.size())};
    versions.Write(version, used, lineage, rows);
    t.Audit(actor, "period_publish", ics + "/" + period,
            "version " + std::to_string(version.version) + ": " + std::to_string(version.figures) +
                " figures from " + std::to_string(version.returns) + " returns");
    FeedJournal(t.db()).Append("period", "", ics, period,
                               PeriodEvent(ics, period, "publish", "closed", version.version, actor,
                                           version.published_at_ms),
                               version.published_at_ms);
    return version;
  });
}

std::vector<PeriodSummary> PeriodService::Summaries(const std::string& ics) {
  return store_.Read([&](StoreReading& r) {
    PeriodBook book(r.db());
    std::map<std::string, PeriodSummary> months;
    for (const std::string& period : RecordLog(r.db()).Periods()) {
      months[period].status = book.Get(ics, period);
    }
    for (const PeriodStatus& status : book.All(ics)) months[status.period].status = status;
    for (const PublishedVersion& v : PublishedVersions(r.db()).Versions(ics)) {
      PeriodSummary& summary = months[v.period];
      summary.status = book.Get(ics, v.period);
      summary.versions.push_back(v);
    }
    std::vector<PeriodSummary> out;
    for (auto& [period, summary] : months) out.push_back(std::move(summary));
    return out;
  });
}

std::vector<PublishedVersion> PeriodService::AllPublished() {
  return store_.Read([](StoreReading& r) { return PublishedVersions(r.db()).Versions(); });
}

std::optional<PublishedMonth> PeriodService::ReadPublished(const std::string& ics,
                                                           const std::string& period,
                                                           std::optional<std::int64_t> version) {
  return store_.Read([&](StoreReading& r) -> std::optional<PublishedMonth> {
    std::optional<PublishedLineage> lineage = ReadVersion(r, ics, period, version, false);
    if (!lineage) return std::nullopt;
    return PublishedMonth{lineage->version, std::move(lineage->organisations),
                          PublishedVersions(r.db()).Figures(lineage->version)};
  });
}

std::optional<PublishedLineage> PeriodService::ReadLineage(const std::string& ics,
                                                           const std::string& period,
                                                           std::optional<std::int64_t> version) {
  return store_.Read([&](StoreReading& r) { return ReadVersion(r, ics, period, version, true); });
}

std::vector<std::string> PeriodService::PublishedDifferences() {
  return store_.Read([](StoreReading& r) { return server::PublishedDifferences(r.db()); });
}

}  // namespace tributary::server
