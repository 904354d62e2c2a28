// Analysts' reporting views on a PostgreSQL store (reporting/): what they
// hold is the API's rollups, hierarchy and returns, scoped by ICS through the
// reader's role, read-only; refreshed after changes; refused where they
// cannot be.
#include <libpq-fe.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "audit/audit_service.h"
#include "org_fixture.h"
#include "orgs/org_service.h"
#include "periods/period_service.h"
#include "reconcile/correction_service.h"
#include "reconcile/record_readings.h"
#include "reporting/reporting_refresher.h"
#include "reporting/reporting_service.h"
#include "returns/return_service.h"
#include "rollup/rollup_service.h"
#include "sample_ics.h"
#include "store/server_store.h"
#include "store/settings.h"
#include "temp_dir.h"
#include "test_postgres.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/files.h"

using namespace tributary;
using namespace tributary::server;

namespace {

// The sample ICS with its third place moved into a second ICS, QT2, so two
// ICSs hold records.
void SplitSample(ServerStore& store) {
  std::string orgs = files::Read(SampleIcs() / "orgs.csv");
  std::size_t at = orgs.find("T3C,Tributary Vale Place 3,PLACE,QT1,");
  REQUIRE(at != std::string::npos);
  orgs.replace(orgs.find("QT1", at), 3, "QT2");
  orgs += "QT2,NHS Second Integrated Care Board,ICS,,2026-08-01,\n";
  std::string rows = orgs.substr(orgs.find('\n') + 1);
  OrgService(store).Replace(test_orgs::ParseOrgRows(rows), digest::Sha256Hex(orgs));
}

std::string Line(const RollupRow& r) {
  return r.period + "," + r.level + "," + r.code + "," + r.dataset + "," + r.measure + "," +
         r.staff_group + "," + r.staff_role + "," + r.hcp_type + "," + r.appt_mode + "," +
         r.appt_status + "," + r.booking_interval + "," + FormatValue(r.value) + "," +
         std::to_string(r.practices_covered);
}

// The API's latest rollups of every month whose organisation was in `ics`.
std::multiset<std::string> ApiRollupsOf(ServerStore& store, const std::string& ics) {
  std::shared_ptr<const OrgHierarchy> hierarchy = store.Hierarchy();
  std::multiset<std::string> lines;
  for (const RollupRow& r : QueryRollups(store, RollupQuery{})) {
    if (hierarchy->IcsOf(r.code, r.period + "-01") == ics) lines.insert(Line(r));
  }
  return lines;
}

// An analyst's session as `role`, straight through libpq as their tools
// connect: the store's connection asks for a read-write session, which a
// reporting role never has.
class Analyst {
 public:
  Analyst(const testing::TempDir& dir, const std::string& role) {
    std::string url = testing::TestPostgresUrl(dir.path());
    std::size_t at = url.find("tributary@");
    REQUIRE(at != std::string::npos);
    url.replace(at, 9, role);
    conn_ = PQconnectdb(url.c_str());
    REQUIRE(PQstatus(conn_) == CONNECTION_OK);
  }
  ~Analyst() { PQfinish(conn_); }
  Analyst(const Analyst&) = delete;
  Analyst& operator=(const Analyst&) = delete;

  // The rows of `sql`, each its columns joined by commas; throws
  // std::runtime_error with the server's message when it fails.
  std::vector<std::string> Rows(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::string error = PQresultErrorMessage(result);
    if (PQresultStatus(result) != PGRES_TUPLES_OK && PQresultStatus(result) != PGRES_COMMAND_OK) {
      PQclear(result);
      throw std::runtime_error(error);
    }
    std::vector<std::string> rows;
    for (int r = 0; r < PQntuples(result); ++r) {
      std::string line;
      for (int c = 0; c < PQnfields(result); ++c) {
        line += (c ? "," : "") + std::string(PQgetvalue(result, r, c));
      }
      rows.push_back(line);
    }
    PQclear(result);
    return rows;
  }
  std::int64_t Count(const std::string& sql) {
    std::vector<std::string> rows = Rows(sql);
    REQUIRE(rows.size() == 1);
    return std::stoll(rows.front());
  }

