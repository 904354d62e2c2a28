// GET /v1/orgs: the hierarchy of a month within the person's scope, as JSON
// and CSV (api/orgs_api.h).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "returns_fixture.h"

namespace tributary::server::testing {
namespace {

using Catch::Matchers::Contains;

// The codes of a JSON answer's organisations.
std::set<std::string> Codes(const HttpResponse& r) {
  std::set<std::string> out;
  boost::json::value parsed = boost::json::parse(r.body);
  for (const auto& o : parsed.at("organisations").as_array()) {
    out.insert(std::string(o.at("code").as_string()));
  }
  return out;
}

TEST_CASE("orgs: a person reads their scope's organisations of the month", "[orgs]") {
  ReturnsFixture f;
  HttpResponse pcn = f.Call("pat", "GET", "/v1/orgs?period=2026-08");
  REQUIRE(pcn.status == 200);
  CHECK(Codes(pcn) == std::set<std::string>{"U10010", "T01100", "T01113"});
  auto first = boost::json::parse(pcn.body).at("organisations").at(0);
  CHECK(first.at("name") == "North PCN");
  CHECK(first.at("type") == "PCN");
  CHECK(first.at("parent") == "T1A");
  CHECK(first.at("valid_from") == "2026-01-01");
  HttpResponse ics = f.Call("ivy", "GET", "/v1/orgs?period=2026-08");
  CHECK(Codes(ics) ==
        std::set<std::string>{"QT1", "T1A", "U10010", "U10017", "T01100", "T01113", "T01126"});
  HttpResponse one = f.Call("ivy", "GET", "/v1/orgs?period=2026-08&code=U10017");
  CHECK(Codes(one) == std::set<std::string>{"U10017", "T01126"});
}

TEST_CASE("orgs: the hierarchy is the month's, so a practice that moved is under its PCN of then",
          "[orgs]") {
  ReturnsFixture f(
      "QT1,Vale ICB,ICS,,2026-01-01,\n"
      "T1A,Place 1,PLACE,QT1,2026-01-01,\n"
      "U10010,North PCN,PCN,T1A,2026-01-01,\n"
      "U10017,South PCN,PCN,T1A,2026-01-01,\n"
      "T01100,A,PRACTICE,U10010,2026-01-01,\n"
      "T01113,B,PRACTICE,U10010,2026-01-01,2026-08-31\n"
      "T01113,B,PRACTICE,U10017,2026-09-01,\n"
      "T01126,C,PRACTICE,U10017,2026-01-01,\n");
  CHECK(Codes(f.Call("pat", "GET", "/v1/orgs?period=2026-08")).count("T01113") == 1);
  CHECK(Codes(f.Call("pat", "GET", "/v1/orgs?period=2026-09")).count("T01113") == 0);
  CHECK(Codes(f.Call("sam", "GET", "/v1/orgs?period=2026-09")).count("T01113") == 1);
}

TEST_CASE("orgs: CSV has the same columns, names quoted when they must be", "[orgs]") {
  std::string orgs = kReturnsOrgs;
  orgs.replace(orgs.find(",A,PRACTICE"), 2, ",\"Kettle, The\"");
  ReturnsFixture f(orgs);
  HttpResponse csv = f.Call("pat", "GET", "/v1/orgs?period=2026-08&format=csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.rfind("code,name,type,parent,valid_from,valid_to\r\n", 0) == 0);
  CHECK_THAT(csv.body, Contains("U10010,North PCN,PCN,T1A,2026-01-01,\r\n"));
  CHECK_THAT(csv.body, Contains("T01100,\"Kettle, The\",PRACTICE,U10010,2026-01-01,\r\n"));
}

TEST_CASE("orgs: refusals name what is wrong", "[orgs]") {
  ReturnsFixture f;
  CHECK(f.Call("pat", "GET", "/v1/orgs?period=2026-08&code=U10017").status == 403);
  CHECK(f.Call("pat", "GET", "/v1/orgs?period=2026-08&code=QT1").status == 403);
  CHECK(f.Call("ivy", "GET", "/v1/orgs?period=2026-08&code=NOPE").status == 404);
  HttpResponse no_period = f.Call("ivy", "GET", "/v1/orgs");
  CHECK(no_period.status == 400);
  CHECK(ErrorCodeOf(no_period) == "invalid_argument");
  CHECK(f.Call("ivy", "GET", "/v1/orgs?period=August").status == 400);
  CHECK(f.Call("ivy", "GET", "/v1/orgs?period=2026-08&format=xml").status == 400);
  CHECK(f.Call("ivy", "GET", "/v1/orgs?period=2026-08&colour=red").status == 400);
  CHECK(f.Call("ivy", "POST", "/v1/orgs?period=2026-08").status == 405);
  CHECK(f.Call("", "GET", "/v1/orgs?period=2026-08").status == 401);
  // A practice before it existed is not an organisation of that month.
  CHECK(f.Call("ivy", "GET", "/v1/orgs?period=2025-12&code=T01100").status == 404);
}

}  // namespace
}  // namespace tributary::server::testing
