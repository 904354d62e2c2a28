// The month's life through the router: closing (a practice's change is kept
// but not applied, a central one applies), publishing immutable versions,
// reading them back on each rollup basis, their lineage, reopening, who may
// do what, and `rollups verify` finding any tampering with a version.
#include "audit/audit_service.h"
#include "notices/notice_service.h"
#include "periods/period_service.h"
#include "periods/published_versions.h"
#include "reconcile/correction_service.h"
#include "reconcile/record_readings.h"
#include "returns_fixture.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;
namespace json = boost::json;

namespace {

HttpResponse Post(ReturnsFixture& f, const std::string& token, const std::string& route,
                  const std::string& period = "2026-08") {
  return f.Call(token, "POST", "/v1/periods/" + route, R"({"period":")" + period + "\"}");
}

std::string Csv(ReturnsFixture& f, const std::string& query, const std::string& token = "ian") {
  HttpResponse r = f.Call(token, "GET", "/v1/rollups?format=csv&" + query);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.body;
}

// The value of one total in a tidy CSV, or -1 when it is not there.
double Value(const std::string& csv, const std::string& level, const std::string& code,
             const std::string& measure) {
  std::string prefix = level + "," + code + ",2026-08,";
  std::size_t at = 0;
  while ((at = csv.find(prefix, at)) != std::string::npos) {
    std::size_t end = csv.find('\n', at);
    std::string line = csv.substr(at, end - at);
    if (line.find("," + measure + ",,,,,,,") != std::string::npos) {
      std::size_t value_end = line.rfind(',');
      std::size_t value_start = line.rfind(',', value_end - 1) + 1;
      return std::stod(line.substr(value_start, value_end - value_start));
    }
    at = end;
  }
  return -1;
}

}  // namespace

TEST_CASE("periods: a closed month keeps a practice's change without applying it") {
  ReturnsFixture f;
  f.Submit("T01100");
  HttpResponse closed = Post(f, "ivy", "close");
  REQUIRE(closed.status == 200);
  CHECK(json::parse(closed.body).at("state").as_string() == "closed");
  CHECK(PeriodService(f.store).Get("QT1", "2026-08").state == PeriodState::kClosed);
  std::int64_t revision = f.Return("T01100").revision;

  IngestResult late =
      f.Push("T01100", "list_size",
             {{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "9999"}});
  CHECK(late.reply.accepted == 0);
  CHECK(late.reply.acknowledged_seq == f.seqs["T01100"]);  // taken: never resent, never lost
  REQUIRE(late.reply.outcomes.size() == 1);
  CHECK(late.reply.outcomes[0].reasons.at(0).reason.rfind("period_closed: ", 0) == 0);
  CHECK(f.Return("T01100").revision == revision);  // the records did not change
  auto held = RecordReadings(f.store).Of("T01100", "list_size", "2026-08");
  REQUIRE(held.size() == 1);
  CHECK(held[0].fields.at("patients") == "5000");

  // The PCN manager sees it on the return, with the value the practice sent.
  HttpResponse detail =
      f.Call("pat", "GET", "/v1/returns/detail?practice=T01100&dataset=list_size&period=2026-08");
  REQUIRE(detail.status == 200);
  json::value d = json::parse(detail.body);
  CHECK(d.at("period_state").as_string() == "closed");
  json::array refused = d.at("refused_changes").as_array();
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].at("code").as_string() == "period_closed");
  CHECK(refused[0].at("fields").at("patients").as_string() == "9999");
  // A submission is refused the same way.
  CHECK(f.Push("T01113", "submission",
               {{"practice", "T01113"},
                {"dataset", "list_size"},
                {"period", "2026-08"},
                {"submitted_at", "2026-09-01T09:00:00Z"}})
            .reply.accepted == 0);
  CHECK(f.State("T01113") == "open");
  // Another month is not closed.
  f.ListSize("T01100", 5000, "2026-09-01");

  // Each practice of the ICS heard that the month closed.
  protocol::PullReply feed = NoticeService(f.store).Pull("T01126", 0, 100);
  bool told = false;
  for (const auto& n : feed.notices) {
    told |= n.kind == "period" && n.fields.at("period") == "2026-08" &&
            n.fields.at("state") == "closed";
  }
  CHECK(told);

  // Reopened, the practice's changes apply again.
  REQUIRE(Post(f, "ivy", "reopen").status == 200);
  f.ListSize("T01100", 5001);
  CHECK(f.Return("T01100").revision == revision + 1);
}

