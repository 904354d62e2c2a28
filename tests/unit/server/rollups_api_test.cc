// GET /v1/rollups through the router: bearer tokens, roles and scopes, and
// the tidy JSON and CSV.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "audit/audit_service.h"
#include "enrol/agent_service.h"
#include "rollup/rollup_row.h"
#include "server_fixture.h"
#include "users/access_policy.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

// Two places, one PCN each, one practice each.
constexpr const char* kOrgs =
    "QT1,Vale ICB,ICS,,2026-01-01,\n"
    "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
    "T2B,Place 2,PLACE,QT1,2026-01-01,\n"
    "U10010,North PCN,PCN,T1A,2026-01-01,\n"
    "U10017,South PCN,PCN,T2B,2026-01-01,\n"
    "T01100,A,PRACTICE,U10010,2026-01-01,\n"
    "T01113,B,PRACTICE,U10017,2026-01-01,\n";

struct Fixture : ServerFixture {
  std::map<Role, std::string> tokens;

  Fixture() {
    ImportOrgs(kOrgs);
    for (const char* practice : {"T01100", "T01113"}) PushListSize(practice, 5000);
    AddUser("Pat", Role::kPcnManager, "U10010");
    AddUser("Pia", Role::kPlaceAnalyst, "T1A");
    AddUser("Ian", Role::kIcsAnalyst, "QT1");
    AddUser("Ada", Role::kAdmin, "QT1");
  }

  void AddUser(const std::string& name, Role role, const std::string& scope) {
    std::string token = "token-" + name;
    ServerFixture::AddUser("u-" + name, name, role, scope, token);
    tokens[role] = token;
  }

  void PushListSize(const std::string& practice, int patients) {
    EnrolPractice(practice);
    protocol::PushBatch b;
    b.practice = practice;
    b.from_seq = b.to_seq = 1;
    protocol::Change c;
    c.seq = 1;
    c.dataset = "list_size";
    c.fields = {{"extract_date", "2026-08-01"},
                {"practice", practice},
                {"patients", std::to_string(patients)}};
    c.key = RecordKey(datasets::ListSize(), c.fields);
    c.version = 1;
    b.changes = {c};
    REQUIRE(
        ingest.Ingest(*AgentService(store).FindByCertificate("s-" + practice), b).reply.accepted ==
        1);
  }

  HttpResponse Get(const std::string& target, const std::string& token,
                   const std::string& accept = "") {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    if (!accept.empty()) request.headers["accept"] = accept;
    return router.Handle(request);
  }

  HttpResponse GetAs(Role role, const std::string& target) { return Get(target, tokens.at(role)); }
};

// The distinct codes in a JSON rollup response.
std::set<std::string> Codes(const HttpResponse& response) {
  std::set<std::string> codes;
  boost::json::value parsed = boost::json::parse(response.body);
  for (const auto& row : parsed.at("rows").as_array()) {
    codes.insert(std::string(row.at("code").as_string()));
  }
  return codes;
}

}  // namespace

TEST_CASE("rollups api: no token, an unknown token or a malformed header is 401") {
  Fixture f;
  for (const auto& response : {f.Get("/v1/rollups", ""), f.Get("/v1/rollups", "nonsense")}) {
    CHECK(response.status == 401);
    CHECK(ErrorCodeOf(response) == "unauthorized");
  }
  HttpRequest basic;
  basic.method = "GET";
  basic.target = "/v1/rollups";
  basic.headers["authorization"] = "Basic dXNlcjpwYXNz";
  CHECK(f.router.Handle(basic).status == 401);
}

