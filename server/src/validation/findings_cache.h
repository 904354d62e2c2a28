// The cross-practice findings of a month, kept between requests: computing
// them reads the month's and the twelve before's records of every practice
// (validation/findings_service.h), a second or more for a nation, which no
// page or API read can spend. A month's findings are computed again only
// when a record changed (RecordReadings::LastChangeId) or the hierarchy was
// replaced since they were; otherwise the kept ones are exactly what a new
// computation would give.
//
// Thread-safe: one mutex; one computation at a time, so a burst of requests
// after a change computes once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "validation/finding_disclosure.h"
#include "validation/published_findings.h"

namespace tributary::server {

class ServerStore;

class FindingsCache {
 public:
  // `store` must outlive the cache.
  explicit FindingsCache(ServerStore& store) : store_(store) {}

  // The month's findings, as CrossPracticeFindings gives them now. Shared,
  // never changed: a later change makes a new one.
  std::shared_ptr<const FindingsOfMonth> For(const std::string& period);

 private:
  struct Kept {
    std::int64_t last_change_id = -1;
    std::shared_ptr<const OrgHierarchy> hierarchy;
    std::shared_ptr<const FindingsOfMonth> findings;
  };
  // Months kept at most; beyond it the earliest month is dropped.
  static constexpr std::size_t kMonthsKept = 24;

  ServerStore& store_;
  std::mutex mutex_;
  std::map<std::string, Kept> kept_;
};

}  // namespace tributary::server
