// The tables behind the analysts' reporting views (reporting/
// reporting_views.h): each month's rollups and hierarchy as the server
// computes them, kept per (month, ICS) by the refresher (reporting/
// reporting_refresher.h), and which database roles read which ICS.
//
//   reporting_months   one row per (period, ics) refreshed: the change mark
//                      it was computed at and when
//   reporting_rollups  every figure of the month at every level, each row
//                      under the ICS its organisation was in that month
//   reporting_orgs     the month's organisations, with their PCN, place and ICS
//   reporting_scopes   (role, ics): what `postgres grant-reporting` allowed
//
// Works inside the store's transaction on the store's connection; not
// thread-safe (ServerStore's lock guards it). Failures throw
// tributary::Error(kDatabase).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database/connection.h"
#include "rollup/rollup_row.h"

namespace tributary::server {

// One organisation of a month as the reporting views show it.
struct ReportingOrg {
  std::string code;
  std::string name;
  std::string org_type;  // PRACTICE, PCN, PLACE, ICS
  std::string parent;
  std::string pcn;    // a practice's; "" above
  std::string place;  // a practice's or PCN's; "" above
  std::string ics;
  std::string valid_from;
  std::string valid_to;
};

// One ICS's month: its figures at every level and its organisations.
struct ReportingMonth {
  std::string period;
  std::string ics;
  std::vector<RollupRow> rows;
  std::vector<ReportingOrg> orgs;
};

class ReportingTables {
 public:
  static void CreateSchema(db::Connection& db);

  explicit ReportingTables(db::Connection& db) : db_(db) {}

  // Replaces the ICS's month with `month`, computed at change mark `mark`,
  // unless what is held was computed at a later mark (a slower refresher
  // never overwrites a newer one). Returns whether it was written.
  bool Replace(const ReportingMonth& month, std::int64_t mark, std::int64_t now_ms);
  // Removes every ICS's month `period` not among `keep` (an ICS the month no
  // longer has after a new hierarchy, or a month whose records all went).
  void RemoveOthers(const std::string& period, const std::vector<std::string>& keep,
                    std::int64_t mark);
  // The months held, oldest first.
  std::vector<std::string> Periods();

 private:
  db::Connection& db_;
};

}  // namespace tributary::server
