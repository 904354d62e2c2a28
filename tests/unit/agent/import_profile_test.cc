// Import profiles: each preset on a realistic export (a byte-order mark, CRLF,
// odd spacing, UK dates, words of its own), what is refused and how it is
// said (FILE:LINE, the nearest code), and profiles that are themselves wrong.
#include <catch2/catch.hpp>

#include "importer/csv_importer.h"
#include "importer/date_format.h"
#include "importer/nearest_code.h"
#include "importer/profile_library.h"
#include "local_person_keys.h"
#include "temp_dir.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::agent;

namespace {

const ProfileLibrary& Presets() {
  static const ProfileLibrary library = ProfileLibrary::Builtin();
  return library;
}

ParsedImport Parse(const std::string& csv, const std::string& profile = "",
                   const ProfileLibrary& library = Presets()) {
  static tributary::testing::LocalPersonKeys keys;
  ImportSettings settings;
  settings.practice = "T01100";
  settings.person_keys = &keys;
  settings.profiles = &library;
  settings.profile = profile;
  return ParseImport(csv, nullptr, settings);
}

std::vector<std::string> Problems(const ParsedImport& parsed) {
  std::vector<std::string> out;
  for (const FileProblem& p : parsed.problems) out.push_back(p.Describe("f.csv"));
  return out;
}

std::vector<FieldMap> Records(const ParsedImport& parsed) {
  std::vector<FieldMap> out;
  for (const PeriodReplacement& p : parsed.periods) {
    out.insert(out.end(), p.records.begin(), p.records.end());
  }
  return out;
}

const FieldMap* FindRecord(const std::vector<FieldMap>& records, const FieldMap& has) {
  for (const FieldMap& r : records) {
    bool all = true;
    for (const auto& [k, v] : has) all = all && r.count(k) > 0 && r.at(k) == v;
    if (all) return &r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("date formats: UK, NHS and ISO dates, with or without a time") {
  CHECK(ParseDateAs("dd/mm/yyyy", "01/10/2026")->ToString() == "2026-10-01");
  CHECK(ParseDateAs("dd/mm/yyyy", " 01/10/2026 09:30 ")->ToString() == "2026-10-01");
  CHECK(ParseDateAs("d/m/yyyy", "1/9/2026")->ToString() == "2026-09-01");
  CHECK(ParseDateAs("d-MMM-yy", "7-Oct-26")->ToString() == "2026-10-07");
  CHECK(ParseDateAs("dd MMMM yyyy", "03 september 2026")->ToString() == "2026-09-03");
  CHECK(ParseDateAs("ddMMMyyyy", "03AUG2026")->ToString() == "2026-08-03");
  CHECK(ParseDateAs("iso", "2026-10-01T09:30:00")->ToString() == "2026-10-01");
  CHECK(ParseDateAs("iso", "2026-10-01 09:30:00.125")->ToString() == "2026-10-01");
  CHECK_FALSE(ParseDateAs("dd/mm/yyyy", "31/09/2026"));  // no such day
  CHECK_FALSE(ParseDateAs("dd/mm/yyyy", "2026-10-01"));
  CHECK_FALSE(ParseDateAs("dd/mm/yyyy", "01/10/2026 lunchtime"));
  CHECK_FALSE(ParseDateAs("dd/mm/yyyy", "1/10/2026"));  // dd is two digits
  CHECK(CheckDatePattern("dd/mm/yyyy").empty());
  CHECK_FALSE(CheckDatePattern("dd/mm").empty());
  CHECK_FALSE(CheckDatePattern("dd/qq/yyyy").empty());
  CHECK_FALSE(CheckDatePattern("dd/dd/yyyy").empty());
}

TEST_CASE("values: folded for matching; the nearest suggested") {
  CHECK(Fold("  Did   Not Attend ") == "did not attend");
  CHECK(NearestOf("Telephon", {"Telephone", "Home Visit"}) == "Telephone");
  CHECK(NearestOf("Banana", {"Telephone", "Home Visit"}).empty());
}

TEST_CASE("presets: every one reads, and each fits its own header only") {
  CHECK(Presets().All().size() >= 6);
  for (const ImportProfile& p : Presets().All()) {
    INFO(p.name);
    CHECK(p.source == "built-in");
    ProfileLibrary::Choice c = Presets().Choose(p.SourceColumns(), nullptr);
    REQUIRE(c.profile != nullptr);
    CHECK(c.profile->name == p.name);
  }
}

TEST_CASE("EMIS Web preset: one row per appointment, counted, cancelled rows passed over") {
  std::string csv =
      "\xEF\xBB\xBF"
      "Appointment Date ,Appointment Time,Booked Date,Slot Status,Consultation Mode,"
      "Clinician Role,National Slot Category,Patient Name,NHS Number\r\n"
      "01/10/2026,09:00,01/10/2026 08:10,Finished,Face to Face (Surgery),Salaried GP,"
      "General Consultation Acute,Jo Bloggs,9434765919\r\n"
      "01/10/2026,09:10,01/10/2026,  arrived ,face to face (surgery),Salaried GP,"
      "general consultation acute,Al Smith,9434765870\r\n"
      "02/10/2026,09:10,25/09/2026,Did Not Attend,Telephone/Audio,Practice Nurse,"
      "Clinical Triage,Al Smith,9434765870\r\n"
      "02/10/2026,09:20,25/09/2026,Cancelled by Patient,Telephone/Audio,Practice Nurse,"
      "Clinical Triage,Al Smith,9434765870\r\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "emis-web-appointments");
  CHECK(parsed.patient_level);
  CHECK(parsed.rows == 4);
  CHECK(parsed.rows_passed_over == 1);
  CHECK(parsed.first_date == "2026-10-01");
  CHECK(parsed.last_date == "2026-10-02");
  CHECK(parsed.unread_columns ==
        std::vector<std::string>{"Appointment Time", "Patient Name", "NHS Number"});
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 2);
  const FieldMap* seen = FindRecord(records, {{"appointment_date", "2026-10-01"}});
  REQUIRE(seen != nullptr);
  CHECK(seen->at("count") == "2");
  CHECK(seen->at("appt_status") == "Attended");
  CHECK(seen->at("appt_mode") == "Face-to-Face");
  CHECK(seen->at("hcp_type") == "GP");
  CHECK(seen->at("booking_interval") == "Same Day");
  CHECK(seen->at("national_category") == "General Consultation Acute");
  CHECK(seen->at("practice") == "T01100");
  const FieldMap* missed = FindRecord(records, {{"appointment_date", "2026-10-02"}});
  REQUIRE(missed != nullptr);
  CHECK(missed->at("appt_status") == "DNA");
  CHECK(missed->at("booking_interval") == "2 to 7 Days");
  CHECK(missed->at("hcp_type") == "Other Practice staff");
  for (const FieldMap& r : records) {
    for (const auto& [field, value] : r) {
      CHECK(value.find("9434765") == std::string::npos);
      CHECK(value.find("Smith") == std::string::npos);
    }
  }
}

TEST_CASE("EMIS Web preset: an unmapped word is refused at its line with the nearest code") {
  std::string csv =
      "Appointment Date,Booked Date,Slot Status,Consultation Mode,Clinician Role,"
      "National Slot Category\n"
      "01/10/2026,01/10/2026,Finished,Telephone / Audio,Salaried GP,Clinical Triage\n"
      "01/10/2026,01/10/2026,Finished,Telephone/Audio,Salaried GP,Clinical Triag\n"
      "31/09/2026,01/10/2026,Finished,Telephone/Audio,Salaried GP,Clinical Triage\n";
  ParsedImport parsed = Parse(csv);
  std::vector<std::string> problems = Problems(parsed);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] ==
        "f.csv:2: Consultation Mode: 'Telephone / Audio' is not mapped to a code of APPT_MODE "
        "(nearest: 'telephone/audio', which is Telephone); add it to [values.APPT_MODE] of "
        "profile emis-web-appointments");
  CHECK(problems[1].rfind("f.csv:3: National Slot Category: 'Clinical Triag' is not mapped", 0) ==
        0);
  CHECK(problems[1].find("nearest: 'Clinical Triage'") != std::string::npos);
  CHECK(problems[2] ==
        "f.csv:4: Appointment Date: '31/09/2026' is not a date written dd/mm/yyyy or "
        "dd-MMM-yyyy or iso");
  CHECK(parsed.periods.empty());
}

