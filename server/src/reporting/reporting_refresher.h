// Keeps the reporting tables (reporting/reporting_tables.h) equal to the
// rollups the API gives on the latest basis: each run recomputes the months
// whose records, returns or months moved since the last run (every month
// after a new hierarchy) and writes each ICS's month in a transaction of its
// own, so writers are never kept waiting for a whole nation's month. Figures
// lag the records by up to one period of the schedule; returns' states in
// the views are read live.
//
// Only once a role has been granted the views (`postgres grant-reporting`)
// is there anything to do: until then a run costs one small query. `serve`
// runs it every --findings-every seconds beside the findings; on a store
// several instances share, one leads (ServerStore::Leads, LeadWork::kReporting) and the
// others' runs do nothing. Thread-safe: runs are serialised.
#pragma once

#include <cstddef>
#include <mutex>

#include "reporting/reporting_tables.h"
#include "rollup/rollup_row.h"
#include "store/server_store.h"

namespace tributary::server {

struct ReportingRefreshed {
  std::size_t months = 0;  // months recomputed
  std::size_t rows = 0;    // figures written
};

class ReportingRefresher {
 public:
  explicit ReportingRefresher(ServerStore& store) : store_(store) {}

  enum class Who { kLeaderOnly, kAnyone };

  // Throws tributary::Error from the store; what it had written stays, and
  // the next run recomputes the rest. kAnyone refreshes even where another
  // process leads (`grant-reporting` fills the views at once): each ICS's
  // month is written only over one computed at an earlier mark, so two
  // refreshes at once leave the newer figures whichever ends last.
  ReportingRefreshed Refresh(Who who = Who::kLeaderOnly);

 private:
  ServerStore& store_;
  std::mutex mutex_;
};

// One month's figures and organisations split by ICS, as the views hold
// them: a figure goes under the ICS its organisation was in on the month's
// first day (a practice outside the hierarchy is in no ICS, and left out).
std::vector<ReportingMonth> SplitByIcs(const std::string& period, const OrgHierarchy& hierarchy,
                                       std::vector<RollupRow> rows);

}  // namespace tributary::server
