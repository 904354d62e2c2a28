#include "practice_files.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>
#include <set>
#include <tuple>

#include "tributary/common/dates.h"

namespace tributary::sim {
namespace {

using Rng = std::mt19937_64;

struct Weighted {
  const char* value;
  double weight;
};

// The national shape (docs/data.md, May 2025): face-to-face 63.5%, telephone
// 25.2%, video/online 7.8%, home visit 1.2%; attended 90%, DNA 4.1%; GP 45%,
// other practice staff 53%.
constexpr std::array kHcp = {Weighted{"GP", 45}, Weighted{"Other Practice staff", 53},
                             Weighted{"Unknown", 2}};
constexpr std::array kMode = {Weighted{"Face-to-Face", 63.5}, Weighted{"Telephone", 25.2},
                              Weighted{"Video Conference/Online", 7.8}, Weighted{"Home Visit", 1.2},
                              Weighted{"Unknown", 2.3}};
constexpr std::array kStatus = {Weighted{"Attended", 90}, Weighted{"DNA", 4.1},
                                Weighted{"Unknown", 5.9}};
constexpr std::array kInterval = {
    Weighted{"Same Day", 42},         Weighted{"1 Day", 9},
    Weighted{"2 to 7 Days", 22},      Weighted{"8  to 14 Days", 12},
    Weighted{"15  to 21 Days", 6},    Weighted{"22  to 28 Days", 4},
    Weighted{"More than 28 Days", 4}, Weighted{"Unknown / Data Quality", 1}};
constexpr std::array kCategory = {
    Weighted{"General Consultation Routine", 30},
    Weighted{"General Consultation Acute", 20},
    Weighted{"Clinical Triage", 14},
    Weighted{"Planned Clinics", 10},
    Weighted{"Planned Clinical Procedure", 9},
    Weighted{"Unplanned Clinical Activity", 3},
    Weighted{"Home Visit", 1},
    Weighted{"Care Home Visit", 1},
    Weighted{"Structured Medication Review", 3},
    Weighted{"Social Prescribing Service", 2},
    Weighted{"Service provided by organisation external to the practice", 2},
    Weighted{"Group Consultation and Group Education", 1},
    Weighted{"Walk-in", 1},
    Weighted{"Unmapped", 3}};

template <std::size_t N>
class Chooser {
 public:
  explicit Chooser(const std::array<Weighted, N>& values) : values_(values) {
    std::array<double, N> weights{};
    for (std::size_t i = 0; i < N; ++i) weights[i] = values[i].weight;
    pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
  }
  // An index, not the string: rows sort by it, the same in every build.
  std::size_t operator()(Rng& rng) { return pick_(rng); }
  const char* Name(std::size_t index) const { return values_[index].value; }

 private:
  const std::array<Weighted, N>& values_;
  std::discrete_distribution<std::size_t> pick_;
};

std::uint64_t Mix(std::uint64_t seed, const std::string& a, const std::string& b) {
  std::uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (char c : a + "/" + b) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

}  // namespace

std::string WorkforceCsv(const Practice& practice, const std::string& period) {
  std::string csv =
      "PRACTICE_CODE,PERIOD,STAFF_ID,GIVEN_NAME,FAMILY_NAME,REGISTRATION_BODY,"
      "REGISTRATION_NUMBER,STAFF_GROUP,STAFF_ROLE,CONTRACTED_HOURS,EMPLOYER_TYPE,EMPLOYER_CODE,"
      "EMPLOYER_STAFF_ID,FUNDING,START_DATE,END_DATE\n";
  for (const Post& p : practice.posts) {
    csv += practice.code + "," + period + "," + p.staff_id + "," + p.given_name + "," +
           p.family_name + "," + p.registration_body + "," + p.registration_number + "," +
           p.staff_group + "," + p.staff_role + "," + p.contracted_hours + "," + p.employer_type +
           "," + p.employer_code + "," + p.employer_staff_id + "," + p.funding + "," +
           p.start_date + ",\n";
  }
  return csv;
}

std::string AppointmentsCsv(const Practice& practice, const std::string& period,
                            const MonthShape& shape, std::uint64_t seed) {
  Rng rng(Mix(seed, practice.code, period));
  auto month = ParsePeriod(period);
  std::vector<std::string> days;  // Monday to Saturday (Saturdays: enhanced access)
  for (int d = 1; d <= DaysInMonth(month->year, month->month); ++d) {
    std::chrono::weekday weekday{std::chrono::sys_days{
        std::chrono::year{month->year} / std::chrono::month{static_cast<unsigned>(month->month)} /
        std::chrono::day{static_cast<unsigned>(d)}}};
    if (weekday != std::chrono::Sunday)
      days.push_back(Date{month->year, month->month, d}.ToString());
  }
  Chooser hcp(kHcp);
  Chooser mode(kMode);
  Chooser status(kStatus);
  Chooser interval(kInterval);
  Chooser category(kCategory);
  // England books about 0.46 appointments per registered patient a month
  // (29.1M for 63M patients): spread over the rows, 1 + a geometric count.
  double per_row = std::max(1.0, practice.patients * 0.46 / shape.appointment_rows);
  std::geometric_distribution<int> count(1.0 / per_row);
  std::uniform_int_distribution<std::size_t> day(0, days.size() - 1);
  using Key =
      std::tuple<std::size_t, std::size_t, std::size_t, std::size_t, std::size_t, std::size_t>;
  std::set<Key> seen;
  std::string csv =
      "APPOINTMENT_DATE,GP_CODE,HCP_TYPE,APPT_MODE,APPT_STATUS,TIME_BETWEEN_BOOK_AND_APPT,"
      "NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n";
  // Rows in date order, as a clinical system exports them.
  std::vector<Key> rows;
  for (int attempts = 0; static_cast<int>(rows.size()) < shape.appointment_rows &&
                         attempts < shape.appointment_rows * 20;
       ++attempts) {
    Key key{day(rng), hcp(rng), mode(rng), status(rng), interval(rng), category(rng)};
    if (seen.insert(key).second) rows.push_back(key);
  }
  std::sort(rows.begin(), rows.end());
  for (const Key& k : rows) {
    csv += days[std::get<0>(k)] + "," + practice.code + "," + hcp.Name(std::get<1>(k)) + "," +
           mode.Name(std::get<2>(k)) + "," + status.Name(std::get<3>(k)) + "," +
           interval.Name(std::get<4>(k)) + "," + category.Name(std::get<5>(k)) + "," +
           std::to_string(1 + count(rng)) + "\n";
  }
  return csv;
}

std::string ListSizeCsv(const Practice& practice, const std::string& period) {
  return "EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n" + period + "-01," + practice.code + "," +
         std::to_string(practice.patients) + "\n";
}

}  // namespace tributary::sim
