#include "reconcile/month_changes.h"

#include "rollup/totals_store.h"
#include "validation/published_findings.h"

namespace tributary::server {

void MarkMonthChanged(db::Connection& db, const std::string& practice, const std::string& period) {
  TotalsStore(db).MarkStale(practice, period);
  PublishedFindings(db).MarkStale(period);
}

}  // namespace tributary::server