TEST_CASE("periods: central corrections still apply in a closed month, as new revisions") {
  ReturnsFixture f;
  f.Submit("T01100");
  REQUIRE(f.Approve("pat", "T01100", 1).status == 200);
  REQUIRE(Post(f, "ivy", "close").status == 200);
  FieldMap record{{"extract_date", "2026-08-01"}, {"practice", "T01100"}, {"patients", "5000"}};
  auto held = CorrectionService(f.store).FindRecord(
      "T01100", "list_size", RecordKey(*datasets::Find("list_size"), record));
  REQUIRE(held);
  record["patients"] = "5020";
  CorrectionService(f.store).Correct("T01100", "list_size", record, held->second, "u-pat (Pat)");
  ReturnStatus after = f.Return("T01100");
  CHECK(after.revision == 2);
  // The practice can no longer answer: back to the PCN manager for approval.
  CHECK(after.state == ReturnState::kSubmitted);
  CHECK(after.approved_revision == 1);
  REQUIRE(f.Approve("pat", "T01100", 2).status == 200);
  CHECK(f.State("T01100") == "approved");
}

TEST_CASE("periods: publishing writes immutable versions that never move") {
  ReturnsFixture f;
  for (const char* practice : {"T01100", "T01113", "T01126"}) f.Appointments(practice, 30);
  f.Submit("T01100");
  HttpResponse open = Post(f, "ivy", "publish");
  CHECK(open.status == 409);
  CHECK(open.body.find("close it first") != std::string::npos);

  REQUIRE(Post(f, "ivy", "close").status == 200);
  std::string latest_before = Csv(f, "period=2026-08");
  HttpResponse published = Post(f, "ivy", "publish");
  REQUIRE(published.status == 200);
  json::value v1 = json::parse(published.body);
  CHECK(v1.at("version").as_int64() == 1);
  CHECK(v1.at("returns").as_int64() == 9);  // three practices x three datasets
  CHECK(v1.at("figures").as_int64() > 20);
  CHECK(v1.at("published_by").as_string() == "u-ivy (Ivy)");

  std::string published_v1 = Csv(f, "period=2026-08&basis=published");
  CHECK(published_v1 == latest_before);  // published as the figures stood
  CHECK(Csv(f, "period=2026-08&basis=published&version=1") == published_v1);

  CHECK(Value(published_v1, "pcn", "U10010", "appointments") == 60);

  // A correction moves the latest figures but not the published ones.
  std::vector<HeldRecord> held = RecordReadings(f.store).Of("T01113", "appointments", "2026-08");
  REQUIRE(held.size() == 1);
  FieldMap record = held[0].fields;
  record["count"] = "45";
  CorrectionService(f.store).Correct("T01113", "appointments", record, held[0].version,
                                     "u-ivy (Ivy)");
  std::string latest_after = Csv(f, "period=2026-08");
  CHECK(Value(latest_after, "pcn", "U10010", "appointments") == 75);
  CHECK(Csv(f, "period=2026-08&basis=published") == published_v1);

  // Publishing again makes version 2 with the correction; version 1 stays.
  REQUIRE(Post(f, "ivy", "publish").status == 200);
  CHECK(Csv(f, "period=2026-08&basis=published") == latest_after);
  CHECK(Csv(f, "period=2026-08&basis=published&version=1") == published_v1);
  CHECK(Csv(f, "period=2026-08&basis=published&version=2") == latest_after);
  CHECK(f.Call("ian", "GET", "/v1/rollups?period=2026-08&basis=published&version=3").status == 404);
  CHECK(f.Call("ian", "GET", "/v1/rollups?period=2026-09&basis=published").status == 404);
  CHECK(f.Call("ian", "GET", "/v1/rollups?period=2026-08&version=1").status == 400);
  CHECK(f.Call("ian", "GET", "/v1/rollups?period=2026-08&basis=final").status == 400);

  // The store refuses to change a version.
  {
    auto db = tributary::testing::OpenTestStore(f.dir);
    CHECK_THROWS(db->Exec("UPDATE published_rollups SET value = 1"));
    CHECK_THROWS(db->Exec("DELETE FROM published_versions"));
  }
  CHECK(PeriodService(f.store).PublishedDifferences().empty());

  // The months list shows the state, both versions and coverage in scope.
  HttpResponse list = f.Call("pat", "GET", "/v1/periods");
  REQUIRE(list.status == 200);
  json::value months = json::parse(list.body);
  CHECK(months.at("ics").as_string() == "QT1");
  const json::array& periods = months.at("periods").as_array();
  REQUIRE(periods.size() == 1);
  CHECK(periods[0].at("period").as_string() == "2026-08");
  CHECK(periods[0].at("state").as_string() == "closed");
  CHECK(periods[0].at("versions").as_array().size() == 2);
  CHECK(periods[0].at("coverage").at("code").as_string() == "U10010");
  CHECK(periods[0].at("coverage").at("practices_expected").as_int64() == 2);
}

