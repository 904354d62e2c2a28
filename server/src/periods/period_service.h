// The months of each ICS: closed and reopened by its managers, published as
// immutable versions, and read back (figures, lineage, records). Each call
// is one unit of work of the store (store/server_store.h), audited where it
// changes anything, and journalled for the ICS data teams' feed
// (feed/feed_journal.h) in the same transaction. The states are
// periods/period_state.h's; the tables periods/period_book.h's and
// periods/published_versions.h's.
//
// Failures throw tributary::Error: kConflict for an illegal move or a month
// not closed, kNotFound for an ICS the hierarchy does not have, and the
// store's own. Thread-safe as the store is; holds only a reference to the
// store, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orgs/organisation.h"
#include "periods/period_book.h"
#include "periods/published_versions.h"
#include "rollup/rollup_row.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

class ServerStore;

// A month as `periods list` and GET /v1/periods show it.
struct PeriodSummary {
  PeriodStatus status;
  std::vector<PublishedVersion> versions;  // oldest first
};

// A published version's figures and the hierarchy they were computed under.
struct PublishedMonth {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  std::vector<RollupRow> figures;
};

// A published version's lineage: what each return was when it was used.
struct PublishedLineage {
  PublishedVersion version;
  std::vector<Organisation> organisations;
  std::vector<LineageEntry> returns;
};

class PeriodService {
 public:
  explicit PeriodService(ServerStore& store) : store_(store) {}

  PeriodStatus Get(const std::string& ics, const std::string& period);
  // Closes or reopens the ICS's month; every practice of it hears of it.
  // Audited. An illegal move throws Error(kConflict) and changes nothing.
  PeriodStatus Act(const std::string& ics, const std::string& period, PeriodAction action,
                   const std::string& actor);
  // Writes the ICS's closed month's next published version from the records,
  // returns and hierarchy held now. Audited. Throws Error(kConflict) unless
  // the month is closed, Error(kNotFound) when the ICS has no practice that
  // month.
  PublishedVersion Publish(const std::string& ics, const std::string& period,
                           const std::string& actor);
  // Every month of the ICS that has records, a state someone set, or a
  // published version, oldest first.
  std::vector<PeriodSummary> Summaries(const std::string& ics);
  // Every published version of every ICS.
  std::vector<PublishedVersion> AllPublished();
  // A published version (the month's newest when `version` is nullopt);
  // nullopt when there is none.
  std::optional<PublishedMonth> ReadPublished(const std::string& ics, const std::string& period,
                                              std::optional<std::int64_t> version);
  std::optional<PublishedLineage> ReadLineage(const std::string& ics, const std::string& period,
                                              std::optional<std::int64_t> version);
  // Recomputes every published version's figures from the records its
  // lineage names and lists every difference (`rollups verify`): records
  // that no longer match their hash, figures that do not follow from them,
  // a return whose records changed without a new revision. Empty: all hold.
  std::vector<std::string> PublishedDifferences();

 private:
  ServerStore& store_;
};

}  // namespace tributary::server
