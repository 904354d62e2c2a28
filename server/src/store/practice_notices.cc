// What the server tells practices: the cross-practice findings it publishes
// (store/published_findings.h) and each practice's feed, read by pull
// (store/practice_feed.h). Part of ServerStore.
#include "store/practice_feed.h"
#include "store/server_store.h"
#include "tributary/common/error.h"

namespace tributary::server {

std::map<std::string, std::int64_t> ServerStore::StaleFindingPeriods() {
  std::lock_guard lock(mutex_);
  return PublishedFindings(db_).StalePeriods();
}

std::size_t ServerStore::PublishFindings(const std::string& period,
                                         const FindingsByReturn& findings, std::int64_t mark) {
  std::lock_guard lock(mutex_);
  db::Transaction txn(db_);
  // Asked again in the transaction's own session: one that lost its lock
  // since the computation began (its connection reset) must not publish an
  // older computation after another instance's newer one.
  if (!db_.TryLead(kFindingsLeaderKey)) {
    throw Error::Unavailable("another instance now publishes the findings; " + period +
                             "'s are left to it");
  }
  std::size_t notices = PublishedFindings(db_).Publish(period, findings, mark, NowMs());
  txn.Commit();
  return notices;
}

protocol::PullReply ServerStore::Pull(const std::string& practice, std::uint64_t cursor,
                                      std::size_t limit) {
  std::lock_guard lock(mutex_);
  return PracticeFeed(db_).Read(practice, cursor, limit);
}

}  // namespace tributary::server
