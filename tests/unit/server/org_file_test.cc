#include "orgs/org_file.h"

#include <catch2/catch.hpp>

#include "orgs/org_hierarchy.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::server;

namespace {

const std::string kHeader = "ORG_CODE,ORG_NAME,ORG_TYPE,PARENT_CODE,VALID_FROM,VALID_TO\n";
const std::string kTop =
    "QT1,Vale ICB,ICS,,2026-01-01,\n"
    "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
    "U10010,North PCN,PCN,T1A,2026-01-01,\n"
    "U10017,South PCN,PCN,T1A,2026-01-01,\n";

// "LINE: COLUMN: reason" for each problem.
std::vector<std::string> Problems(const std::string& rows) {
  std::vector<std::string> out;
  for (const auto& p : ParseOrgFile(kHeader + kTop + rows).problems) {
    out.push_back(std::to_string(p.line) + ": " + p.column + ": " + p.reason);
  }
  return out;
}

}  // namespace

TEST_CASE("orgs file: the sample ICS reads cleanly") {
  auto parsed = ParseOrgFile(
      files::Read(std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "examples/ics-sample/orgs.csv"));
  CHECK(parsed.problems.empty());
  CHECK(parsed.organisations.size() == 77);
}

TEST_CASE("orgs file: each kind of bad row is named by line and column") {
  CHECK(Problems("T01100,A Surgery,SURGERY,U10010,2026-01-01,\n") ==
        std::vector<std::string>{"6: ORG_TYPE: 'SURGERY' is not PRACTICE, PCN, PLACE or ICS"});
  CHECK(Problems("X1,A Surgery,PRACTICE,U10010,2026-01-01,\n") ==
        std::vector<std::string>{"6: ORG_CODE: 'X1' is not a PRACTICE code"});
  CHECK(Problems("T01100,,PRACTICE,U10010,2026-01-01,\n") ==
        std::vector<std::string>{"6: ORG_NAME: is required"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,,2026-01-01,\n") ==
        std::vector<std::string>{"6: PARENT_CODE: is required"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U10010,yesterday,\n") ==
        std::vector<std::string>{"6: VALID_FROM: 'yesterday' is not a date"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U10010,2026-05-01,2026-04-30\n") ==
        std::vector<std::string>{"6: VALID_TO: is before VALID_FROM"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U99999,2026-01-01,\n") ==
        std::vector<std::string>{"6: PARENT_CODE: U99999 is not in the file"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,T1A,2026-01-01,\n") ==
        std::vector<std::string>{
            "6: PARENT_CODE: T1A is a PLACE; a PRACTICE's parent must be a PCN"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U10010,2025-06-01,\n") ==
        std::vector<std::string>{"6: PARENT_CODE: U10010 is not valid on 2025-06-01"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U10010,2026-01-01,2026-06-30\n"
                 "T01100,A Surgery,PRACTICE,U10017,2026-06-01,\n") ==
        std::vector<std::string>{"7: VALID_FROM: T01100 is already valid on 2026-06-01 (line 6)"});
  CHECK(Problems("T01100,A Surgery,PRACTICE,U10010,2026-01-01\n") ==
        std::vector<std::string>{"6: row: has 5 fields, not 6"});
}

TEST_CASE("orgs file: a wrong header or an empty file is refused") {
  CHECK(ParseOrgFile("").problems.size() == 1);
  CHECK(ParseOrgFile(kHeader).problems.at(0).reason == "the file has a header but no rows");
  auto wrong = ParseOrgFile("CODE,NAME\nQT1,x\n");
  REQUIRE(wrong.problems.size() == 1);
  CHECK(wrong.problems[0].column == "header");
  CHECK(wrong.organisations.empty());
}

TEST_CASE("org hierarchy: a practice that moves PCN counts under the old one before the move") {
  auto parsed = ParseOrgFile(kHeader + kTop +
                             "T01100,A Surgery,PRACTICE,U10010,2026-01-01,2026-06-30\n"
                             "T01100,A Surgery,PRACTICE,U10017,2026-07-01,\n"
                             "T01113,B Surgery,PRACTICE,U10010,2026-01-01,\n");
  REQUIRE(parsed.problems.empty());
  OrgHierarchy h(parsed.organisations);
  CHECK(h.AncestorOf("T01100", OrgLevel::kPcn, "2026-06-01") == "U10010");
  CHECK(h.AncestorOf("T01100", OrgLevel::kPcn, "2026-07-01") == "U10017");
  CHECK(h.AncestorOf("T01100", OrgLevel::kIcs, "2026-07-01") == "QT1");
  CHECK(h.AncestorOf("T01100", OrgLevel::kPractice, "2026-07-01") == "T01100");
  CHECK_FALSE(h.AncestorOf("T01100", OrgLevel::kPcn, "2025-12-01"));
  CHECK(h.PracticesUnder("U10010", "2026-06-01") == std::vector<std::string>{"T01100", "T01113"});
  CHECK(h.PracticesUnder("U10010", "2026-07-01") == std::vector<std::string>{"T01113"});
  CHECK(h.PracticesUnder("U10017", "2026-07-01") == std::vector<std::string>{"T01100"});
  CHECK(h.PracticesUnder("QT1", "2026-07-01").size() == 2);
  CHECK(h.At(OrgLevel::kPcn, "2026-07-01").size() == 2);
}

TEST_CASE("org hierarchy: a PCN that moves place takes its practices with it on the day") {
  auto parsed = ParseOrgFile(kHeader + kTop +
                             "T2B,Place 2,PLACE,QT1,2026-01-01,\n"
                             "U10024,East PCN,PCN,T1A,2026-01-01,2026-03-31\n"
                             "U10024,East PCN,PCN,T2B,2026-04-01,\n"
                             "T01126,C Surgery,PRACTICE,U10024,2026-01-01,\n"
                             "T01139,D Surgery,PRACTICE,U10010,2026-01-01,\n");
  REQUIRE(parsed.problems.empty());
  OrgHierarchy h(parsed.organisations);
  CHECK(h.PracticesUnder("T1A", "2026-03-01") == std::vector<std::string>{"T01126", "T01139"});
  CHECK(h.PracticesUnder("T1A", "2026-04-01") == std::vector<std::string>{"T01139"});
  CHECK(h.PracticesUnder("T2B", "2026-04-01") == std::vector<std::string>{"T01126"});
  CHECK(h.PracticesUnder("T01126", "2026-04-01") == std::vector<std::string>{"T01126"});
  CHECK(h.PracticesUnder("T01126", "2025-04-01").empty());
  CHECK(h.PracticesUnder("NOPE", "2026-04-01").empty());
}

TEST_CASE(
    "org hierarchy: the practices under each organisation are those whose chain leads to it") {
  auto parsed = ParseOrgFile(
      files::Read(std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "examples/ics-sample/orgs.csv"));
  REQUIRE(parsed.problems.empty());
  OrgHierarchy h(parsed.organisations);
  REQUIRE(h.At(OrgLevel::kPcn, "2026-08-01").size() > 5);
  for (const char* day : {"2026-08-01", "2026-10-01", "2027-01-01"}) {
    for (OrgLevel level : {OrgLevel::kPcn, OrgLevel::kPlace, OrgLevel::kIcs}) {
      for (const Organisation* org : h.At(level, day)) {
        std::vector<std::string> expected;
        for (const Organisation* practice : h.At(OrgLevel::kPractice, day)) {
          if (h.AncestorOf(practice->code, level, day) == org->code) {
            expected.push_back(practice->code);
          }
        }
        INFO(org->code << " on " << day);
        CHECK(h.PracticesUnder(org->code, day) == expected);
      }
    }
  }
}
