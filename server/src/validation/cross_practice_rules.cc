#include "validation/cross_practice_rules.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "tributary/common/dates.h"
#include "validation/finding_disclosure.h"

namespace tributary::server {
namespace {

constexpr double kFteTolerance = 1e-9;
constexpr double kOwnLow = 0.5, kOwnHigh = 1.5;
constexpr double kPeerLow = 0.5, kPeerHigh = 2.0;
constexpr std::size_t kMinHistory = 2, kMinPeers = 3;
constexpr int kHistoryMonths = 12;

// Calendar months from `earlier` to `later`, both "YYYY-MM".
int MonthsBetween(const std::string& earlier, const std::string& later) {
  auto a = ParsePeriod(earlier), b = ParsePeriod(later);
  if (!a || !b) return 0;
  return (b->year - a->year) * 12 + (b->month - a->month);
}

std::string Format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// A short, stable handle for a person key, so a manager can match findings
// without the server revealing more than the key.
std::string PersonHandle(const std::string& person_key) { return person_key.substr(0, 8); }

// A person finding at `practice`, its reason the one for those who see everything.
CrossPracticeFinding PersonFinding(const std::string& practice, const char* rule,
                                   const PersonInvolvement& person) {
  CrossPracticeFinding f{practice, "workforce", rule, "", person};
  f.reason = TellReason(f, EveryOrganisation);
  return f;
}

std::string Get(const FieldMap& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

void CheckPeople(const MonthFacts& month, std::vector<CrossPracticeFinding>& out) {
  struct Person {
    double fte = 0;
    std::map<std::string, double> fte_by_practice;
    std::set<std::string> arrs_employers;
    std::set<std::string> arrs_practices;
  };
  std::map<std::string, Person> people;
  for (const auto& [practice, facts] : month) {
    for (const StaffLine& line : facts.staff) {
      Person& p = people[line.person_key];
      p.fte += line.fte;
      p.fte_by_practice[practice] += line.fte;
      if (line.arrs_funded) {
        p.arrs_employers.insert(line.employer_code);
        p.arrs_practices.insert(practice);
      }
    }
  }
  for (const auto& [key, p] : people) {
    if (p.fte > 1.0 + kFteTolerance) {
      PersonInvolvement involved{PersonHandle(key), p.fte_by_practice, {}};
      for (const auto& [practice, fte] : p.fte_by_practice) {
        out.push_back(PersonFinding(practice, "workforce.fte_over_one", involved));
      }
    }
    if (p.arrs_employers.size() > 1) {
      PersonInvolvement involved{PersonHandle(key), {}, p.arrs_employers};
      for (const std::string& practice : p.arrs_practices) {
        out.push_back(PersonFinding(practice, "workforce.arrs_two_employers", involved));
      }
    }
  }
}

void CheckOwnHistory(const std::string& period, const std::map<std::string, MonthFacts>& months,
                     std::vector<CrossPracticeFinding>& out) {
  for (const auto& [practice, facts] : months.at(period)) {
    const std::optional<double>& now = facts.appointments_per_thousand;
    if (!now) continue;
    std::vector<double> history;
    for (auto it = months.rbegin(); it != months.rend(); ++it) {
      if (it->first >= period) continue;
      if (MonthsBetween(it->first, period) > kHistoryMonths) break;
      auto p = it->second.find(practice);
      if (p == it->second.end()) continue;
      if (auto rate = p->second.appointments_per_thousand) history.push_back(*rate);
    }
    if (history.size() < kMinHistory) continue;
    double mean = 0;
    for (double h : history) mean += h;
    mean /= static_cast<double>(history.size());
    if (mean > 0 && (*now < kOwnLow * mean || *now > kOwnHigh * mean)) {
      out.push_back({practice, "appointments", "appointments.outlier_own_history",
                     Format(*now) + " appointments per 1,000 patients against " + Format(mean) +
                         " on average over its previous " + std::to_string(history.size()) +
                         " months",
                     std::nullopt});
    }
  }
}

void CheckPeers(const OrgHierarchy& hierarchy, const std::string& period, const MonthFacts& month,
                std::vector<CrossPracticeFinding>& out) {
  std::string day = period + "-01";
  for (const Organisation* pcn : hierarchy.At(OrgLevel::kPcn, day)) {
    std::map<std::string, double> rates;
    for (const std::string& practice : hierarchy.PracticesUnder(pcn->code, day)) {
      auto m = month.find(practice);
      if (m == month.end()) continue;
      if (auto rate = m->second.appointments_per_thousand) rates[practice] = *rate;
    }
    if (rates.size() < kMinPeers) continue;
    std::vector<double> sorted;
    for (const auto& [practice, rate] : rates) sorted.push_back(rate);
    std::sort(sorted.begin(), sorted.end());
    std::size_t mid = sorted.size() / 2;
    double median = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    for (const auto& [practice, rate] : rates) {
      if (median > 0 && (rate < kPeerLow * median || rate > kPeerHigh * median)) {
        out.push_back({practice, "appointments", "appointments.outlier_pcn_peers",
                       Format(rate) + " appointments per 1,000 patients against a median of " +
                           Format(median) + " across the " + std::to_string(rates.size()) +
                           " practices of " + pcn->code,
                       std::nullopt});
      }
    }
  }
}

}  // namespace

StaffLine StaffLineOf(const FieldMap& r) {
  return {Get(r, "person_key"), std::stod(Get(r, "fte")), Get(r, "funding") == "ARRS",
          Get(r, "employer_code")};
}

std::vector<CrossPracticeFinding> CheckAcrossPractices(
    const OrgHierarchy& hierarchy, const std::string& period,
    const std::map<std::string, MonthFacts>& months) {
  std::vector<CrossPracticeFinding> out;
  auto month = months.find(period);
  if (month == months.end()) return out;
  CheckPeople(month->second, out);
  CheckOwnHistory(period, months, out);
  CheckPeers(hierarchy, period, month->second, out);
  return out;
}

}  // namespace tributary::server
