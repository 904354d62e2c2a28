#include "periods/period_book.h"

#include <optional>
#include <utility>

#include "tributary/common/error.h"

namespace tributary::server {

void PeriodBook::CreateSchema(db::Connection& db) {
  db.ExecSchema(R"sql(
-- One row per ICS's month anyone has closed; the rest are open.
CREATE TABLE IF NOT EXISTS periods (
  ics           TEXT NOT NULL,
  period        TEXT NOT NULL,
  state         TEXT NOT NULL,
  changed_by    TEXT NOT NULL,
  changed_at_ms INTEGER NOT NULL,
  PRIMARY KEY (ics, period)
) WITHOUT ROWID;
)sql");
}

PeriodStatus PeriodBook::Read(db::Statement& stmt) {
  PeriodStatus status;
  status.ics = stmt.ColumnText(0);
  status.period = stmt.ColumnText(1);
  status.state =
      StoredPeriodState(stmt.ColumnText(2), "the month " + status.period + " of " + status.ics);
  status.changed_by = stmt.ColumnText(3);
  status.changed_at_ms = stmt.ColumnInt(4);
  return status;
}

PeriodStatus PeriodBook::Get(const std::string& ics, const std::string& period) {
  auto cached = known_.find({ics, period});
  if (cached != known_.end()) return cached->second;
  auto stmt = db_.Prepare(
      "SELECT ics, period, state, changed_by, changed_at_ms FROM periods "
      "WHERE ics = ? AND period = ?");
  stmt.Bind(1, ics).Bind(2, period);
  PeriodStatus status;
  status.ics = ics;
  status.period = period;
  if (stmt.Step()) status = Read(stmt);
  known_[{ics, period}] = status;
  return status;
}

PeriodStatus PeriodBook::Apply(const std::string& ics, const std::string& period,
                               PeriodAction action, const std::string& actor, std::int64_t now_ms) {
  PeriodStatus before = Get(ics, period);
  std::optional<PeriodState> next = NextPeriodState(before.state, action);
  if (!next) {
    throw Error::Conflict("cannot " + std::string(PeriodActionName(action)) + " " + period +
                          " of " + ics + ": it is " + std::string(PeriodStateName(before.state)));
  }
  PeriodStatus after{ics, period, *next, actor, now_ms};
  auto save = db_.Prepare(
      "INSERT INTO periods (ics, period, state, changed_by, changed_at_ms) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ics, period) DO UPDATE SET state = excluded.state, "
      "changed_by = excluded.changed_by, changed_at_ms = excluded.changed_at_ms");
  save.Bind(1, ics).Bind(2, period).Bind(3, PeriodStateName(after.state)).Bind(4, actor);
  save.Bind(5, now_ms);
  save.Run();
  known_[{ics, period}] = after;
  return after;
}

std::vector<PeriodStatus> PeriodBook::All(const std::string& ics) {
  auto stmt = db_.Prepare(
      "SELECT ics, period, state, changed_by, changed_at_ms FROM periods WHERE ics = ? "
      "ORDER BY period");
  stmt.Bind(1, ics);
  std::vector<PeriodStatus> out;
  while (stmt.Step()) out.push_back(Read(stmt));
  return out;
}

MonthClosed ClosedMonthCheck(std::shared_ptr<const OrgHierarchy> hierarchy, PeriodBook& periods) {
  return [hierarchy = std::move(hierarchy), &periods](const std::string& practice,
                                                      const std::string& period) {
    std::optional<std::string> ics =
        hierarchy->AncestorOf(practice, OrgLevel::kIcs, period + "-01");
    return ics && periods.IsClosed(*ics, period);
  };
}

}  // namespace tributary::server
