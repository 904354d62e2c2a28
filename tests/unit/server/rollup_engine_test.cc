#include "rollup/rollup_engine.h"

#include <catch2/catch.hpp>

#include "org_fixture.h"
#include "tributary/common/digest.h"

using namespace tributary;
using namespace tributary::server;

namespace {

// One ICS, one place, two PCNs; T01126 moves from North to South on 1 October.
OrgHierarchy Hierarchy() {
  return test_orgs::HierarchyOf(
      "QT1,Vale ICB,ICS,,2026-01-01,\n"
      "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
      "U10010,North PCN,PCN,T1A,2026-01-01,\n"
      "U10017,South PCN,PCN,T1A,2026-01-01,\n"
      "T01100,A,PRACTICE,U10010,2026-01-01,\n"
      "T01113,B,PRACTICE,U10010,2026-01-01,\n"
      "T01126,C,PRACTICE,U10010,2026-01-01,2026-09-30\n"
      "T01126,C,PRACTICE,U10017,2026-10-01,\n");
}

FieldMap Staff(const std::string& person, const std::string& group, const std::string& role,
               const std::string& fte, const std::string& funding = "PRACTICE") {
  // Stored keys are HMAC hex (validation sees to it); any digest of the name will do.
  return {{"person_key", digest::Sha256Hex(person)},
          {"staff_group", group},
          {"staff_role", role},
          {"fte", fte},
          {"funding", funding}};
}

FieldMap Appointments(const std::string& mode, const std::string& status,
                      const std::string& booking, const std::string& count) {
  return {{"hcp_type", "GP"},
          {"appt_mode", mode},
          {"appt_status", status},
          {"booking_interval", booking},
          {"count", count}};
}

// The one row with these coordinates, or a failed test.
RollupRow Find(const std::vector<RollupRow>& rows, const std::string& level,
               const std::string& code, const std::string& measure, const std::string& role = "") {
  std::vector<RollupRow> found;
  for (const RollupRow& r : rows) {
    if (r.level == level && r.code == code && r.measure == measure && r.staff_role == role &&
        r.hcp_type.empty() && r.appt_mode.empty() && r.appt_status.empty() &&
        r.booking_interval.empty() && (role.empty() ? r.staff_group.empty() : true)) {
      found.push_back(r);
    }
  }
  INFO(level << " " << code << " " << measure << " " << role);
  REQUIRE(found.size() == 1);
  return found[0];
}

// A PCN pharmacist working at all three practices of North PCN in September.
std::map<std::string, PracticeMonth> SharedPharmacist() {
  std::map<std::string, PracticeMonth> data;
  for (const char* practice : {"T01100", "T01113", "T01126"}) {
    data[practice].workforce = {
        Staff("pharmacist", "Direct Patient Care", "Clinical Pharmacist", "0.4", "ARRS"),
        Staff(std::string("gp-") + practice, "GP", "GP Partner", "1")};
    data[practice].list_size = 5000;
  }
  return data;
}

}  // namespace

TEST_CASE("rollups: a person at three practices is one head in the PCN, and their FTE adds up") {
  auto rows = ComputeRollups(Hierarchy(), "2026-09", SharedPharmacist(), {});
  for (const char* practice : {"T01100", "T01113", "T01126"}) {
    CHECK(Find(rows, "practice", practice, "headcount").value == 2);
    CHECK(Find(rows, "practice", practice, "arrs_headcount").value == 1);
  }
  CHECK(Find(rows, "pcn", "U10010", "headcount").value == 4);  // 3 GPs + 1 pharmacist
  CHECK(Find(rows, "pcn", "U10010", "fte").value == Approx(4.2));
  CHECK(Find(rows, "pcn", "U10010", "arrs_headcount").value == 1);
  CHECK(Find(rows, "pcn", "U10010", "arrs_fte").value == Approx(1.2));
  CHECK(Find(rows, "pcn", "U10010", "arrs_headcount", "Clinical Pharmacist").value == 1);
  CHECK(Find(rows, "ics", "QT1", "headcount").value == 4);
  CHECK(Find(rows, "pcn", "U10010", "headcount").practices_covered == 3);
  // 3 GP FTE for 15,000 patients
  CHECK(Find(rows, "pcn", "U10010", "gp_fte_per_10k").value == Approx(2.0));
}