 private:
  PGconn* conn_ = nullptr;
};

std::multiset<std::string> ViewRollups(Analyst& as, const std::string& schema) {
  std::vector<std::string> rows = as.Rows(
      "SELECT period, level, code, dataset, measure, staff_group, staff_role, hcp_type, "
      "appt_mode, appt_status, booking_interval, value, practices_covered FROM " +
      schema + ".rollups");
  return {rows.begin(), rows.end()};
}

std::int64_t Count(db::Connection& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  REQUIRE(stmt.Step());
  return stmt.ColumnInt(0);
}

// The test's own reporting schema: stores of parallel tests share a database.
std::string SchemaFor(const testing::TempDir& dir) {
  auto db = testing::OpenTestStore(dir);
  auto stmt = db->Prepare("SELECT current_schema()");
  REQUIRE(stmt.Step());
  return stmt.ColumnText(0) + "_reporting";
}

bool RoleExists(const testing::TempDir& dir, const std::string& role) {
  auto db = testing::OpenTestStore(dir);
  auto stmt = db->Prepare("SELECT 1 FROM pg_roles WHERE rolname = ?");
  stmt.Bind(1, role);
  return stmt.Step();
}

}  // namespace

TEST_CASE("reporting: split by ICS, each figure under its organisation's ICS that month") {
  OrgHierarchy hierarchy = test_orgs::HierarchyOf(
      "QA1,Alpha ICB,ICS,,2026-01-01,\n"
      "QB2,Beta ICB,ICS,,2026-01-01,\n"
      "A1A,Alpha Place,PLACE,QA1,2026-01-01,\n"
      "B2B,Beta Place,PLACE,QB2,2026-01-01,\n"
      "U10001,Alpha PCN,PCN,A1A,2026-01-01,\n"
      "U20002,Beta PCN,PCN,B2B,2026-01-01,\n"
      "A81001,Moves Surgery,PRACTICE,U10001,2026-01-01,2026-08-31\n"
      "A81001,Moves Surgery,PRACTICE,U20002,2026-09-01,\n");
  auto row = [](const std::string& level, const std::string& code, const std::string& period) {
    RollupRow r;
    r.level = level;
    r.code = code;
    r.period = period;
    r.dataset = "workforce";
    r.measure = "fte";
    r.value = 1.5;
    return r;
  };
  std::vector<ReportingMonth> august =
      SplitByIcs("2026-08", hierarchy,
                 {row("practice", "A81001", "2026-08"), row("practice", "Z99999", "2026-08"),
                  row("pcn", "U10001", "2026-08"), row("ics", "QB2", "2026-08")});
  REQUIRE(august.size() == 2);
  CHECK(august[0].ics == "QA1");
  REQUIRE(august[0].rows.size() == 2);  // A81001 and U10001; Z99999 is in no ICS
  CHECK(august[0].rows[0].code == "A81001");
  CHECK(august[1].ics == "QB2");
  REQUIRE(august[1].rows.size() == 1);
  auto practice = std::find_if(august[0].orgs.begin(), august[0].orgs.end(),
                               [](const ReportingOrg& o) { return o.code == "A81001"; });
  REQUIRE(practice != august[0].orgs.end());
  CHECK(practice->pcn == "U10001");
  CHECK(practice->place == "A1A");
  CHECK(practice->valid_to == "2026-08-31");
  std::vector<ReportingMonth> september =
      SplitByIcs("2026-09", hierarchy, {row("practice", "A81001", "2026-09")});
  REQUIRE(september.size() == 2);
  CHECK(september[0].rows.empty());
  CHECK(september[1].rows.size() == 1);  // A81001 moved to Beta's PCN on 1 September
}

TEST_CASE("reporting: nothing is refreshed until a role is granted the views, on the sample ICS") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(testing::TestStore(dir), clock);
  LoadSample(store, clock);
  CHECK_FALSE(ReportingService(store).Pending().has_value());
  ReportingRefresher refresher(store);
  CHECK(refresher.Refresh().months == 0);
  auto db = testing::OpenTestStore(dir);
  CHECK(Count(*db, "SELECT count(*) FROM reporting_rollups") == 0);
}

TEST_CASE("reporting: refused on an SQLite store, nothing changed", "[sqlite]") {
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(dir.path() / "server.db", clock);
  SplitSample(store);
  std::int64_t audited = AuditService(store).Count();
  CHECK_THROWS_WITH(
      ReportingService(store).Grant({"analyst", {"QT1"}, "reporting", std::nullopt}, "operator"),
      Catch::Contains("need a PostgreSQL store"));
  CHECK_FALSE(Settings(store).Get("reporting").has_value());
  CHECK(AuditService(store).Count() == audited);
}

