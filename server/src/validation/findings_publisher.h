// Tells each practice the cross-practice findings on its returns, through
// its pull feed. Ingest marks a month stale; Publish() recomputes every stale
// month and the twelve after it (their own-history checks read it) and
// appends a "findings" notice only for the returns whose findings changed.
//
// Findings need every practice's data, so they are published in batches
// rather than on each push: `serve` runs Publish() on a schedule
// (schedule/periodic_task.h) and admins can run it at once with
// POST /v1/findings/publish. Thread-safe: publishing is serialised, so an
// older computation never overwrites a newer one; on a store several
// instances share, only the one that leads (ServerStore::Leads, LeadWork::kFindings)
// publishes, and the others' Publish() does nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include "validation/published_findings.h"

namespace tributary::server {

class ServerStore;

struct FindingsPublished {
  std::size_t months = 0;   // months recomputed
  std::size_t notices = 0;  // notices appended to practices' feeds
};

class FindingsPublisher {
 public:
  explicit FindingsPublisher(ServerStore& store) : store_(store) {}

  FindingsPublished Publish();

 private:
  // Records the month's findings and tells the practices whose findings
  // changed, in one transaction, if this process still leads.
  std::size_t Tell(const std::string& period, const FindingsByReturn& findings, std::int64_t mark);

  ServerStore& store_;
  std::mutex mutex_;
};

}  // namespace tributary::server
