#include "tributary/common/record_rules.h"

#include <catch2/catch.hpp>
#include <set>

using namespace tributary;

namespace {

FieldMap Staff() {
  return {{"practice", "T01100"},
          {"period", "2026-08"},
          {"person_key", std::string(64, 'a')},
          {"staff_group", "Nurses"},
          {"staff_role", "Practice Nurse"},
          {"contracted_hours", "30"},
          {"fte", "0.8"},
          {"employer_type", "PRACTICE"},
          {"employer_code", "T01100"},
          {"funding", "PRACTICE"},
          {"start_date", "2020-01-01"}};
}

std::set<std::string> Rules(const FieldMap& f) {
  std::set<std::string> ids;
  for (const auto& v : CheckRecordRules(datasets::Workforce(), f)) ids.insert(v.rule);
  return ids;
}

FieldMap With(FieldMap f, const std::string& name, const std::string& value) {
  f[name] = value;
  return f;
}

}  // namespace

TEST_CASE("record rules: a sound workforce record breaks none") {
  CHECK(Rules(Staff()).empty());
  CHECK(Rules(With(Staff(), "end_date", "2026-08-01")).empty());    // left during the month
  CHECK(Rules(With(Staff(), "start_date", "2026-08-31")).empty());  // started on its last day
}

TEST_CASE("record rules: each workforce rule, broken on its own") {
  CHECK(Rules(With(Staff(), "fte", "1")) == std::set<std::string>{"workforce.fte_derived"});
  CHECK(Rules(With(Staff(), "start_date", "2026-09-01")) ==
        std::set<std::string>{"workforce.started_by_month_end"});
  CHECK(Rules(With(Staff(), "end_date", "2026-07-31")) ==
        std::set<std::string>{"workforce.not_left_before_month"});
  CHECK(Rules(With(With(Staff(), "start_date", "2026-08-10"), "end_date", "2026-08-05")) ==
        std::set<std::string>{"workforce.end_after_start"});
}

TEST_CASE("record rules: every rule is documented, and the server's check applies them") {
  CHECK(RecordRules().size() == 4);
  auto findings = ValidateWireRecord(datasets::Workforce(), With(Staff(), "fte", "1"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].field == "fte");
  CHECK(findings[0].reason.find("[workforce.fte_derived]") != std::string::npos);
  CHECK(CheckRecordRules(datasets::Appointments(), {}).empty());
}
