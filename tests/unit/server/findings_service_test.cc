#include "validation/findings_service.h"

#include <catch2/catch.hpp>
#include <optional>

#include "org_fixture.h"
#include "orgs/org_service.h"
#include "reconcile/correction_service.h"
#include "reconcile/record_readings.h"
#include "rollup/rollup_readings.h"
#include "schema2_store.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/hlc.h"

using namespace tributary;
using namespace tributary::server;

namespace {

struct Fixture {
  testing::TempDir dir;
  FakeClock clock{1'700'000'000'000};
  std::optional<ServerStore> store{std::in_place, tributary::testing::TestStore(dir), clock};

  Fixture() {
    OrgService(*store).Replace(test_orgs::ParseOrgRows("QT1,Vale ICB,ICS,,2026-01-01,\n"
                                                       "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
                                                       "U10010,North PCN,PCN,T1A,2026-01-01,\n"
                                                       "T01100,A,PRACTICE,U10010,2026-01-01,\n"
                                                       "T01113,B,PRACTICE,U10010,2026-01-01,\n"
                                                       "T01126,C,PRACTICE,U10010,2026-01-01,\n"),
                               "sha");
  }

  // Writes the record as a central correction, replacing any held value.
  void Put(const std::string& practice, const std::string& dataset, const FieldMap& fields) {
    CorrectionService corrections(*store);
    auto held =
        corrections.FindRecord(practice, dataset, RecordKey(*datasets::Find(dataset), fields));
    corrections.Correct(practice, dataset, fields, held ? held->second : 0, "test");
  }

  // A month of `appointments` for 1,000 patients, in two records so the
  // rate must be their sum.
  void Activity(const std::string& practice, const std::string& period, int appointments) {
    Put(practice, "list_size",
        {{"extract_date", period + "-01"}, {"practice", practice}, {"patients", "1000"}});
    for (const char* booking : {"Same Day", "2 to 7 Days"}) {
      int count = appointments / 2 + (booking[0] == 'S' ? appointments % 2 : 0);
      Put(practice, "appointments",
          {{"appointment_date", period + "-03"},
           {"practice", practice},
           {"hcp_type", "GP"},
           {"appt_mode", "Face-to-Face"},
           {"appt_status", "Attended"},
           {"booking_interval", booking},
           {"national_category", "General Consultation Routine"},
           {"count", std::to_string(count)}});
    }
  }

