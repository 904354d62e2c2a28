// What each viewer is told of a person finding: other organisations by name
// only inside their scope, and a count of the rest.
#include "validation/finding_disclosure.h"

#include <catch2/catch.hpp>

#include "org_fixture.h"
#include "users/access_policy.h"

using namespace tributary;
using namespace tributary::server;

namespace {

OrgHierarchy Hierarchy() {
  return test_orgs::HierarchyOf(
      "QT1,Vale ICB,ICS,,2026-01-01,\n"
      "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
      "U10010,North PCN,PCN,T1A,2026-01-01,\n"
      "U10017,South PCN,PCN,T1A,2026-01-01,\n"
      "T01100,A,PRACTICE,U10010,2026-01-01,\n"
      "T01113,B,PRACTICE,U10010,2026-01-01,\n"
      "T01165,C,PRACTICE,U10017,2026-01-01,\n");
}

StaffLine Staff(const std::string& fte, const std::string& funding, const std::string& employer) {
  return StaffLineOf({{"person_key", "ab12cd34ef567890"},
                      {"fte", fte},
                      {"funding", funding},
                      {"employer_code", employer}});
}

// The month's findings as the findings service keeps them.
FindingsOfMonth Findings(const OrgHierarchy& hierarchy, const MonthFacts& month) {
  FindingsOfMonth out;
  for (CrossPracticeFinding& f : CheckAcrossPractices(hierarchy, "2026-08", {{"2026-08", month}})) {
    out[f.practice][f.dataset].push_back(std::move(f));
  }
  return out;
}

NamedOrganisation ScopeOf(const OrgHierarchy& hierarchy, const User& user) {
  return [&hierarchy, &user](const std::string& code) {
    return AccessPolicy(user, hierarchy).CanSee(code, "2026-08-01");
  };
}

}  // namespace

TEST_CASE("finding disclosure: a practice is told a count and that 1.0 FTE is exceeded, no more") {
  OrgHierarchy hierarchy = Hierarchy();
  MonthFacts month;
  month["T01100"].staff = {Staff("0.6", "PRACTICE", "T01100")};
  month["T01113"].staff = {Staff("0.3", "PRACTICE", "T01113")};
  month["T01165"].staff = {Staff("0.4", "PRACTICE", "T01165")};
  FindingsByReturn told = TellPractices(Findings(hierarchy, month));
  REQUIRE(told["T01100"]["workforce"].size() == 1);
  const std::string& text = told["T01100"]["workforce"][0];
  CHECK(text ==
        "person ab12cd34 works more than 1.0 FTE in total across 3 practices: 0.60 FTE at "
        "T01100, the rest at 2 other practices [workforce.fte_over_one]");
  for (const auto& [practice, by_dataset] : told) {
    for (const std::string& line : by_dataset.at("workforce")) {
      INFO(practice << ": " << line);
      CHECK(line.find("1.30") == std::string::npos);  // the total would give the others' FTE
      for (const char* other : {"T01100", "T01113", "T01165"}) {
        if (other != practice) CHECK(line.find(other) == std::string::npos);
      }
    }
  }
}

TEST_CASE("finding disclosure: a PCN manager is told their own practices by name, others counted") {
  OrgHierarchy hierarchy = Hierarchy();
  MonthFacts month;
  month["T01100"].staff = {Staff("0.6", "PRACTICE", "T01100")};
  month["T01113"].staff = {Staff("0.3", "PRACTICE", "T01113")};
  month["T01165"].staff = {Staff("0.4", "PRACTICE", "T01165")};
  FindingsOfMonth findings = Findings(hierarchy, month);
  User north{"u-1", "Pat", Role::kPcnManager, "U10010", 0, 0, 0};
  CHECK(TellReturn(findings, "T01100", "workforce", ScopeOf(hierarchy, north)) ==
        std::vector<std::string>{
            "person ab12cd34 works more than 1.0 FTE in total across 3 practices: 0.90 FTE at "
            "T01100, T01113, the rest at 1 other practice [workforce.fte_over_one]"});
  User south{"u-2", "Sam", Role::kPcnManager, "U10017", 0, 0, 0};
  CHECK(TellReturn(findings, "T01165", "workforce", ScopeOf(hierarchy, south)) ==
        std::vector<std::string>{
            "person ab12cd34 works more than 1.0 FTE in total across 3 practices: 0.40 FTE at "
            "T01165, the rest at 2 other practices [workforce.fte_over_one]"});
  // The ICS sees every practice, and the total.
  User ics{"u-3", "Ian", Role::kIcsAnalyst, "QT1", 0, 0, 0};
  CHECK(TellReturn(findings, "T01165", "workforce", ScopeOf(hierarchy, ics)) ==
        std::vector<std::string>{"person ab12cd34 works 1.30 FTE in total across T01100, T01113, "
                                 "T01165 [workforce.fte_over_one]"});
}

TEST_CASE("finding disclosure: the employers of an ARRS-funded person are named only in scope") {
  OrgHierarchy hierarchy = Hierarchy();
  MonthFacts month;
  month["T01100"].staff = {Staff("0.4", "ARRS", "U10010")};
  month["T01165"].staff = {Staff("0.4", "ARRS", "U10017")};
  FindingsOfMonth findings = Findings(hierarchy, month);
  FindingsByReturn told = TellPractices(findings);
  CHECK(told["T01100"]["workforce"] ==
        std::vector<std::string>{"person ab12cd34 is ARRS-funded by 2 employers in the same "
                                 "month [workforce.arrs_two_employers]"});
  User north{"u-1", "Pat", Role::kPcnManager, "U10010", 0, 0, 0};
  CHECK(TellReturn(findings, "T01100", "workforce", ScopeOf(hierarchy, north)) ==
        std::vector<std::string>{"person ab12cd34 is ARRS-funded by 2 employers in the same "
                                 "month: U10010 and 1 other [workforce.arrs_two_employers]"});
  CHECK(TellReturn(findings, "T01100", "workforce", EveryOrganisation) ==
        std::vector<std::string>{"person ab12cd34 is ARRS-funded by U10010, U10017 in the same "
                                 "month [workforce.arrs_two_employers]"});
}

TEST_CASE("finding disclosure: the appointment rules' aggregates are told as they are") {
  OrgHierarchy hierarchy = Hierarchy();
  std::map<std::string, MonthFacts> months;
  for (const char* practice : {"T01100", "T01113"}) {
    months["2026-06"][practice].appointments_per_thousand = 300;
    months["2026-07"][practice].appointments_per_thousand = 340;
  }
  months["2026-08"]["T01100"].appointments_per_thousand = 100;
  auto findings = CheckAcrossPractices(hierarchy, "2026-08", months);
  REQUIRE(findings.size() == 1);
  CHECK(TellFinding(findings[0], [](const std::string&) { return false; }) ==
        findings[0].reason + " [appointments.outlier_own_history]");
}
