// docs/design.md invariant 5, route by route: every people's route refuses every role
// for an organisation outside its scope, and the read-only roles for every
// act, with 403 and the stable code "forbidden".
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "enrol/agent_service.h"
#include "periods/period_service.h"
#include "reconcile/correction_service.h"
#include "reconcile/record_readings.h"
#include "returns/return_service.h"
#include "server_fixture.h"
#include "validation/published_findings.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

// Two ICSs so that even an admin has somewhere they may not look.
constexpr const char* kOrgs =
    "QT1,Vale ICB,ICS,,2026-01-01,\n"
    "QT2,Hill ICB,ICS,,2026-01-01,\n"
    "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
    "T2B,Place 2,PLACE,QT1,2026-01-01,\n"
    "H1A,Hill Place,PLACE,QT2,2026-01-01,\n"
    "U10010,North PCN,PCN,T1A,2026-01-01,\n"
    "U10017,South PCN,PCN,T1A,2026-01-01,\n"
    "U10024,East PCN,PCN,T2B,2026-01-01,\n"
    "U20010,Hill PCN,PCN,H1A,2026-01-01,\n"
    "T01100,A,PRACTICE,U10010,2026-01-01,\n"
    "T01113,B,PRACTICE,U10017,2026-01-01,\n"
    "T01126,C,PRACTICE,U10024,2026-01-01,\n"
    "H01100,D,PRACTICE,U20010,2026-01-01,\n";

struct Fixture : ServerFixture {
  std::map<std::string, std::int64_t> conflict_of;  // practice -> an open conflict id

  Fixture() {
    ImportOrgs(kOrgs);
    for (const char* practice : {"T01100", "T01113", "T01126", "H01100"}) {
      SetUpPractice(practice);
    }
    AddUser("u-pat", "Pat", Role::kPcnManager, "U10010", "pcn");
    AddUser("u-pia", "Pia", Role::kPlaceAnalyst, "T1A", "place");
    AddUser("u-ian", "Ian", Role::kIcsAnalyst, "QT1", "ics");
    AddUser("u-ada", "Ada", Role::kAdmin, "QT1", "admin");
    AddUser("u-ivy", "Ivy", Role::kIcsManager, "QT1", "icsm");
  }

  // A submitted list-size return with an open conflict: the agent's second
  // change is based on the version a central correction replaced.
  void SetUpPractice(const std::string& practice) {
    AgentIdentity agent = EnrolPractice(practice);
    FieldMap record{{"extract_date", "2026-08-01"}, {"practice", practice}, {"patients", "100"}};
    FieldMap submission{{"practice", practice},
                        {"dataset", "list_size"},
                        {"period", "2026-08"},
                        {"submitted_at", "2026-09-01T00:00:00Z"}};
    Push(agent, 1, "list_size", record, 0);
    Push(agent, 2, "submission", submission, 0);
    CorrectionService(store).Correct(practice, "list_size", With(record, "200"), 1, "central");
    Push(agent, 3, "list_size", With(record, "300"), 1);
    conflict_of[practice] = CorrectionService(store).OpenConflicts({practice}).at(0).id;
  }

  static FieldMap With(FieldMap record, const std::string& patients) {
    record["patients"] = patients;
    return record;
  }

  void Push(const AgentIdentity& agent, std::uint64_t seq, const std::string& dataset,
            const FieldMap& fields, std::uint64_t base) {
    protocol::PushBatch b;
    b.practice = agent.practice;
    b.from_seq = b.to_seq = seq;
    protocol::Change c;
    c.seq = seq;
    c.dataset = dataset;
    c.key = RecordKey(*datasets::Find(dataset), fields);
    c.fields = fields;
    c.version = seq;
    c.base_version = base;
    b.changes = {c};
    REQUIRE(ingest.Ingest(agent, b).reply.acknowledged_seq == seq);
  }
};

struct Route {
  const char* method;
  std::string target;
  std::string body;
};

// Every people's route, aimed at `practice` (and its PCN `pcn`).
std::vector<Route> RoutesAt(const std::string& practice, const std::string& pcn,
                            std::int64_t conflict) {
  std::string key = R"("practice":")" + practice + R"(","dataset":"list_size","period":"2026-08")";
  std::string record = R"({"practice":")" + practice +
                       R"(","dataset":"list_size","base_version":1,"fields":{"extract_date":)"
                       R"("2026-08-01","practice":")" +
                       practice + R"(","patients":"5"}})";
  return {
      {"GET", "/v1/rollups?code=" + practice, ""},
      {"GET", "/v1/rollups?code=" + pcn, ""},
      {"GET", "/v1/returns?period=2026-08&code=" + pcn, ""},
      {"GET", "/v1/returns/detail?practice=" + practice + "&dataset=list_size&period=2026-08", ""},
      {"POST", "/v1/returns/query", "{" + key + R"(,"comment":"why?"})"},
      {"POST", "/v1/returns/approve", "{" + key + R"(,"revision":1})"},
      {"POST", "/v1/returns/approve-bulk/preview", R"({"period":"2026-08","code":")" + pcn + "\"}"},
      {"POST", "/v1/returns/approve-bulk", R"({"returns":[{)" + key + R"(,"revision":1}]})"},
      {"GET", "/v1/records?practice=" + practice + "&dataset=list_size&period=2026-08", ""},
      {"POST", "/v1/records/correct", record},
      {"GET", "/v1/conflicts?period=2026-08&code=" + pcn, ""},
      {"POST", "/v1/conflicts/resolve",
       R"({"id":)" + std::to_string(conflict) + R"(,"keep":"central"})"},
  };
}

}  // namespace