TEST_CASE(
    "reporting: each role reads the API's figures, months and returns of its own ICS only, "
    "read-only",
    "[postgresql]") {
  REQUIRE(testing::TestsUsePostgres());
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(testing::TestStore(dir), clock);
  LoadSample(store, clock);
  SplitSample(store);
  ProgressReturns(store);
  std::string schema = SchemaFor(dir);
  ReportingGrant first{"reporting_test_qt1", {"QT1"}, schema, std::nullopt};
  ReportingGrant second{"reporting_test_qt2", {"QT2"}, schema, std::nullopt};
  ReportingGrantResult granted = ReportingService(store).Grant(first, "operator");
  CHECK(granted.views == std::vector<std::string>{schema + ".rollups",
                                                  schema + ".published_rollups",
                                                  schema + ".returns", schema + ".orgs"});
  ReportingService(store).Grant(second, "operator");
  ReportingRefresher refresher(store);
  ReportingRefreshed refreshed = refresher.Refresh();
  CHECK(refreshed.months == RecordReadings(store).Periods().size());
  CHECK(refresher.Refresh().months == 0);  // nothing changed since

  Analyst qt1(dir, first.role);
  Analyst qt2(dir, second.role);
  std::multiset<std::string> expected = ApiRollupsOf(store, "QT1");
  CHECK(expected.size() > 1000);
  CHECK(ViewRollups(qt1, schema) == expected);
  CHECK(ViewRollups(qt2, schema) == ApiRollupsOf(store, "QT2"));
  CHECK(qt1.Count("SELECT count(*) FROM " + schema + ".rollups WHERE ics <> 'QT1'") == 0);

  // The month's organisations, as /v1/orgs gives them, with their ICS.
  std::shared_ptr<const OrgHierarchy> hierarchy = store.Hierarchy();
  std::vector<std::string> under_qt2 = hierarchy->PracticesUnder("QT2", "2026-08-01");
  REQUIRE_FALSE(under_qt2.empty());
  CHECK(qt2.Count("SELECT count(*) FROM " + schema +
                  ".orgs WHERE period = '2026-08' AND org_type = 'PRACTICE'") ==
        static_cast<std::int64_t>(under_qt2.size()));
  CHECK(qt2.Count("SELECT count(*) FROM " + schema + ".orgs WHERE code = 'T3C'") ==
        static_cast<std::int64_t>(RecordReadings(store).Periods().size()));
  CHECK(qt1.Count("SELECT count(*) FROM " + schema + ".orgs WHERE code = 'T3C'") == 0);

  // Every practice's three returns, their states as the store holds them.
  std::vector<std::string> under_qt1 = hierarchy->PracticesUnder("QT1", "2026-08-01");
  std::map<std::string, std::string> states;
  for (const ReturnStatus& r : ReturnService(store).Of(under_qt1, "2026-08")) {
    states[r.key.practice + "/" + r.key.dataset] =
        std::string(ReturnStateName(r.state)) + "/" + std::to_string(r.revision);
  }
  std::map<std::string, std::string> viewed;
  for (const std::string& row : qt1.Rows("SELECT practice || '/' || dataset, state || '/' || "
                                         "revision FROM " +
                                         schema + ".returns WHERE period = '2026-08'")) {
    viewed[row.substr(0, row.find(','))] = row.substr(row.find(',') + 1);
  }
  CHECK(viewed == states);
  CHECK(std::count_if(states.begin(), states.end(),
                      [](const auto& s) { return s.second.rfind("approved/", 0) == 0; }) > 0);

  // Read-only: nothing written through the views, nothing read around them.
  CHECK_THROWS_WITH(
      qt1.Rows("CREATE TEMPORARY TABLE copied AS SELECT * FROM " + schema + ".rollups"),
      Catch::Contains("read-only transaction"));
  for (const char* view : {"rollups", "published_rollups", "returns", "orgs"}) {
    std::string name = "'" + schema + "." + view + "'";
    CHECK(qt1.Count("SELECT count(*) FROM (VALUES (1)) v WHERE has_table_privilege(" + name +
                    ", 'INSERT') OR has_table_privilege(" + name +
                    ", 'UPDATE') OR has_table_privilege(" + name +
                    ", 'DELETE') OR has_table_privilege(" + name + ", 'TRUNCATE')") == 0);
  }
  std::string store_schema = schema.substr(0, schema.size() - std::string("_reporting").size());
  CHECK_THROWS_WITH(qt1.Rows("SELECT count(*) FROM " + store_schema + ".records"),
                    Catch::Contains("permission denied"));
  CHECK_THROWS_WITH(qt1.Rows("SELECT count(*) FROM " + store_schema + ".reporting_scopes"),
                    Catch::Contains("permission denied"));
}

