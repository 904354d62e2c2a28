// The months' states inside the server's store (periods/period_state.h): who
// closed or reopened each ICS's month, and when. Each ICS closes its own
// months: one server may hold several.
//
// Works on the caller's database connection inside the caller's transaction.
// Not thread-safe on its own; ServerStore serialises it. Failures throw
// tributary::Error: kConflict for an illegal move, kDatabase for SQLite's
// errors and for a stored state it cannot read.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "database/connection.h"
#include "orgs/org_hierarchy.h"
#include "periods/period_state.h"
#include "reconcile/month_changes.h"

namespace tributary::server {

struct PeriodStatus {
  std::string ics;     // the ICS's code
  std::string period;  // YYYY-MM
  PeriodState state = PeriodState::kOpen;
  std::string changed_by;  // who closed or reopened it; "" if nobody has
  std::int64_t changed_at_ms = 0;
};

class PeriodBook {
 public:
  // `db` must outlive the book.
  explicit PeriodBook(db::Connection& db) : db_(db) {}

  static void CreateSchema(db::Connection& db);

  // A month nobody has closed is open.
  PeriodStatus Get(const std::string& ics, const std::string& period);
  bool IsClosed(const std::string& ics, const std::string& period) {
    return Get(ics, period).state == PeriodState::kClosed;
  }

  // Moves the month. Throws Error(kConflict) naming its state when illegal.
  PeriodStatus Apply(const std::string& ics, const std::string& period, PeriodAction action,
                     const std::string& actor, std::int64_t now_ms);

  // Every month of the ICS anyone closed (and perhaps reopened), oldest first.
  std::vector<PeriodStatus> All(const std::string& ics);

 private:
  static PeriodStatus Read(db::Statement& stmt);

  db::Connection& db_;
  // (ics, period) -> state: a batch reads a month's state once.
  std::map<std::pair<std::string, std::string>, PeriodStatus> known_;
};

// Whether a practice's ICS (by the month's hierarchy) closed the month, as
// writers of records ask for each change. `periods` must outlive the check;
// the hierarchy is held by it, read once for the whole transaction.
MonthClosed ClosedMonthCheck(std::shared_ptr<const OrgHierarchy> hierarchy, PeriodBook& periods);

}  // namespace tributary::server
