// The analysts' reporting tables and views (reporting/reporting_tables.h,
// reporting/reporting_views.h) as the store keeps them: what the refresher
// (reporting/reporting_refresher.h) has to recompute, each ICS's month
// written, the refresh's marks, and the operator's grants. Each call is one
// unit of work of the store (store/server_store.h); grants are audited.
//
// Failures throw tributary::Error: kNotFound for an ICS the hierarchy has
// never had, kInvalidArgument for a grant that names none (and
// reporting/reporting_views.h's refusals), kCorruption for a stored mark
// that cannot be read, and the store's own. Thread-safe as the store is;
// holds only a reference to the store, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reporting/reporting_tables.h"
#include "reporting/reporting_views.h"

namespace tributary::server {

class ServerStore;

// What the refresher is to do: the months changed since its last refresh,
// and the marks to record once they are written.
struct ReportingWork {
  std::int64_t mark = 0;             // feed_events' last id when read
  std::string hierarchy_sha256;      // the hierarchy's import when read
  std::vector<std::string> periods;  // to recompute, oldest first
};

class ReportingService {
 public:
  explicit ReportingService(ServerStore& store) : store_(store) {}

  // nullopt unless a role was ever granted the views (they are refreshed
  // only then). Every month is to be recomputed the first time and after a
  // new hierarchy; after that, the months of the feed's events since the last.
  std::optional<ReportingWork> Pending();
  // Replaces one ICS's month, unless a refresh at a later mark wrote it
  // (then returns false).
  bool WriteMonth(const ReportingMonth& month, std::int64_t mark);
  // Removes the month's ICSs not in `icss` that were written at `mark` or before.
  void KeepIcss(const std::string& period, const std::vector<std::string>& icss, std::int64_t mark);
  // Records that everything up to `work.mark` is refreshed (never moving back).
  void Finish(const ReportingWork& work);
  // Creates the views and the role and sets its ICSs, audited as `actor`'s.
  ReportingGrantResult Grant(const ReportingGrant& grant, const std::string& actor);
  // Returns how many ICSs the role could read. Audited.
  int Revoke(const std::string& role, const std::string& schema, const std::string& actor);

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