TEST_CASE("reporting: a change reaches the views at the next refresh, a return's state at once",
          "[postgresql]") {
  REQUIRE(testing::TestsUsePostgres());
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(testing::TestStore(dir), clock);
  LoadSample(store, clock);
  std::string schema = SchemaFor(dir);
  ReportingService(store).Grant({"reporting_test_changes", {"QT1"}, schema, std::nullopt},
                                "operator");
  ReportingRefresher refresher(store);
  refresher.Refresh();
  Analyst analyst(dir, "reporting_test_changes");

  std::string practice = store.Hierarchy()->PracticesUnder("QT1", "2026-08-01").front();
  std::vector<HeldRecord> held = RecordReadings(store).Of(practice, "list_size", "2026-08");
  REQUIRE_FALSE(held.empty());
  FieldMap fields = held.front().fields;
  fields["patients"] = std::to_string(std::stoll(fields["patients"]) + 1000);
  CorrectionService(store).Correct(practice, "list_size", fields, held.front().version, "central");
  std::multiset<std::string> now = ApiRollupsOf(store, "QT1");
  CHECK(ViewRollups(analyst, schema) != now);  // not yet refreshed
  CHECK(refresher.Refresh().months >= 1);
  CHECK(ViewRollups(analyst, schema) == now);

  ReturnService(store).Act({practice, "workforce", "2026-08"}, ReturnAction::kSubmit, "agent", "");
  CHECK(analyst.Count("SELECT count(*) FROM " + schema + ".returns WHERE practice = '" + practice +
                      "' AND dataset = 'workforce' AND period = '2026-08' "
                      "AND state = 'submitted'") == 1);

  // A published version is there as published, whatever changes after.
  PeriodService(store).Act("QT1", "2026-08", PeriodAction::kClose, "manager");
  PublishedVersion v = PeriodService(store).Publish("QT1", "2026-08", "manager");
  CHECK(analyst.Count("SELECT count(*) FROM " + schema +
                      ".published_rollups WHERE period = '2026-08' AND version = 1") == v.figures);

  // Revoked: the views are no longer the role's.
  CHECK(ReportingService(store).Revoke("reporting_test_changes", schema, "operator") == 1);
  Analyst after(dir, "reporting_test_changes");
  CHECK_THROWS_WITH(after.Rows("SELECT count(*) FROM " + schema + ".rollups"),
                    Catch::Contains("permission denied"));
}

TEST_CASE("reporting: refusals leave no role, no view and no scope behind", "[postgresql]") {
  REQUIRE(testing::TestsUsePostgres());
  testing::TempDir dir;
  FakeClock clock{1'790'000'000'000};
  ServerStore store(testing::TestStore(dir), clock);
  SplitSample(store);
  std::string schema = SchemaFor(dir);
  std::int64_t audited = AuditService(store).Count();
  CHECK_THROWS_WITH(ReportingService(store).Grant(
                        {"reporting_test_refused", {"QT9"}, schema, std::nullopt}, "operator"),
                    Catch::Contains("QT9 is not an ICS"));
  CHECK_THROWS_WITH(ReportingService(store).Grant(
                        {"reporting_test_refused", {"U10010"}, schema, std::nullopt}, "op"),
                    Catch::Contains("U10010 is not an ICS"));
  CHECK_THROWS_WITH(
      ReportingService(store).Grant({"tributary", {"QT1"}, schema, std::nullopt}, "operator"),
      Catch::Contains("the store's own user"));
  CHECK_THROWS_WITH(
      ReportingService(store).Grant({"Robert'); DROP", {"QT1"}, schema, std::nullopt}, "operator"),
      Catch::Contains("must be 1 to 63 of a-z, 0-9 and _"));
  CHECK_THROWS_WITH(
      ReportingService(store).Grant({"pg_monitor", {"QT1"}, schema, std::nullopt}, "operator"),
      Catch::Contains("not starting with a digit or pg_"));
  CHECK_THROWS_WITH(ReportingService(store).Grant(
                        {"reporting_test_refused", {}, schema, std::nullopt}, "operator"),
                    Catch::Contains("at least one ICS"));
  CHECK_FALSE(RoleExists(dir, "reporting_test_refused"));
  CHECK_FALSE(Settings(store).Get("reporting").has_value());
  CHECK(AuditService(store).Count() == audited);
  auto db = testing::OpenTestStore(dir);
  CHECK(Count(*db, "SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'") == 0);
  CHECK(Count(*db, "SELECT count(*) FROM reporting_scopes") == 0);
}
