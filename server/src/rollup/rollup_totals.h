// What one practice's month contributes to the rollups of every organisation
// above it, in a form that merges: sums add, the people behind headcounts
// unite (so a person at three practices stays one head), and the parts of
// each rate add separately. The server keeps one per practice and month:
// the transaction that changes a practice-month's records marks its totals
// stale, and the next reading of that month re-totals the stale ones before
// it reads (server/src/rollup/totals_store.h), so a reading always
// agrees with the records while ingest stays cheap.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "returns/return_state.h"
#include "rollup/person_key.h"
#include "tributary/common/dataset.h"

namespace tributary::server {

// One practice's records for one month.
struct PracticeMonth {
  std::vector<FieldMap> workforce;
  std::vector<FieldMap> appointments;
  std::optional<std::int64_t> list_size;
  std::map<std::string, ReturnState> returns;  // dataset -> state; absent: open
};

// Dimension values, in RollupRow column order; all empty for a total.
struct RollupDims {
  std::string staff_group, staff_role, hcp_type, appt_mode, appt_status, booking_interval;
  auto Tie() const {
    return std::tie(staff_group, staff_role, hcp_type, appt_mode, appt_status, booking_interval);
  }
  bool operator<(const RollupDims& other) const { return Tie() < other.Tie(); }
};

// A figure being summed: the people behind it (for headcount) and its total.
struct RollupCell {
  std::vector<PersonKey> people;  // sorted, each once (but see RollupTotals::Merge)
  double sum = 0;
};

struct RollupTotals {
  std::set<std::string> workforce_practices;
  std::set<std::string> appointment_practices;
  std::map<RollupDims, RollupCell> workforce;  // all staff
  std::map<RollupDims, RollupCell> arrs;       // ARRS-funded staff
  std::map<RollupDims, RollupCell> appointments;
  double gp_fte_with_list = 0, list_for_gp = 0;
  std::int64_t practices_gp_rate = 0;
  double appointments_with_list = 0, list_for_appointments = 0;
  std::int64_t practices_appointment_rate = 0;

  // Adds `other`'s figures. Each cell's people are appended, not united:
  // uniting once after an ICS's 150 merges is far cheaper than after each.
  // Call UnitePeople() before counting heads.
  void Merge(const RollupTotals& other);
  void UnitePeople();
  bool empty() const { return workforce_practices.empty() && appointment_practices.empty(); }
};

RollupTotals PracticeTotals(const std::string& practice, const PracticeMonth& month);

// Appointments per 1,000 registered patients over the practices that have
// both (one practice's own rate, for one practice's totals); nullopt if none.
std::optional<double> AppointmentsPerThousand(const RollupTotals& totals);

}  // namespace tributary::server
