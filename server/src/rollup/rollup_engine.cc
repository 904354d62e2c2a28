#include "rollup/rollup_engine.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace tributary::server {
namespace {

constexpr double kPerTenThousand = 10000;

using Dims = RollupDims;

// An organisation's month: its practices' totals merged, and its coverage.
struct OrgTotals : RollupTotals {
  std::int64_t practices_expected = 0;
  std::int64_t practices_submitted = 0;
  std::int64_t practices_approved = 0;
};

using ReturnStates = std::map<std::string, ReturnState>;

// True when every return dataset's state is one of `states`.
bool AllReturnsIn(const ReturnStates& returns, std::initializer_list<ReturnState> states) {
  for (const DatasetDecl* dataset : datasets::All()) {
    auto it = returns.find(std::string(dataset->name));
    ReturnState state = it == returns.end() ? ReturnState::kOpen : it->second;
    if (std::find(states.begin(), states.end(), state) == states.end()) return false;
  }
  return true;
}

class RowWriter {
 public:
  RowWriter(std::vector<RollupRow>& rows, std::string level, std::string code, std::string period)
      : rows_(rows), level_(std::move(level)), code_(std::move(code)), period_(std::move(period)) {}

  void Add(const std::string& dataset, const std::string& measure, const Dims& d, double value,
           std::int64_t covered) {
    rows_.push_back({level_, code_, period_, dataset, measure, d.staff_group, d.staff_role,
                     d.hcp_type, d.appt_mode, d.appt_status, d.booking_interval, value, covered});
  }

 private:
  std::vector<RollupRow>& rows_;
  std::string level_, code_, period_;
};

// The share of the month's appointments in the cell with this dimension value.
double Share(const OrgTotals& t, const Dims& d) {
  auto total = t.appointments.find(Dims{});
  auto part = t.appointments.find(d);
  if (total == t.appointments.end() || total->second.sum == 0) return 0;
  return part == t.appointments.end() ? 0 : part->second.sum / total->second.sum;
}

void WriteRows(const OrgTotals& t, const RollupFilter& filter, RowWriter& out) {
  auto wanted = [&filter](const char* dataset) {
    return filter.dataset.empty() || filter.dataset == dataset;
  };
  if (wanted("workforce") && !t.workforce_practices.empty()) {
    auto covered = static_cast<std::int64_t>(t.workforce_practices.size());
    for (const auto& [d, c] : t.workforce) {
      out.Add("workforce", "headcount", d, static_cast<double>(c.people.size()), covered);
      out.Add("workforce", "fte", d, c.sum, covered);
    }
    for (const auto& [d, c] : t.arrs) {
      out.Add("workforce", "arrs_headcount", d, static_cast<double>(c.people.size()), covered);
      out.Add("workforce", "arrs_fte", d, c.sum, covered);
    }
    if (t.practices_gp_rate > 0) {
      out.Add("workforce", "gp_fte_per_10k", Dims{},
              t.gp_fte_with_list / t.list_for_gp * kPerTenThousand, t.practices_gp_rate);
    }
  }
  if (wanted("appointments") && !t.appointment_practices.empty()) {
    auto covered = static_cast<std::int64_t>(t.appointment_practices.size());
    for (const auto& [d, c] : t.appointments) {
      out.Add("appointments", "appointments", d, c.sum, covered);
    }
    if (auto rate = AppointmentsPerThousand(t)) {
      out.Add("appointments", "appointments_per_1000", Dims{}, *rate, t.practices_appointment_rate);
    }
    out.Add("appointments", "dna_rate", Dims{}, Share(t, Dims{"", "", "", "", "DNA", ""}), covered);
    out.Add("appointments", "face_to_face_share", Dims{},
            Share(t, Dims{"", "", "", "Face-to-Face", "", ""}), covered);
    out.Add("appointments", "same_day_share", Dims{},
            Share(t, Dims{"", "", "", "", "", "Same Day"}), covered);
  }
  if (wanted("coverage") && t.practices_expected > 0) {
    out.Add("coverage", "practices_expected", Dims{}, static_cast<double>(t.practices_expected),
            t.practices_expected);
    out.Add("coverage", "practices_submitted", Dims{}, static_cast<double>(t.practices_submitted),
            t.practices_expected);
    out.Add("coverage", "practices_approved", Dims{}, static_cast<double>(t.practices_approved),
            t.practices_expected);
  }
}

}  // namespace

