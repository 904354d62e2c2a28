#include "importer/csv_importer.h"

#include <catch2/catch.hpp>

#include "local_person_keys.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

testing::LocalPersonKeys& Keys() {
  static testing::LocalPersonKeys keys;
  return keys;
}

ImportSettings Settings() { return ImportSettings{"T01100", &Keys(), 100}; }

const char* kAppointmentsHeader =
    "APPOINTMENT_DATE,GP_CODE,HCP_TYPE,APPT_MODE,APPT_STATUS,TIME_BETWEEN_BOOK_AND_APPT,"
    "NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n";

const char* kWorkforceHeader =
    "PRACTICE_CODE,PERIOD,STAFF_ID,GIVEN_NAME,FAMILY_NAME,REGISTRATION_BODY,REGISTRATION_NUMBER,"
    "STAFF_GROUP,STAFF_ROLE,CONTRACTED_HOURS,EMPLOYER_TYPE,EMPLOYER_CODE,EMPLOYER_STAFF_ID,"
    "FUNDING,START_DATE,END_DATE\n";

}  // namespace

TEST_CASE("importer: the dataset is detected from the header") {
  auto parsed = ParseImport(std::string(kAppointmentsHeader) +
                                "2026-08-03,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n",
                            nullptr, Settings());
  REQUIRE(parsed.problems.empty());
  CHECK(parsed.dataset == &datasets::Appointments());
  REQUIRE(parsed.periods.size() == 1);
  CHECK(parsed.periods[0].period == "2026-08");
}

TEST_CASE("importer: NHS-style dates are stored as ISO") {
  auto parsed = ParseImport(
      std::string(kAppointmentsHeader) + "03AUG2026,T01100,GP,Telephone,DNA,1 Day,Walk-in,1\n",
      nullptr, Settings());
  REQUIRE(parsed.problems.empty());
  CHECK(parsed.periods[0].records[0].at("appointment_date") == "2026-08-03");
}

TEST_CASE("importer: a bad value is reported with line and column, and nothing is kept") {
  auto parsed = ParseImport(std::string(kAppointmentsHeader) +
                                "2026-08-03,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n"
                                "2026-08-03,T01100,GP,Carrier Pigeon,Attended,Same Day,Walk-in,3\n",
                            nullptr, Settings());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 3);
  CHECK(parsed.problems[0].column == "APPT_MODE");
  CHECK(parsed.problems[0].reason.find("Carrier Pigeon") != std::string::npos);
  CHECK(parsed.periods.empty());
}

TEST_CASE("importer: every problem in the file is listed, not just the first") {
  auto parsed = ParseImport(std::string(kAppointmentsHeader) +
                                "2026-08-32,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n"
                                "2026-08-03,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,-1\n"
                                "2026-08-03,T01100,GP\n",
                            nullptr, Settings());
  REQUIRE(parsed.problems.size() == 3);
  CHECK(parsed.problems[0].column == "APPOINTMENT_DATE");
  CHECK(parsed.problems[1].column == "COUNT_OF_APPOINTMENTS");
  CHECK(parsed.problems[2].line == 4);
}

TEST_CASE("importer: a file naming another practice is refused") {
  auto parsed = ParseImport(std::string(kAppointmentsHeader) +
                                "2026-08-03,T09999,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n",
                            nullptr, Settings());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].column == "GP_CODE");
  CHECK(parsed.problems[0].reason.find("enrolled for T01100") != std::string::npos);
}

TEST_CASE("importer: a repeated record key is refused, naming the first line") {
  std::string row = "2026-08-03,T01100,GP,Face-to-Face,Attended,Same Day,Walk-in,3\n";
  auto parsed = ParseImport(std::string(kAppointmentsHeader) + row + row, nullptr, Settings());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 3);
  CHECK(parsed.problems[0].reason.find("line 2") != std::string::npos);
}

TEST_CASE("importer: an unknown header, a missing column and an empty file are refused") {
  CHECK(ParseImport("A,B,C\n1,2,3\n", nullptr, Settings()).problems.size() == 1);
  auto missing = ParseImport("EXTRACT_DATE,PRACTICE_CODE\n2026-08-01,T01100\n",
                             &datasets::ListSize(), Settings());
  REQUIRE_FALSE(missing.problems.empty());
  CHECK(missing.problems[0].column == "NUMBER_OF_PATIENTS");
  CHECK_FALSE(ParseImport("", nullptr, Settings()).problems.empty());
  CHECK_FALSE(ParseImport("EXTRACT_DATE,PRACTICE_CODE,NUMBER_OF_PATIENTS\n", nullptr, Settings())
                  .problems.empty());
}