  void Staff(const std::string& practice, const std::string& period, const std::string& person,
             const std::string& fte) {
    Put(practice, "workforce",
        {{"practice", practice},
         {"period", period},
         {"person_key", digest::Sha256Hex(person)},
         {"staff_group", "GP"},
         {"staff_role", "Salaried GP"},
         {"contracted_hours", "22.5"},
         {"fte", fte},
         {"employer_type", "PRACTICE"},
         {"employer_code", practice},
         {"funding", "PRACTICE"},
         {"start_date", "2025-01-01"}});
  }
};

bool Has(const FindingsOfMonth& findings, const std::string& practice, const std::string& dataset,
         const std::string& rule) {
  auto p = findings.find(practice);
  if (p == findings.end()) return false;
  auto d = p->second.find(dataset);
  if (d == p->second.end()) return false;
  for (const CrossPracticeFinding& f : d->second) {
    if (f.rule == rule) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("findings service: the month's staff and the rates of it and the months before") {
  Fixture f;
  for (const char* practice : {"T01100", "T01113", "T01126"}) {
    f.Activity(practice, "2026-06", 300);
    f.Activity(practice, "2026-07", 340);
  }
  f.Activity("T01100", "2026-08", 151);  // under half its own average of 320, and of the median
  f.Activity("T01113", "2026-08", 320);
  f.Activity("T01126", "2026-08", 330);
  f.Staff("T01100", "2026-08", "person-1", "0.6");
  f.Staff("T01113", "2026-08", "person-1", "0.6");
  f.Staff("T01126", "2026-07", "person-1", "0.6");  // another month: not added in

  FindingsOfMonth findings = CrossPracticeFindings(*f.store, "2026-08");
  CHECK(Has(findings, "T01100", "appointments", "appointments.outlier_own_history"));
  CHECK(Has(findings, "T01100", "appointments", "appointments.outlier_pcn_peers"));
  CHECK(Has(findings, "T01100", "workforce", "workforce.fte_over_one"));
  CHECK(Has(findings, "T01113", "workforce", "workforce.fte_over_one"));
  CHECK(findings.count("T01126") == 0);
  CHECK(findings["T01100"]["appointments"][0].reason.find("151.00 appointments per 1,000") !=
        std::string::npos);

  // A corrected month is read afresh (its rollup totals were stale).
  f.Staff("T01100", "2026-08", "person-1", "0.4");
  f.Activity("T01100", "2026-08", 310);  // same keys: replaces the counts
  CHECK(CrossPracticeFindings(*f.store, "2026-08").empty());
}

TEST_CASE("findings service: the months held are listed once each, oldest first") {
  Fixture f;
  CHECK(RecordReadings(*f.store).Periods().empty());
  f.Activity("T01113", "2026-08", 10);
  f.Activity("T01100", "2026-06", 10);
  f.Activity("T01126", "2026-08", 10);
  CHECK(RecordReadings(*f.store).Periods() == std::vector<std::string>{"2026-06", "2026-08"});
}

TEST_CASE(
    "findings service: a store of schema 1 gets the month index and its rates from its totals",
    "[sqlite]") {
  Fixture f;
  f.Activity("T01100", "2026-08", 320);
  const std::map<std::string, double> rates{{"T01100", 320}};
  CHECK(RollupReadings(*f.store).AppointmentsPerThousand("2026-08") == rates);
  f.store.reset();
  {
    auto db = sqlite::Database::Open(f.dir.path() / "server.db");
    // The store as schema 1 left it.
    DowngradeKeptTotalsToSchema2(db);  // JSON totals, as 1 and 2 kept them
    db.Exec("DROP INDEX rollup_rates");
    db.Exec("ALTER TABLE rollup_practice_months DROP COLUMN appointments_per_thousand");
    db.Exec("DROP INDEX records_by_month");
    db.Exec("CREATE INDEX records_by_period ON records (practice, dataset, period)");
    db.Exec("UPDATE settings SET value = '1' WHERE key = 'schema_version'");
  }
  f.store.emplace(tributary::testing::TestStore(f.dir), f.clock);
  CHECK(RollupReadings(*f.store).AppointmentsPerThousand("2026-08") == rates);
  CHECK(RollupReadings(*f.store).Differences().empty());
  CHECK(Settings(*f.store).Get("schema_version") == "8");
  auto db = sqlite::Database::Open(f.dir.path() / "server.db");
  auto indexes = db.Prepare(
      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
      "WHERE type = 'index' AND name IN ('records_by_period', 'records_by_month', 'rollup_rates') "
      "ORDER BY name)");
  REQUIRE(indexes.Step());
  CHECK(indexes.ColumnText(0) == "records_by_month rollup_rates");
}

TEST_CASE("findings service: only practices with appointments and a list size have a rate") {
  Fixture f;
  f.Activity("T01100", "2026-08", 300);
  f.Activity("T01113", "2026-08", 300);
  f.Put("T01113", "list_size",
        {{"extract_date", "2026-08-01"}, {"practice", "T01113"}, {"patients", "0"}});
  f.Put("T01126", "list_size",
        {{"extract_date", "2026-08-01"}, {"practice", "T01126"}, {"patients", "1000"}});
  CHECK(RollupReadings(*f.store).AppointmentsPerThousand("2026-08") ==
        std::map<std::string, double>{{"T01100", 300}});
}

TEST_CASE("findings service: several months at once, each counted once") {
  Fixture f;
  f.Staff("T01100", "2026-08", "person-1", "0.6");
  f.Staff("T01113", "2026-08", "person-1", "0.3");
  f.Staff("T01100", "2026-07", "person-2", "0.7");
  f.Staff("T01126", "2026-07", "person-2", "0.7");
  auto findings = CrossPracticeFindings(*f.store, {"2026-08", "2026-07", "2026-08"});
  CHECK(findings["2026-08"].empty());  // 0.9 FTE in all, however often the month is asked for
  CHECK(Has(findings["2026-07"], "T01100", "workforce", "workforce.fte_over_one"));
  CHECK(Has(findings["2026-07"], "T01126", "workforce", "workforce.fte_over_one"));
}
