#include "tributary/common/record_rules.h"

#include <cmath>

#include "tributary/common/dates.h"

namespace tributary {
namespace {

std::string Get(const FieldMap& fields, std::string_view name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

void CheckWorkforce(const FieldMap& f, std::vector<RuleViolation>& out) {
  std::string hours = Get(f, "contracted_hours");
  std::string fte = Get(f, "fte");
  if (!hours.empty() && !fte.empty() && FteFromHours(std::stod(hours)) != fte) {
    out.push_back({"workforce.fte_derived", "fte",
                   "is " + fte + " but " + hours + " hours a week is " +
                       FteFromHours(std::stod(hours)) + " FTE (37.5 hours = 1.0)"});
  }
  std::string start = Get(f, "start_date");
  std::string end = Get(f, "end_date");
  if (!end.empty() && end < start) {
    out.push_back({"workforce.end_after_start", "end_date", "is before START_DATE " + start});
  }
  auto period = ParsePeriod(Get(f, "period"));
  if (!period) return;
  std::string first = period->FirstDay().ToString();
  std::string last = period->LastDay().ToString();
  if (!start.empty() && start > last) {
    out.push_back({"workforce.started_by_month_end", "start_date",
                   "is after " + period->ToString() + ": the person had not started that month"});
  }
  if (!end.empty() && end < first) {
    out.push_back({"workforce.not_left_before_month", "end_date",
                   "is before " + period->ToString() + ": the person had left by that month"});
  }
}

}  // namespace

const std::vector<RuleDescription>& RecordRules() {
  static const std::vector<RuleDescription> rules = {
      {"workforce.fte_derived", "FTE is contracted hours / 37.5, as NWRS defines it"},
      {"workforce.end_after_start", "END_DATE is not before START_DATE"},
      {"workforce.started_by_month_end", "the person started by the end of the month reported"},
      {"workforce.not_left_before_month", "the person had not left before the month reported"},
  };
  return rules;
}

std::vector<RuleViolation> CheckRecordRules(const DatasetDecl& dataset, const FieldMap& fields) {
  std::vector<RuleViolation> out;
  if (&dataset == &datasets::Workforce()) CheckWorkforce(fields, out);
  return out;
}

}  // namespace tributary