TEST_CASE("importer: workforce rows carry a person key and FTE, never names or registrations") {
  auto parsed = ParseImport(
      std::string(kWorkforceHeader) +
          "T01100,2026-08,P002,Priya,Dale,HCPC,7001002,Direct Patient Care,Paramedic,30.0,PCN,"
          "U10010,E01002,ARRS,2024-04-01,\n",
      nullptr, Settings());
  REQUIRE(parsed.problems.empty());
  const FieldMap& record = parsed.periods.at(0).records.at(0);
  CHECK(record.at("fte") == "0.8");
  CHECK(record.at("person_key").size() == 64);
  for (const char* hidden : {"given_name", "family_name", "registration_number",
                             "registration_body", "staff_id", "employer_staff_id"}) {
    CHECK(record.count(hidden) == 0);
  }
  REQUIRE(parsed.people.size() == 1);
  CHECK(parsed.people[0].family_name == "Dale");
  CHECK(ValidateWireRecord(datasets::Workforce(), record).empty());
}

TEST_CASE("importer: the same person gets the same key at every practice, by registration") {
  auto at = [](const std::string& practice) {
    ImportSettings s{practice, &Keys(), 100};
    auto parsed = ParseImport(
        std::string(kWorkforceHeader) + practice +
            ",2026-08,X1,A,B,GPhC,2088001,Direct Patient Care,Clinical Pharmacist,15,PCN,U10010,"
            "E77,ARRS,2024-04-01,\n",
        nullptr, s);
    REQUIRE(parsed.problems.empty());
    return parsed.periods.at(0).records.at(0).at("person_key");
  };
  CHECK(at("T01100") == at("T01113"));
}

TEST_CASE("importer: a person with neither registration nor employer staff id is refused") {
  auto parsed = ParseImport(
      std::string(kWorkforceHeader) +
          "T01100,2026-08,S9,A,B,,,Admin/Non-Clinical,Receptionist,20,PRACTICE,T01100,,PRACTICE,"
          "2024-01-01,\n",
      nullptr, Settings());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].line == 2);
}

TEST_CASE("importer: hours above 80 a week are refused") {
  auto parsed =
      ParseImport(std::string(kWorkforceHeader) +
                      "T01100,2026-08,S9,A,B,GMC,123,GP,Salaried GP,81,PRACTICE,T01100,S9,PRACTICE,"
                      "2024-01-01,\n",
                  nullptr, Settings());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].column == "CONTRACTED_HOURS");
}

TEST_CASE("importer: the record rules run at import, named by column and rule") {
  auto parsed = ParseImport(
      std::string(kWorkforceHeader) +
          "T01100,2026-08,P002,Priya,Dale,HCPC,7001002,Direct Patient Care,Paramedic,30.0,PCN,"
          "U10010,E01002,ARRS,2026-09-01,\n"
          "T01100,2026-08,P003,Sam,Dale,HCPC,7001003,Direct Patient Care,Paramedic,30.0,PCN,"
          "U10010,E01003,ARRS,2020-01-01,2026-07-31\n",
      nullptr, Settings());
  REQUIRE(parsed.problems.size() == 2);
  CHECK(parsed.problems[0].line == 2);
  CHECK(parsed.problems[0].column == "START_DATE");
  CHECK(parsed.problems[0].reason.find("[workforce.started_by_month_end]") != std::string::npos);
  CHECK(parsed.problems[1].line == 3);
  CHECK(parsed.problems[1].column == "END_DATE");
  CHECK(parsed.problems[1].reason.find("[workforce.not_left_before_month]") != std::string::npos);
  CHECK(parsed.periods.empty());
}

TEST_CASE("importer: a header column with no name is reported by its position") {
  // Found by the CSV fuzzer: a trailing comma on the header left the problem's
  // column empty, so the message read "FILE:1: : is not a column".
  auto parsed = ParseImport(
      "EXTRACT_DATE,PRACTICE_CODE,,NUMBER_OF_PATIENTS\n"
      "2026-08-01,T01100,,6600\n",
      &datasets::ListSize(), Settings());
  REQUIRE_FALSE(parsed.problems.empty());
  bool named = false;
  for (const auto& problem : parsed.problems) {
    CHECK_FALSE(problem.column.empty());
    named = named || problem.reason == "column 3 has no name";
  }
  CHECK(named);
  CHECK(parsed.periods.empty());
}