std::vector<RollupRow> ComputeRollups(
    const OrgHierarchy& hierarchy, const std::string& period,
    const std::map<std::string, RollupTotals>& practices,
    const std::map<std::string, std::map<std::string, ReturnState>>& returns,
    const RollupFilter& filter) {
  const std::string first_day = period + "-01";
  constexpr OrgLevel kLevels[] = {OrgLevel::kPractice, OrgLevel::kPcn, OrgLevel::kPlace,
                                  OrgLevel::kIcs};
  static const ReturnStates kNoReturns;
  // level -> code -> totals; std::map keeps the output ordered by code.
  std::map<OrgLevel, std::map<std::string, OrgTotals>> totals;
  for (OrgLevel level : kLevels) {
    if (filter.level && *filter.level != level) continue;
    std::vector<const Organisation*> orgs;
    if (filter.code.empty()) {
      orgs = hierarchy.At(level, first_day);
    } else if (const Organisation* org = hierarchy.Find(filter.code, first_day);
               org != nullptr && org->level == level) {
      orgs.push_back(org);
    }
    for (const Organisation* org : orgs) {
      OrgTotals& t = totals[level][org->code];
      std::vector<std::string> members = hierarchy.PracticesUnder(org->code, first_day);
      t.practices_expected = static_cast<std::int64_t>(members.size());
      for (const std::string& practice : members) {
        auto r = returns.find(practice);
        const ReturnStates& states = r == returns.end() ? kNoReturns : r->second;
        using enum ReturnState;
        if (AllReturnsIn(states, {kSubmitted, kApproved, kLocked})) ++t.practices_submitted;
        if (AllReturnsIn(states, {kApproved, kLocked})) ++t.practices_approved;
      }
    }
  }
  for (const auto& [practice, contribution] : practices) {
    for (OrgLevel level : kLevels) {
      if (filter.level && *filter.level != level) continue;
      std::optional<std::string> code = level == OrgLevel::kPractice
                                            ? std::optional<std::string>(practice)
                                            : hierarchy.AncestorOf(practice, level, first_day);
      if (!code || (!filter.code.empty() && filter.code != *code)) continue;
      totals[level][*code].Merge(contribution);
    }
  }
  std::vector<RollupRow> rows;
  for (auto& [level, by_code] : totals) {
    for (auto& [code, t] : by_code) {
      t.UnitePeople();
      std::size_t start = rows.size();
      RowWriter writer(rows, std::string(LevelName(level)), code, period);
      WriteRows(t, filter, writer);
      std::sort(rows.begin() + static_cast<std::ptrdiff_t>(start), rows.end(),
                [](const RollupRow& a, const RollupRow& b) {
                  auto key = [](const RollupRow& r) {
                    return std::tie(r.dataset, r.measure, r.staff_group, r.staff_role, r.hcp_type,
                                    r.appt_mode, r.appt_status, r.booking_interval);
                  };
                  return key(a) < key(b);
                });
    }
  }
  return rows;
}

std::vector<RollupRow> ComputeRollups(const OrgHierarchy& hierarchy, const std::string& period,
                                      const std::map<std::string, PracticeMonth>& data,
                                      const RollupFilter& filter) {
  std::map<std::string, RollupTotals> practices;
  std::map<std::string, ReturnStates> returns;
  for (const auto& [practice, month] : data) {
    practices[practice] = PracticeTotals(practice, month);
    returns[practice] = month.returns;
  }
  return ComputeRollups(hierarchy, period, practices, returns, filter);
}

}  // namespace tributary::server