TEST_CASE("rollups api: each role sees exactly its scope, and is refused beyond it") {
  Fixture f;
  CHECK(Codes(f.GetAs(Role::kPcnManager, "/v1/rollups")) ==
        std::set<std::string>{"T01100", "U10010"});
  CHECK(Codes(f.GetAs(Role::kPlaceAnalyst, "/v1/rollups")) ==
        std::set<std::string>{"T01100", "U10010", "T1A"});
  std::set<std::string> everything{"T01100", "T01113", "U10010", "U10017", "T1A", "T2B", "QT1"};
  CHECK(Codes(f.GetAs(Role::kIcsAnalyst, "/v1/rollups")) == everything);
  CHECK(Codes(f.GetAs(Role::kAdmin, "/v1/rollups")) == everything);

  struct Refusal {
    Role role;
    const char* target;
  };
  for (const Refusal& r : {Refusal{Role::kPcnManager, "/v1/rollups?code=U10017"},
                           Refusal{Role::kPcnManager, "/v1/rollups?code=T01113"},
                           Refusal{Role::kPcnManager, "/v1/rollups?level=place"},
                           Refusal{Role::kPcnManager, "/v1/rollups?level=ics"},
                           Refusal{Role::kPcnManager, "/v1/rollups?code=QT1&period=2026-08"},
                           Refusal{Role::kPlaceAnalyst, "/v1/rollups?code=T2B"},
                           Refusal{Role::kPlaceAnalyst, "/v1/rollups?code=U10017"},
                           Refusal{Role::kPlaceAnalyst, "/v1/rollups?level=ics"}}) {
    INFO(RoleName(r.role) << " " << r.target);
    HttpResponse response = f.GetAs(r.role, r.target);
    CHECK(response.status == 403);
    CHECK(ErrorCodeOf(response) == "forbidden");
  }
  CHECK(f.GetAs(Role::kPcnManager, "/v1/rollups?code=U10010").status == 200);
  CHECK(f.GetAs(Role::kPcnManager, "/v1/rollups?code=T01100&level=practice").status == 200);
  CHECK(f.GetAs(Role::kIcsAnalyst, "/v1/rollups?code=T2B").status == 200);
}

TEST_CASE("rollups api: JSON by default, tidy CSV by Accept or format") {
  Fixture f;
  HttpResponse json = f.GetAs(Role::kPcnManager, "/v1/rollups?level=pcn&dataset=coverage");
  REQUIRE(json.status == 200);
  CHECK(json.content_type == "application/json");
  auto rows = boost::json::parse(json.body).at("rows").as_array();
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].at("measure").as_string() == "practices_expected");
  CHECK(rows[1].at("period").as_string() == "2026-08");

  for (const HttpResponse& csv :
       {f.Get("/v1/rollups?level=pcn&dataset=coverage", f.tokens.at(Role::kPcnManager), "text/csv"),
        f.GetAs(Role::kPcnManager, "/v1/rollups?level=pcn&dataset=coverage&format=csv")}) {
    CHECK(csv.status == 200);
    CHECK(csv.content_type == "text/csv; charset=utf-8");
    CHECK(csv.body ==
          "level,code,period,dataset,measure,staff_group,staff_role,hcp_type,appt_mode,"
          "appt_status,booking_interval,value,practices_covered\r\n"
          "pcn,U10010,2026-08,coverage,practices_approved,,,,,,,0,1\r\n"
          "pcn,U10010,2026-08,coverage,practices_expected,,,,,,,1,1\r\n"
          "pcn,U10010,2026-08,coverage,practices_submitted,,,,,,,0,1\r\n");
  }
}

TEST_CASE("rollups api: bad parameters are 400 with the parameter named") {
  Fixture f;
  for (const char* target :
       {"/v1/rollups?level=nation", "/v1/rollups?period=August", "/v1/rollups?dataset=pay",
        "/v1/rollups?format=xml", "/v1/rollups?colour=red", "/v1/rollups?code=%ZZ",
        "/v1/rollups?code=U10010&code=U10017"}) {
    INFO(target);
    HttpResponse response = f.GetAs(Role::kIcsAnalyst, target);
    CHECK(response.status == 400);
  }
  CHECK(f.GetAs(Role::kIcsAnalyst, "/v1/rollups?level=nation").body.find("level") !=
        std::string::npos);
  HttpRequest post;
  post.method = "POST";
  post.target = "/v1/rollups";
  CHECK(f.router.Handle(post).status == 405);
}

