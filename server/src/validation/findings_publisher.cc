#include "validation/findings_publisher.h"

#include <set>

#include "reconcile/record_readings.h"
#include "store/server_store.h"
#include "tributary/common/dates.h"
#include "tributary/common/error.h"
#include "tributary/common/log.h"
#include "validation/findings_service.h"

namespace tributary::server {
namespace {

constexpr int kHistoryMonths = 12;

int MonthIndex(const std::string& period) {
  auto p = ParsePeriod(period);
  return p ? p->year * 12 + p->month - 1 : 0;
}

}  // namespace

std::size_t FindingsPublisher::Tell(const std::string& period, const FindingsByReturn& findings,
                                    std::int64_t mark) {
  return store_.Write([&](StoreTransaction& t) {
    // Asked again in the transaction's own session: one that lost its lock
    // since the computation began (its connection reset) must not publish an
    // older computation after another instance's newer one.
    if (!t.Leads(LeadWork::kFindings)) {
      throw Error::Unavailable("another instance now publishes the findings; " + period +
                               "'s are left to it");
    }
    return PublishedFindings(t.db()).Publish(period, findings, mark, t.NowMs());
  });
}

FindingsPublished FindingsPublisher::Publish() {
  std::lock_guard lock(mutex_);
  // On a store several instances share, one publishes: two computations
  // could otherwise publish an older one after a newer.
  if (!store_.Leads(LeadWork::kFindings)) return {};
  std::map<std::string, std::int64_t> stale =
      store_.Read([](StoreReading& r) { return PublishedFindings(r.db()).StalePeriods(); });
  if (stale.empty()) return {};
  std::set<std::string> months;
  for (const std::string& period : RecordReadings(store_).Periods()) {
    for (const auto& [changed, mark] : stale) {
      int after = MonthIndex(period) - MonthIndex(changed);
      if (after >= 0 && after <= kHistoryMonths) months.insert(period);
    }
  }
  // A month whose records were all deleted still has findings to withdraw.
  for (const auto& [changed, mark] : stale) months.insert(changed);

  std::map<std::string, FindingsOfMonth> findings =
      CrossPracticeFindings(store_, std::vector<std::string>(months.begin(), months.end()));
  FindingsPublished published;
  for (const std::string& period : months) {
    auto mark = stale.find(period);
    // Only a month that was itself marked clears its mark, and only the mark
    // this computation saw.
    published.notices +=
        Tell(period, TellPractices(findings[period]), mark == stale.end() ? 0 : mark->second);
    ++published.months;
  }
  log::Info("findings_published", "months=" + std::to_string(published.months) +
                                      " notices=" + std::to_string(published.notices));
  return published;
}

}  // namespace tributary::server