TEST_CASE("periods: the lineage names each return's state, revision and records' SHA-256") {
  ReturnsFixture f;
  f.Submit("T01100");
  REQUIRE(f.Approve("pat", "T01100", 1).status == 200);
  REQUIRE(Post(f, "ivy", "close").status == 200);
  REQUIRE(Post(f, "ivy", "publish").status == 200);

  HttpResponse all = f.Call("ivy", "GET", "/v1/periods/lineage?period=2026-08");
  REQUIRE(all.status == 200);
  json::value lineage = json::parse(all.body);
  CHECK(lineage.at("version").as_int64() == 1);
  CHECK(lineage.at("hierarchy").as_array().size() == 7);
  const json::array& returns = lineage.at("returns").as_array();
  REQUIRE(returns.size() == 9);
  bool found = false;
  for (const auto& r : returns) {
    if (r.at("practice").as_string() != "T01100" || r.at("dataset").as_string() != "list_size") {
      continue;
    }
    found = true;
    CHECK(r.at("state").as_string() == "approved");
    CHECK(r.at("revision").as_int64() == 1);
    CHECK(r.at("records").as_int64() == 1);
    auto held = RecordReadings(f.store).Of("T01100", "list_size", "2026-08");
    REQUIRE(held.size() == 1);
    CHECK(r.at("sha256").as_string() ==
          RecordsSha256({{held[0].key, CanonicalJson(held[0].fields)}}));
  }
  CHECK(found);

  // A PCN manager sees their own PCN's returns only.
  HttpResponse scoped = f.Call("pat", "GET", "/v1/periods/lineage?period=2026-08&version=1");
  REQUIRE(scoped.status == 200);
  json::value pcn_lineage = json::parse(scoped.body);
  const json::array& pcn_returns = pcn_lineage.at("returns").as_array();
  for (const auto& r : pcn_returns) CHECK(r.at("practice").as_string() != "T01126");
  CHECK(pcn_returns.size() == 6);
  CHECK(f.Call("pat", "GET", "/v1/periods/lineage?period=2026-08&version=2").status == 404);
  CHECK(f.Call("pat", "GET", "/v1/periods/lineage").status == 400);
  CHECK(f.Call("pat", "GET", "/v1/periods/lineage?period=2026-08&version=0").status == 400);
}

TEST_CASE("periods: the approved basis counts approved revisions only, as approved") {
  ReturnsFixture f;
  for (const char* practice : {"T01100", "T01113"}) {
    f.Appointments(practice, 40);
    f.Submit(practice, "2026-09-01T09:00:00Z", "appointments");
  }
  REQUIRE(
      f.Call("pat", "POST", "/v1/returns/approve",
             R"({"practice":"T01100","dataset":"appointments","period":"2026-08","revision":1})")
          .status == 200);
  f.Appointments("T01100", 55);  // after approval: reopens; the approved revision still says 40

  std::string latest = Csv(f, "period=2026-08&level=practice&dataset=appointments");
  CHECK(Value(latest, "practice", "T01100", "appointments") == 55);
  CHECK(Value(latest, "practice", "T01113", "appointments") == 40);
  std::string approved =
      Csv(f, "period=2026-08&level=practice&dataset=appointments&basis=approved");
  CHECK(Value(approved, "practice", "T01100", "appointments") == -1);  // reopened: not approved now
  CHECK(Value(approved, "practice", "T01113", "appointments") == -1);  // submitted, not approved

  f.Submit("T01100", "2026-09-02T09:00:00Z", "appointments");
  REQUIRE(
      f.Call("pat", "POST", "/v1/returns/approve",
             R"({"practice":"T01100","dataset":"appointments","period":"2026-08","revision":2})")
          .status == 200);
  f.clock.Advance(1000);
  approved = Csv(f, "period=2026-08&level=pcn&code=U10010&basis=approved", "pat");
  CHECK(Value(approved, "pcn", "U10010", "appointments") == 55);  // T01100's approved revision only
  CHECK(Value(approved, "pcn", "U10010", "practices_expected") == 2);
  CHECK(Value(approved, "pcn", "U10010", "practices_approved") == 0);  // each has three returns
  latest = Csv(f, "period=2026-08&level=pcn&code=U10010", "pat");
  CHECK(Value(latest, "pcn", "U10010", "appointments") == 95);
}