TEST_CASE("access: every route refuses every role outside its scope") {
  Fixture f;
  struct Case {
    const char* token;
    const char* practice;  // outside the role's scope
    const char* pcn;
  };
  for (const Case& c : {Case{"pcn", "T01113", "U10017"}, Case{"place", "T01126", "U10024"},
                        Case{"ics", "H01100", "U20010"}, Case{"icsm", "H01100", "U20010"},
                        Case{"admin", "H01100", "U20010"}}) {
    for (const Route& r : RoutesAt(c.practice, c.pcn, f.conflict_of.at(c.practice))) {
      INFO(c.token << " " << r.method << " " << r.target << " " << r.body);
      HttpResponse response = f.Call(c.token, r.method, r.target, r.body);
      CHECK(response.status == 403);
      CHECK(ErrorCodeOf(response) == "forbidden");
    }
  }
  // Nothing moved: every return still submitted, every conflict still open.
  for (const char* practice : {"T01100", "T01113", "T01126", "H01100"}) {
    CHECK(ReturnService(f.store).Get({practice, "list_size", "2026-08"}).state ==
          ReturnState::kSubmitted);
    CHECK(CorrectionService(f.store).OpenConflicts({practice}).size() == 1);
  }
}

TEST_CASE("access: the analysts read within scope but may not act") {
  Fixture f;
  for (const char* token : {"place", "ics"}) {
    for (const Route& r : RoutesAt("T01100", "U10010", f.conflict_of.at("T01100"))) {
      INFO(token << " " << r.method << " " << r.target);
      HttpResponse response = f.Call(token, r.method, r.target, r.body);
      CHECK(response.status == (std::string(r.method) == "GET" ? 200 : 403));
    }
  }
}

TEST_CASE("access: the PCN manager, the ICS manager and the admin may act within scope") {
  Fixture f;
  for (const char* token : {"pcn", "icsm", "admin"}) {
    HttpResponse preview = f.Call(token, "POST", "/v1/returns/approve-bulk/preview",
                                  R"({"period":"2026-08","code":"U10010"})");
    CHECK(preview.status == 200);
  }
}

TEST_CASE("access: only an admin reads agent health") {
  Fixture f;
  for (const char* token : {"pcn", "place", "ics"}) {
    INFO(token);
    HttpResponse response = f.Call(token, "GET", "/v1/agents", "");
    CHECK(response.status == 403);
    CHECK(ErrorCodeOf(response) == "forbidden");
  }
  CHECK(f.Call("nobody", "GET", "/v1/agents", "").status == 401);
  HttpResponse agents = f.Call("admin", "GET", "/v1/agents", "");
  REQUIRE(agents.status == 200);
  CHECK(boost::json::parse(agents.body).at("agents").as_array().size() == 4);
}

TEST_CASE("access: only an admin publishes findings ahead of the schedule") {
  Fixture f;
  for (const char* token : {"pcn", "place", "ics"}) {
    INFO(token);
    HttpResponse response = f.Call(token, "POST", "/v1/findings/publish", "");
    CHECK(response.status == 403);
    CHECK(ErrorCodeOf(response) == "forbidden");
  }
  CHECK(f.Call("nobody", "POST", "/v1/findings/publish", "").status == 401);
  CHECK(f.Call("admin", "GET", "/v1/findings/publish", "").status == 405);
  HttpResponse published = f.Call("admin", "POST", "/v1/findings/publish", "");
  CHECK(published.status == 200);
  // The pushes marked 2026-08 stale; this run recomputed it and cleared it.
  CHECK(boost::json::parse(published.body).at("months").as_int64() == 1);
  CHECK(f.store.Read([](StoreReading& r) { return PublishedFindings(r.db()).StalePeriods(); })
            .empty());
}

TEST_CASE("access: only the ICS manager and the admin close, reopen and publish months") {
  Fixture f;
  for (const char* token : {"pcn", "place", "ics"}) {
    for (const char* route : {"close", "reopen", "publish"}) {
      INFO(token << " " << route);
      HttpResponse response =
          f.Call(token, "POST", std::string("/v1/periods/") + route, R"({"period":"2026-08"})");
      CHECK(response.status == 403);
      CHECK(ErrorCodeOf(response) == "forbidden");
    }
    // Everyone reads the months of their own ICS.
    CHECK(f.Call(token, "GET", "/v1/periods", "").status == 200);
  }
  CHECK(PeriodService(f.store).Get("QT1", "2026-08").state == PeriodState::kOpen);
  // An ICS manager closes their own ICS's month, never another's.
  CHECK(f.Call("icsm", "POST", "/v1/periods/close", R"({"period":"2026-08"})").status == 200);
  CHECK(PeriodService(f.store).Get("QT1", "2026-08").state == PeriodState::kClosed);
  CHECK(PeriodService(f.store).Get("QT2", "2026-08").state == PeriodState::kOpen);
  // A practice of the other ICS still changes its month.
  AgentIdentity hill = *AgentService(f.store).FindByCertificate("s-H01100");
  FieldMap record{{"extract_date", "2026-08-01"}, {"practice", "H01100"}, {"patients", "400"}};
  auto held = CorrectionService(f.store).FindRecord(
      "H01100", "list_size", RecordKey(*datasets::Find("list_size"), record));
  REQUIRE(held);
  f.Push(hill, 4, "list_size", record, held->second);
  CHECK(RecordReadings(f.store).Of("H01100", "list_size", "2026-08").at(0).fields.at("patients") ==
        "400");
  CHECK(f.Call("admin", "POST", "/v1/periods/publish", R"({"period":"2026-08"})").status == 200);
  HttpResponse lineage = f.Call("ics", "GET", "/v1/periods/lineage?period=2026-08", "");
  REQUIRE(lineage.status == 200);
  CHECK(lineage.body.find("H01100") == std::string::npos);  // QT1's version holds QT1 only
}