TEST_CASE("access policy: scope follows the hierarchy of the day") {
  auto orgs = ParseOrgFile(
      "ORG_CODE,ORG_NAME,ORG_TYPE,PARENT_CODE,VALID_FROM,VALID_TO\n"
      "QT1,Vale ICB,ICS,,2026-01-01,\n"
      "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
      "U10010,North PCN,PCN,T1A,2026-01-01,\n"
      "U10017,South PCN,PCN,T1A,2026-01-01,\n"
      "T01100,A,PRACTICE,U10010,2026-01-01,2026-06-30\n"
      "T01100,A,PRACTICE,U10017,2026-07-01,\n");
  REQUIRE(orgs.problems.empty());
  OrgHierarchy hierarchy(orgs.organisations);
  User north{"u", "Pat", Role::kPcnManager, "U10010"};
  AccessPolicy access(north, hierarchy);
  CHECK(access.CanSee("T01100", "2026-06-01"));
  CHECK_FALSE(access.CanSee("T01100", "2026-07-01"));
  CHECK(access.CanSee("U10010", "2026-07-01"));
  CHECK_FALSE(access.CanSee("U10017", "2026-07-01"));
  CHECK_FALSE(access.CanSee("T1A", "2026-07-01"));
  CHECK_FALSE(access.CanSee("T99999", "2026-07-01"));
  CHECK(access.CanSeeLevel(OrgLevel::kPractice));
  CHECK(access.CanSeeLevel(OrgLevel::kPcn));
  CHECK_FALSE(access.CanSeeLevel(OrgLevel::kPlace));
}

TEST_CASE("audit log: adding a user is recorded and the chain verifies") {
  Fixture f;
  CHECK_FALSE(AuditService(f.store).FirstBrokenEntry());
  auto db = tributary::testing::OpenTestStore(f.dir);
  CHECK_THROWS(db->Exec("UPDATE audit_log SET actor = 'someone else' WHERE id = 1"));
  CHECK_THROWS(db->Exec("DELETE FROM audit_log WHERE id = 2"));
  // Even with the guard dropped, an edit breaks the chain where it was made.
  db->Exec(db->engine() == db::Engine::kSqlite ? "DROP TRIGGER audit_log_no_update"
                                               : "DROP TRIGGER audit_log_no_change ON audit_log");
  db->Exec("UPDATE audit_log SET detail = 'edited' WHERE id = 2");
  CHECK(AuditService(f.store).FirstBrokenEntry() == 2);
}

namespace tributary::server::testing {
namespace {

TEST_CASE("rollups api: an ETag, and 304 without a body while nothing changed") {
  Fixture f;
  auto get = [&](const std::string& target, const std::string& etag) {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    request.headers["authorization"] = "Bearer " + f.tokens.at(Role::kIcsAnalyst);
    if (!etag.empty()) request.headers["if-none-match"] = etag;
    return f.router.Handle(request);
  };
  auto etag_of = [](const HttpResponse& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "ETag") return value;
    }
    return std::string();
  };
  for (const std::string target : {"/v1/rollups?period=2026-08", "/v1/orgs?period=2026-08"}) {
    INFO(target);
    HttpResponse first = get(target, "");
    REQUIRE(first.status == 200);
    std::string etag = etag_of(first);
    CHECK(etag.size() == 34);
    HttpResponse again = get(target, etag);
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(get(target, "\"other\"").status == 200);
  }
  // A changed hierarchy: a new tag, and the old one no longer matches.
  std::string before = etag_of(get("/v1/orgs?period=2026-08", ""));
  std::string renamed = kOrgs;
  renamed.replace(renamed.find("North PCN"), 9, "Northern PCN");
  f.ImportOrgs(renamed);
  HttpResponse after = get("/v1/orgs?period=2026-08", before);
  CHECK(after.status == 200);
  CHECK(etag_of(after) != before);
}

TEST_CASE("rollups api: values are plain decimals, as in the CSV") {
  std::vector<RollupRow> rows(4);
  rows[0].value = 57;
  rows[1].value = 0.4375;
  rows[2].value = 1388.274;
  rows[3].value = 12345678;
  rows[0].code = "A\"B";
  std::string json = RollupsJson(rows);
  CHECK_THAT(json, Catch::Matchers::Contains("\"value\":57,"));
  CHECK_THAT(json, Catch::Matchers::Contains("\"value\":0.4375,"));
  CHECK_THAT(json, Catch::Matchers::Contains("\"value\":1388.274,"));
  CHECK_THAT(json, Catch::Matchers::Contains("\"value\":12345678,"));
  CHECK_THAT(json, Catch::Matchers::Contains("\"code\":\"A\\\"B\""));
  CHECK(json.find("E+") == std::string::npos);
  auto parsed = boost::json::parse(json);
  CHECK(parsed.at("rows").at(2).at("value").to_number<double>() == RoundedValue(1388.274));
  std::string csv = RollupsCsv(rows);
  CHECK_THAT(csv, Catch::Matchers::Contains(",1388.274,0\r\n"));
}

}  // namespace
}  // namespace tributary::server::testing
