#include "validation/cross_practice_rules.h"

#include <catch2/catch.hpp>
#include <set>

#include "org_fixture.h"

using namespace tributary;
using namespace tributary::server;

namespace {

OrgHierarchy Hierarchy() {
  return test_orgs::HierarchyOf(
      "QT1,Vale ICB,ICS,,2026-01-01,\n"
      "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
      "U10010,North PCN,PCN,T1A,2026-01-01,\n"
      "T01100,A,PRACTICE,U10010,2026-01-01,\n"
      "T01113,B,PRACTICE,U10010,2026-01-01,\n"
      "T01126,C,PRACTICE,U10010,2026-01-01,\n");
}

// A workforce record as stored, read as the rules read it.
StaffLine Staff(const std::string& person, const std::string& fte, const std::string& funding,
                const std::string& employer) {
  return StaffLineOf({{"person_key", person},
                      {"fte", fte},
                      {"funding", funding},
                      {"employer_code", employer},
                      {"staff_role", "GP Partner"}});
}

// `appointments` appointments for 1,000 patients.
PracticeFacts Activity(int appointments) {
  PracticeFacts f;
  f.appointments_per_thousand = appointments;
  return f;
}

std::multiset<std::string> Rules(const std::vector<CrossPracticeFinding>& findings,
                                 const std::string& practice) {
  std::multiset<std::string> rules;
  for (const auto& f : findings) {
    if (f.practice == practice) rules.insert(f.rule);
  }
  return rules;
}

}  // namespace

TEST_CASE("cross-practice: one person over 1.0 FTE in total is flagged at every practice") {
  std::map<std::string, MonthFacts> months;
  months["2026-08"]["T01100"].staff = {Staff("p1", "0.6", "PRACTICE", "T01100")};
  months["2026-08"]["T01113"].staff = {Staff("p1", "0.6", "PRACTICE", "T01113"),
                                       Staff("p2", "1", "PRACTICE", "T01113")};
  auto findings = CheckAcrossPractices(Hierarchy(), "2026-08", months);
  CHECK(Rules(findings, "T01100") == std::multiset<std::string>{"workforce.fte_over_one"});
  CHECK(Rules(findings, "T01113") == std::multiset<std::string>{"workforce.fte_over_one"});
  CHECK(findings[0].reason.find("1.20 FTE") != std::string::npos);
}

TEST_CASE("cross-practice: one person ARRS-funded by two employers is flagged") {
  std::map<std::string, MonthFacts> months;
  months["2026-08"]["T01100"].staff = {Staff("p1", "0.4", "ARRS", "U10010")};
  months["2026-08"]["T01113"].staff = {Staff("p1", "0.4", "ARRS", "U10017")};
  months["2026-08"]["T01126"].staff = {Staff("p2", "0.4", "ARRS", "U10010")};
  auto findings = CheckAcrossPractices(Hierarchy(), "2026-08", months);
  CHECK(Rules(findings, "T01100") == std::multiset<std::string>{"workforce.arrs_two_employers"});
  CHECK(Rules(findings, "T01113") == std::multiset<std::string>{"workforce.arrs_two_employers"});
  CHECK(Rules(findings, "T01126").empty());
}

TEST_CASE("cross-practice: appointments far from the practice's own history are flagged") {
  std::map<std::string, MonthFacts> months;
  months["2026-06"]["T01100"] = Activity(300);
  months["2026-07"]["T01100"] = Activity(340);
  months["2026-08"]["T01100"] = Activity(150);  // under half of 320
  CHECK(Rules(CheckAcrossPractices(Hierarchy(), "2026-08", months), "T01100") ==
        std::multiset<std::string>{"appointments.outlier_own_history"});
  months["2026-08"]["T01100"] = Activity(400);  // within 1.5 x
  CHECK(Rules(CheckAcrossPractices(Hierarchy(), "2026-08", months), "T01100").empty());
  months.erase("2026-06");  // one month of history is too little to judge
  months["2026-08"]["T01100"] = Activity(10);
  CHECK(Rules(CheckAcrossPractices(Hierarchy(), "2026-08", months), "T01100").empty());
}

TEST_CASE("cross-practice: appointments far from the PCN's peers are flagged") {
  std::map<std::string, MonthFacts> months;
  months["2026-08"]["T01100"] = Activity(300);
  months["2026-08"]["T01113"] = Activity(320);
  months["2026-08"]["T01126"] = Activity(700);  // over twice the median of 320
  auto findings = CheckAcrossPractices(Hierarchy(), "2026-08", months);
  CHECK(Rules(findings, "T01126") == std::multiset<std::string>{"appointments.outlier_pcn_peers"});
  CHECK(Rules(findings, "T01100").empty());
  months["2026-08"].erase("T01113");  // two peers are too few to judge
  CHECK(Rules(CheckAcrossPractices(Hierarchy(), "2026-08", months), "T01126").empty());
}