TEST_CASE("periods: only an ICS manager or an admin closes, reopens or publishes") {
  ReturnsFixture f;
  for (const char* token : {"pat", "sam", "ian"}) {
    for (const char* route : {"close", "reopen", "publish"}) {
      INFO(token << " " << route);
      HttpResponse r = Post(f, token, route);
      CHECK(r.status == 403);
      CHECK(ErrorCodeOf(r) == "forbidden");
    }
  }
  CHECK(PeriodService(f.store).Get("QT1", "2026-08").state == PeriodState::kOpen);
  CHECK(f.Call("ivy", "GET", "/v1/periods/close").status == 405);
  CHECK(f.Call("ivy", "POST", "/v1/periods/close", R"({"period":"2026-13"})").status == 400);
  CHECK(f.Call("ivy", "POST", "/v1/periods/close", R"({"month":"2026-08"})").status == 400);
  CHECK(f.Call("ivy", "POST", "/v1/periods/close", "not json").status == 400);
  CHECK(Post(f, "ivy", "reopen").status == 409);  // it is open
  REQUIRE(Post(f, "ada", "close").status == 200);
  CHECK(Post(f, "ivy", "close").status == 409);  // it is closed
  CHECK(f.Call("", "GET", "/v1/periods").status == 401);
  CHECK(f.Call("ivy", "GET", "/v1/periods/nothing").status == 404);
  // Every act is in the audit chain.
  CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
}

TEST_CASE("periods: rollups verify finds any tampering with a published version") {
  ReturnsFixture f;
  f.Appointments("T01100", 30);
  f.Submit("T01100");
  REQUIRE(Post(f, "ivy", "close").status == 200);
  REQUIRE(Post(f, "ivy", "publish").status == 200);
  REQUIRE(PeriodService(f.store).PublishedDifferences().empty());
  auto db = tributary::testing::OpenTestStore(f.dir);
  db->Exec(db->engine() == db::Engine::kSqlite
               ? "DROP TRIGGER published_rollups_no_update; "
                 "DROP TRIGGER published_records_no_update;"
               : "DROP TRIGGER published_rollups_no_change ON published_rollups; "
                 "DROP TRIGGER published_records_no_change ON published_records;");

  SECTION("a figure rewritten") {
    db->Exec("UPDATE published_rollups SET value = value + 1 WHERE ordinal = 1");
    auto d = PeriodService(f.store).PublishedDifferences();
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("QT1 2026-08 version 1: its figures do not follow") != std::string::npos);
  }
  SECTION("a record the version used rewritten") {
    db->Exec(
        "UPDATE published_records SET fields = replace(fields, '\"30\"', '\"31\"') "
        "WHERE fields LIKE '%\"count\"%'");
    auto d = PeriodService(f.store).PublishedDifferences();
    REQUIRE(d.size() == 2);  // the records no longer hash, and the figures no longer follow
    CHECK(d[0].find("T01100/appointments: the records kept for it no longer match") !=
          std::string::npos);
  }
  SECTION("a held record changed without a new revision") {
    db->Exec(
        "UPDATE records SET fields = replace(fields, '5000', '5002') "
        "WHERE practice = 'T01126'");
    auto d = PeriodService(f.store).PublishedDifferences();
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("T01126/list_size: its records changed without a new revision") !=
          std::string::npos);
  }
}