TEST_CASE("SystmOne preset: its own words and 'dd MMM yyyy' dates") {
  std::string csv =
      "Date,Start Time,Booked On,Appointment Status,Delivery Mechanism,Staff Role,"
      "National Category,NHS Number\n"
      "05 Oct 2026,10:00,01 Oct 2026,Finished,In Practice,GP,Planned Clinics,9434765919\n"
      "05 Oct 2026,10:10,20 Sep 2026,Did not attend,Telephone,HCA,Planned Clinics,9434765870\n"
      "05 Oct 2026,10:20,20 Sep 2026,Rescheduled,Telephone,HCA,Planned Clinics,9434765870\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "systmone-appointments");
  CHECK(parsed.rows_passed_over == 1);
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 2);
  CHECK(FindRecord(records, {{"appt_status", "Attended"},
                             {"booking_interval", "2 to 7 Days"},
                             {"hcp_type", "GP"}}) != nullptr);
  CHECK(FindRecord(records, {{"appt_status", "DNA"},
                             {"booking_interval", "15  to 21 Days"},
                             {"hcp_type", "Other Practice staff"},
                             {"appt_mode", "Telephone"}}) != nullptr);
}

TEST_CASE("Vision preset: 'd-MMM-yy' dates") {
  std::string csv =
      "Appt Date,Appt Time,Date Booked,Attendance,Contact Method,Clinician Type,Slot Category,"
      "Patient ID\n"
      "7-Oct-26,09:00,7-Oct-26,Seen,Surgery,Doctor,Walk-in,P123\n"
      "7-Oct-26,09:00,6-Oct-26,DNA,Phone,Nurse,Walk-in,P124\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "vision-appointments");
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 2);
  CHECK(FindRecord(records, {{"appointment_date", "2026-10-07"},
                             {"booking_interval", "1 Day"},
                             {"appt_status", "DNA"}}) != nullptr);
}