TEST_CASE("rollups: a practice that moves PCN counts under its old PCN before the move") {
  auto data = SharedPharmacist();
  auto september = ComputeRollups(Hierarchy(), "2026-09", data, {});
  auto october = ComputeRollups(Hierarchy(), "2026-10", data, {});
  CHECK(Find(september, "pcn", "U10010", "headcount").practices_covered == 3);
  CHECK(Find(september, "pcn", "U10010", "practices_expected").value == 3);
  CHECK(Find(october, "pcn", "U10010", "headcount").practices_covered == 2);
  CHECK(Find(october, "pcn", "U10017", "headcount").practices_covered == 1);
  CHECK(Find(october, "pcn", "U10017", "practices_expected").value == 1);
  // The shared pharmacist now counts once in each PCN, and once in the ICS.
  CHECK(Find(october, "pcn", "U10017", "arrs_headcount").value == 1);
  CHECK(Find(october, "pcn", "U10010", "arrs_headcount").value == 1);
  CHECK(Find(october, "ics", "QT1", "arrs_headcount").value == 1);
}

TEST_CASE("rollups: appointment counts, rates and shares") {
  std::map<std::string, PracticeMonth> data;
  data["T01100"].appointments = {Appointments("Face-to-Face", "Attended", "Same Day", "60"),
                                 Appointments("Telephone", "DNA", "1 Day", "40")};
  data["T01100"].list_size = 1000;
  data["T01113"].appointments = {Appointments("Face-to-Face", "Attended", "1 Day", "100")};
  // T01113 sent no list size: it counts in the totals but not in the rate.
  auto rows = ComputeRollups(Hierarchy(), "2026-09", data, {});
  CHECK(Find(rows, "pcn", "U10010", "appointments").value == 200);
  CHECK(Find(rows, "pcn", "U10010", "appointments").practices_covered == 2);
  CHECK(Find(rows, "pcn", "U10010", "appointments_per_1000").value == Approx(100));
  CHECK(Find(rows, "pcn", "U10010", "appointments_per_1000").practices_covered == 1);
  CHECK(Find(rows, "pcn", "U10010", "dna_rate").value == Approx(0.2));
  CHECK(Find(rows, "pcn", "U10010", "face_to_face_share").value == Approx(0.8));
  CHECK(Find(rows, "pcn", "U10010", "same_day_share").value == Approx(0.3));
  int by_mode = 0;
  for (const RollupRow& r : rows) {
    if (r.level == "pcn" && r.measure == "appointments" && !r.appt_mode.empty()) {
      ++by_mode;
      CHECK(r.value == (r.appt_mode == "Face-to-Face" ? 160 : 40));
    }
  }
  CHECK(by_mode == 2);
}

TEST_CASE("rollups: the filter narrows by level, code and dataset") {
  auto rows = ComputeRollups(Hierarchy(), "2026-09", SharedPharmacist(),
                             {OrgLevel::kPcn, "U10010", "workforce"});
  REQUIRE_FALSE(rows.empty());
  for (const RollupRow& r : rows) {
    CHECK(r.level == "pcn");
    CHECK(r.code == "U10010");
    CHECK(r.dataset == "workforce");
    CHECK(r.period == "2026-09");
  }
}

TEST_CASE("rollups: tidy CSV and JSON carry every column") {
  RollupRow r{"pcn", "U10010", "2026-09", "workforce", "fte", "GP", "GP Partner",
              "",    "",       "",        "",          4.2,   3};
  CHECK(RollupsCsv({r}) ==
        "level,code,period,dataset,measure,staff_group,staff_role,hcp_type,appt_mode,"
        "appt_status,booking_interval,value,practices_covered\r\n"
        "pcn,U10010,2026-09,workforce,fte,GP,GP Partner,,,,,4.2,3\r\n");
  CHECK(RollupsJson({r}) ==
        R"({"rows":[{"level":"pcn","code":"U10010","period":"2026-09","dataset":"workforce",)"
        R"("measure":"fte","staff_group":"GP","staff_role":"GP Partner","hcp_type":"",)"
        R"("appt_mode":"","appt_status":"","booking_interval":"","value":4.2,)"
        R"("practices_covered":3}]})");
  r.appt_mode = "Video Conference/Online";
  r.staff_role = "Nurse, Practice";
  CHECK(RollupsCsv({r}).find(",\"Nurse, Practice\",") != std::string::npos);
}
