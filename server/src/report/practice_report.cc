#include "report/practice_report.h"

#include <boost/json.hpp>
#include <cstdio>

namespace tributary::server {
namespace {

struct Totals {
  std::int64_t workforce = 0;
  std::int64_t appointment_rows = 0;
  std::int64_t appointments = 0;
  std::int64_t list_size = 0;
  std::size_t months = 0;
};

Totals Sum(const PracticeSummary& p) {
  Totals t;
  for (const auto& [dataset, months] : p.datasets) {
    for (const auto& [period, m] : months) {
      if (dataset == "workforce") t.workforce += m.records;
      if (dataset == "appointments") {
        t.appointment_rows += m.records;
        t.appointments += m.appointments;
      }
      if (dataset == "list_size") t.list_size += m.records;
    }
    t.months = std::max(t.months, months.size());
  }
  return t;
}

std::string Row(const std::string& practice, const std::string& last_sync, const Totals& t) {
  char line[256];
  std::snprintf(line, sizeof line, "%-9s %-21s %6zu %10lld %13lld %14lld %10lld\n",
                practice.c_str(), last_sync.c_str(), t.months, static_cast<long long>(t.workforce),
                static_cast<long long>(t.appointment_rows), static_cast<long long>(t.appointments),
                static_cast<long long>(t.list_size));
  return line;
}

}  // namespace

std::string PracticesJson(const std::vector<PracticeSummary>& practices) {
  boost::json::array out;
  for (const PracticeSummary& p : practices) {
    boost::json::object datasets;
    for (const auto& [dataset, months] : p.datasets) {
      boost::json::object by_month;
      for (const auto& [period, m] : months) {
        boost::json::object month{{"records", m.records}};
        if (dataset == "appointments") month["appointments"] = m.appointments;
        by_month[period] = std::move(month);
      }
      datasets[dataset] = std::move(by_month);
    }
    out.push_back({{"practice", p.practice},
                   {"last_sync", p.last_sync.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(p.last_sync)},
                   {"datasets", std::move(datasets)}});
  }
  return boost::json::serialize(out) + "\n";
}

std::string PracticesTable(const std::vector<PracticeSummary>& practices) {
  std::string text =
      "PRACTICE  LAST SYNC             MONTHS  WORKFORCE  APPT ROWS    APPOINTMENTS  LIST SIZE\n";
  Totals all;
  for (const PracticeSummary& p : practices) {
    Totals t = Sum(p);
    text += Row(p.practice, p.last_sync.empty() ? "never" : p.last_sync, t);
    all.workforce += t.workforce;
    all.appointment_rows += t.appointment_rows;
    all.appointments += t.appointments;
    all.list_size += t.list_size;
    all.months = std::max(all.months, t.months);
  }
  text += Row("TOTAL", std::to_string(practices.size()) + " practices", all);
  return text;
}

}  // namespace tributary::server