TEST_CASE("NHS GPAD daily preset: extra columns, NHS dates, rows alike add up") {
  std::string csv =
      "SUB_ICB_LOCATION_CODE,GP_CODE,GP_NAME,SUPPLIER,Appointment_Date,HCP_TYPE,APPT_MODE,"
      "APPT_STATUS,TIME_BETWEEN_BOOK_AND_APPT,NATIONAL_CATEGORY,COUNT_OF_APPOINTMENTS\n"
      "00L,T01100,The Surgery,EMIS,03AUG2026,GP,Face-to-Face,Attended,8 to 14 Days,"
      "Walk-in,3\n"
      "00L,T01100,The Surgery,EMIS,03AUG2026,GP,Face-to-Face,Attended,8  to 14 Days,"
      "Walk-in,4\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "nhs-gpad-daily");
  CHECK_FALSE(parsed.patient_level);
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 1);
  CHECK(records[0].at("count") == "7");
  CHECK(records[0].at("booking_interval") == "8  to 14 Days");
}

TEST_CASE("NHS patients registered preset: the practice's ALL/ALL row only") {
  std::string csv =
      "PUBLICATION,EXTRACT_DATE,TYPE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
      "GP_PRAC_PAT_LIST,01OCT2026,GP,T01100,AB1 2CD,ALL,ALL,6613\n"
      "GP_PRAC_PAT_LIST,01OCT2026,GP,T01100,AB1 2CD,MALE,ALL,3300\n"
      "GP_PRAC_PAT_LIST,01OCT2026,GP,T09999,ZZ1 2CD,ALL,ALL,9000\n"
      "GP_PRAC_PAT_LIST,01OCT2026,ICB,QT1,,ALL,ALL,900000\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "nhs-patients-registered");
  CHECK(parsed.rows == 4);
  CHECK(parsed.rows_passed_over == 3);
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 1);
  CHECK(records[0].at("patients") == "6613");
  CHECK(records[0].at("extract_date") == "2026-10-01");
}

TEST_CASE("NWRS staff list preset: roles mapped, the staff group from the role") {
  std::string csv =
      "Reporting Month,Staff ID,Forename,Surname,Professional Body,Registration Number,Job Role,"
      "Contracted Hours per Week,Employed By,Employer ODS Code,Employer Staff ID,Funding,"
      "Start Date,End Date\r\n"
      "Oct-2026,S1,Ada,Okafor,GMC,7000001,GP Partner/Provider,37.5,Practice,T01100,,Practice,"
      "01/04/2020,\r\n"
      "Oct-2026,S2,Ben,Ng,,,HCA,20,Primary Care Network,U10010,E9,Additional Roles,"
      "01/09/2026,\r\n";
  ParsedImport parsed = Parse(csv);
  REQUIRE(Problems(parsed).empty());
  CHECK(parsed.profile == "nwrs-staff-list");
  std::vector<FieldMap> records = Records(parsed);
  REQUIRE(records.size() == 2);
  const FieldMap* ada = FindRecord(records, {{"staff_role", "GP Partner"}});
  REQUIRE(ada != nullptr);
  CHECK(ada->at("staff_group") == "GP");
  CHECK(ada->at("period") == "2026-10");
  CHECK(ada->at("start_date") == "2020-04-01");
  const FieldMap* ben = FindRecord(records, {{"staff_role", "Healthcare Assistant"}});
  REQUIRE(ben != nullptr);
  CHECK(ben->at("staff_group") == "Direct Patient Care");
  CHECK(ben->at("employer_type") == "PCN");
  CHECK(ben->at("funding") == "ARRS");
  REQUIRE(parsed.people.size() == 2);
}

