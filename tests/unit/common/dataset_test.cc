#include "tributary/common/dataset.h"

#include <catch2/catch.hpp>

using namespace tributary;

namespace {
FieldMap AppointmentRow() {
  return {{"appointment_date", "2026-08-03"},
          {"practice", "T01100"},
          {"hcp_type", "GP"},
          {"appt_mode", "Face-to-Face"},
          {"appt_status", "Attended"},
          {"booking_interval", "8  to 14 Days"},
          {"national_category", "Walk-in"},
          {"count", "3"}};
}
}  // namespace

TEST_CASE("dataset: each dataset declares the CSV columns of docs/data.md") {
  CHECK(datasets::Appointments().Columns() ==
        std::vector<std::string_view>{"APPOINTMENT_DATE", "GP_CODE", "HCP_TYPE", "APPT_MODE",
                                      "APPT_STATUS", "TIME_BETWEEN_BOOK_AND_APPT",
                                      "NATIONAL_CATEGORY", "COUNT_OF_APPOINTMENTS"});
  CHECK(datasets::ListSize().Columns() ==
        std::vector<std::string_view>{"EXTRACT_DATE", "PRACTICE_CODE", "NUMBER_OF_PATIENTS"});
  CHECK(datasets::Workforce().Columns().size() == 16);
  CHECK(datasets::Find("workforce") == &datasets::Workforce());
  CHECK(datasets::Find("nope") == nullptr);
}

TEST_CASE("dataset: code values match exactly, including NHS double spaces") {
  const FieldDecl& interval = *datasets::Appointments().Find("booking_interval");
  std::string out;
  CHECK(CheckField(interval, "8  to 14 Days", out).empty());
  CHECK_FALSE(CheckField(interval, "8 to 14 Days", out).empty());
  CHECK_FALSE(CheckField(interval, "same day", out).empty());
}

TEST_CASE("dataset: values are normalised so equal records encode equally") {
  std::string out;
  CHECK(CheckField(*datasets::Appointments().Find("appointment_date"), "03AUG2026", out).empty());
  CHECK(out == "2026-08-03");
  CHECK(CheckField(*datasets::Workforce().Find("contracted_hours"), "30.0", out).empty());
  CHECK(out == "30");
  CHECK(CheckField(*datasets::Appointments().Find("count"), "007", out).empty());
  CHECK(out == "7");
}

TEST_CASE("dataset: ranges and number formats are enforced") {
  const FieldDecl& hours = *datasets::Workforce().Find("contracted_hours");
  std::string out;
  CHECK_FALSE(CheckField(hours, "80.5", out).empty());
  CHECK_FALSE(CheckField(hours, "-1", out).empty());
  CHECK_FALSE(CheckField(hours, "ten", out).empty());
  CHECK(CheckField(hours, "0", out).empty());
  const FieldDecl& count = *datasets::Appointments().Find("count");
  CHECK_FALSE(CheckField(count, "1.5", out).empty());
  CHECK_FALSE(CheckField(count, "-2", out).empty());
  CHECK_FALSE(CheckField(count, "", out).empty());
}

TEST_CASE("dataset: FTE is hours over 37.5") {
  CHECK(FteFromHours(37.5) == "1");
  CHECK(FteFromHours(30) == "0.8");
  CHECK(FteFromHours(0) == "0");
}

TEST_CASE("dataset: a valid wire record passes, and its key is every column but the count") {
  FieldMap row = AppointmentRow();
  CHECK(ValidateWireRecord(datasets::Appointments(), row).empty());
  CHECK(RecordKey(datasets::Appointments(), row) ==
        "2026-08-03|T01100|GP|Face-to-Face|Attended|8  to 14 Days|Walk-in");
  CHECK(RecordPeriod(datasets::Appointments(), row) == "2026-08");
  CHECK(KeyPractice(datasets::Appointments(), RecordKey(datasets::Appointments(), row)) ==
        "T01100");
}

TEST_CASE("dataset: wire records with unknown, missing or identifying fields are refused") {
  FieldMap extra = AppointmentRow();
  extra["colour"] = "red";
  CHECK(ValidateWireRecord(datasets::Appointments(), extra).size() == 1);

  FieldMap missing = AppointmentRow();
  missing.erase("count");
  auto findings = ValidateWireRecord(datasets::Appointments(), missing);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].field == "count");

  FieldMap named = {{"practice", "T01100"},
                    {"period", "2026-08"},
                    {"person_key", std::string(64, 'a')},
                    {"given_name", "Priya"}};
  bool refused_name = false;
  for (const auto& f : ValidateWireRecord(datasets::Workforce(), named)) {
    if (f.field == "given_name") refused_name = true;
  }
  CHECK(refused_name);
}

TEST_CASE("dataset: non-canonical wire values are refused") {
  FieldMap row = AppointmentRow();
  row["appointment_date"] = "03AUG2026";
  auto findings = ValidateWireRecord(datasets::Appointments(), row);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].field == "appointment_date");
}

TEST_CASE("dataset: canonical JSON is sorted and escaped") {
  CHECK(CanonicalJson({{"b", "2"}, {"a", "x\"y\n"}}) == R"({"a":"x\"y\n","b":"2"})");
}