TEST_CASE("choosing: an unknown header names the nearest profile and what it lacks") {
  ParsedImport parsed = Parse(
      "Appointment Date,Booked Date,Slot Status,Consultation Mode,Clinician Role\n"
      "01/10/2026,01/10/2026,Finished,Telephone/Audio,Salaried GP\n");
  std::vector<std::string> problems = Problems(parsed);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("f.csv:1: header: the columns match no dataset") == 0);
  CHECK(problems[0].find("the nearest is emis-web-appointments, which also needs 'National Slot "
                         "Category'") != std::string::npos);
}

TEST_CASE("choosing: two profiles that fit equally are refused, naming both") {
  const char* a =
      "name = \"ours-a\"\nlabel = \"A\"\ndataset = \"list_size\"\n"
      "[columns]\nEXTRACT_DATE = \"Day\"\nNUMBER_OF_PATIENTS = \"Patients\"\n";
  const char* b =
      "name = \"ours-b\"\nlabel = \"B\"\ndataset = \"list_size\"\n"
      "[columns]\nEXTRACT_DATE = \"Patients\"\nNUMBER_OF_PATIENTS = \"Day\"\n";
  tributary::testing::TempDir dir;
  files::WriteAtomic(dir.path() / "a.toml", a);
  files::WriteAtomic(dir.path() / "b.toml", b);
  ProfileLibrary library = ProfileLibrary::Load(dir.path());
  std::string csv = "Day,Patients\n2026-10-01,6613\n";
  std::vector<std::string> problems = Problems(Parse(csv, "", library));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("fits more than one import profile equally (ours-a, ours-b)") !=
        std::string::npos);
  ParsedImport chosen = Parse(csv, "ours-a", library);
  REQUIRE(Problems(chosen).empty());
  CHECK(Records(chosen).at(0).at("patients") == "6613");
  CHECK(Problems(Parse(csv, "no-such", library)).at(0).find("no import profile named no-such") !=
        std::string::npos);
}

TEST_CASE("a profile that is wrong is refused naming its line and key") {
  auto why = [](const std::string& toml) {
    try {
      ParseProfile(toml, "profiles/x.toml");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kInvalidInput);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string head = "name = \"x\"\nlabel = \"X\"\ndataset = \"appointments\"\n";
  CHECK(why(head + "rows = \"appointments\"\n[columns]\nAPPOINTMENT_DATE = \"D\"\n") == "accepted");
  CHECK(why(head + "rows = \"appointments\"\n[columns]\nAPPT_STATUS = \"S\"\n") ==
        "profiles/x.toml: [columns] must map APPOINTMENT_DATE: each appointment's date");
  CHECK(why(head + "rows = \"appointments\"\n[columns]\nAPPOINTMENT_DATE = \"D\"\n"
                   "[values.APPT_STATUS]\n\"Seen\" = \"Atended\"\n") ==
        "profiles/x.toml:8: values.APPT_STATUS.\"Seen\": 'Atended' is not a code of APPT_STATUS "
        "(did you mean 'Attended'?)");
  CHECK(why(head + "rows = \"appointments\"\ndate_formats = [\"dd/qq/yyyy\"]\n[columns]\n"
                   "APPOINTMENT_DATE = \"D\"\n")
            .find("profiles/x.toml:5: date_formats: 'dd/qq/yyyy'") == 0);
  CHECK(why(head + "[columns]\nAPPOINTMENT_DATE = \"D\"\n").find("comes from no column") !=
        std::string::npos);
  CHECK(why(head + "colour = \"red\"\n[columns]\nAPPOINTMENT_DATE = \"D\"\n") ==
        "profiles/x.toml:4: colour: is not a setting of an import profile (docs/data.md \"Import "
        "profiles\")");
  CHECK(why("name = \"x\"\nlabel = ").find("profiles/x.toml:2:") == 0);
}
