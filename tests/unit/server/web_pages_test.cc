// The web pages show and do what the people's API does, as the signed-in
// user: the roster, a return's approve and query, bulk approval with a
// stale preview, scope refusals, rollups, months (web/*_page.h).
#include <catch2/catch.hpp>

#include "enrol/agent_service.h"
#include "web_fixture.h"

namespace tributary::server::testing {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("the roster lists the scope's returns with their states and a summary", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.SignIn("pat");
  HttpResponse r = f.Get("/returns?period=2026-08");
  REQUIRE(r.status == 200);
  CHECK_THAT(WebFixture::H1(r.body),
             Contains("North PCN (U10010), 2026-08") && Contains("Returns"));
  // Pat's PCN has two practices; the other PCN's practice is not listed.
  CHECK_THAT(r.body, Contains("/returns/T01100/list_size/2026-08"));
  CHECK_THAT(r.body, Contains("/returns/T01113/list_size/2026-08"));
  CHECK(r.body.find("T01126") == std::string::npos);
  CHECK_THAT(
      r.body,
      Contains("Submitted, waiting for approval</dt><dd class=\"nhsuk-summary-list__value\">1<"));
  CHECK_THAT(r.body, Contains(">Approve all submitted</a>"));
  // Filtered by state.
  HttpResponse open = f.Get("/returns?period=2026-08&state=open");
  CHECK(open.body.find("/returns/T01100/list_size/2026-08") == std::string::npos);
  CHECK_THAT(open.body, Contains("/returns/T01113/list_size/2026-08"));
  CHECK(f.Get("/returns?period=2026-08&state=bogus").status == 400);
}

TEST_CASE("an analyst reads the roster but is offered no approval", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.SignIn("ian");
  HttpResponse r = f.Get("/returns?period=2026-08");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("Approve all submitted") == std::string::npos);
  HttpResponse page = f.Get("/returns/T01100/list_size/2026-08");
  CHECK(page.body.find(">Approve</button>") == std::string::npos);
  // Posting anyway is refused by the API's rule.
  CHECK(f.Post("/returns/T01100/list_size/2026-08/approve",
               {{"revision", std::to_string(f.Return("T01100").revision)}})
            .status == 403);
  CHECK(f.State("T01100") == "submitted");
}

TEST_CASE("a return is approved and queried at the revision shown", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.Submit("T01113");
  f.SignIn("pat");
  HttpResponse page = f.Get("/returns/T01100/list_size/2026-08");
  REQUIRE(page.status == 200);
  std::string revision = std::to_string(f.Return("T01100").revision);
  CHECK_THAT(page.body, Contains("name=\"revision\" value=\"" + revision + "\""));
  HttpResponse approved =
      f.Post("/returns/T01100/list_size/2026-08/approve", {{"revision", revision}});
  REQUIRE(approved.status == 303);
  CHECK(f.State("T01100") == "approved");
  CHECK_THAT(f.Get(WebFixture::Header(approved, "Location")).body,
             Contains("Return approved at revision"));

  f.Get("/returns/T01113/list_size/2026-08");
  std::string r2 = std::to_string(f.Return("T01113").revision);
  HttpResponse empty =
      f.Post("/returns/T01113/list_size/2026-08/query", {{"revision", r2}, {"comment", "  "}});
  CHECK(empty.status == 400);
  CHECK_THAT(empty.body, Contains("Enter a comment") && Contains("nhsuk-error-summary"));
  CHECK(f.State("T01113") == "submitted");
  HttpResponse queried = f.Post("/returns/T01113/list_size/2026-08/query",
                                {{"revision", r2}, {"comment", "Check the <list> size"}});
  REQUIRE(queried.status == 303);
  CHECK(f.State("T01113") == "queried");
  CHECK(f.Return("T01113").query_comment == "Check the <list> size");
  HttpResponse after = f.Get(WebFixture::Header(queried, "Location"));
  CHECK_THAT(after.body, Contains("Check the &lt;list&gt; size"));
  CHECK(after.body.find("Check the <list> size") == std::string::npos);
}

TEST_CASE("approving a revision that changed since the page was read approves nothing", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.SignIn("pat");
  f.Get("/returns/T01100/list_size/2026-08");
  std::string shown = std::to_string(f.Return("T01100").revision);
  f.ListSize("T01100", 5100);  // the practice sends a new figure meanwhile
  HttpResponse r = f.Post("/returns/T01100/list_size/2026-08/approve", {{"revision", shown}});
  CHECK(r.status == 409);
  CHECK_THAT(r.body, Contains("There is a problem"));
  CHECK(f.State("T01100") != "approved");
}

TEST_CASE("bulk approval approves exactly the preview, or nothing if it moved", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.Submit("T01113");
  f.SignIn("pat");
  HttpResponse preview = f.Get("/returns/approve-all?code=U10010&period=2026-08");
  REQUIRE(preview.status == 200);
  CHECK_THAT(preview.body, Contains("2 returns will be approved") && Contains("Confirm approval"));
  std::string form = f.Csrf();
  REQUIRE(!form.empty());
  // Another manager queries one of them before Pat confirms.
  REQUIRE(f.Call("ivy", "POST", "/v1/returns/query",
                 "{" + WebFixture::Key("T01113") + R"(,"comment":"wait","revision":)" +
                     std::to_string(f.Return("T01113").revision) + "}")
              .status == 200);
  auto item = [&](const std::string& practice) {
    return practice + "|list_size|" + std::to_string(f.Return(practice).revision);
  };
  HttpResponse stale = f.Post(
      "/returns/approve-all",
      {{"code", "U10010"}, {"period", "2026-08"}, {"r0", item("T01100")}, {"r1", item("T01113")}});
  CHECK(stale.status == 409);
  CHECK_THAT(stale.body, Contains("Nothing was approved") &&
                             Contains("T01113 list_size: was revision") && Contains("queried"));
  CHECK(f.State("T01100") == "submitted");
  // The fresh preview offers only what is still submitted.
  CHECK_THAT(stale.body, Contains("1 return will be approved"));
  HttpResponse done = f.Post("/returns/approve-all",
                             {{"code", "U10010"}, {"period", "2026-08"}, {"r0", item("T01100")}});
  REQUIRE(done.status == 303);
  CHECK(f.State("T01100") == "approved");
  CHECK(f.State("T01113") == "queried");
  CHECK_THAT(f.Get(WebFixture::Header(done, "Location")).body, Contains("1 returns approved"));
}

TEST_CASE("another scope's pages are 403 pages and unknown ones 404 pages", "[web]") {
  WebFixture f;
  f.SignIn("pat");
  HttpResponse other = f.Get("/returns/T01126/list_size/2026-08");
  CHECK(other.status == 403);
  CHECK(other.content_type.rfind("text/html", 0) == 0);
  CHECK_THAT(WebFixture::H1(other.body), Contains("You cannot see this page"));
  CHECK(f.Get("/returns?code=U10017&period=2026-08").status == 403);
  CHECK(f.Get("/rollups?code=U10017&period=2026-08").status == 403);
  CHECK(f.Get("/agents").status == 403);
  HttpResponse missing = f.Get("/no/such/page");
  CHECK(missing.status == 404);
  CHECK_THAT(WebFixture::H1(missing.body), Contains("Page not found"));
  CHECK(f.Get("/returns/T01100/list_size").status == 404);
  CHECK(f.Get("/returns/T01100/list_size/2026-08/delete").status == 404);
  // A malformed month is the API's 400, shown as a page.
  CHECK(f.Get("/returns/T01100/list_size/August").status == 400);
}

TEST_CASE("an organisation's name is shown as text, never as markup", "[web]") {
  std::string orgs = kReturnsOrgs;
  orgs.replace(orgs.find("North PCN"), 9, "<script>alert(1)</script>");
  WebFixture f;
  f.ImportOrgs(orgs);
  f.SignIn("pat");
  HttpResponse r = f.Get("/returns?period=2026-08");
  CHECK(r.body.find("<script>alert(1)</script>") == std::string::npos);
  CHECK_THAT(r.body, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_CASE("what an agent says of itself is shown on the agents page as text, never as markup",
          "[web]") {
  WebFixture f;
  AgentIdentity agent = *AgentService(f.store).FindByCertificate("s-T01100");
  protocol::Heartbeat h;
  h.agent_version = "<script>alert(1)</script>";
  h.last_error = "network: <img src=x onerror=alert(2)>\x1b[2J";
  h.agent_time_ms = static_cast<std::uint64_t>(f.clock.NowMillis());
  AgentService(f.store).RecordHeartbeat(agent, h);
  f.SignIn("ada");
  HttpResponse page = f.Get("/agents");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(page.body.find("<img src=x") == std::string::npos);
  CHECK_THAT(page.body, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(page.body, Contains("&lt;img src=x onerror=alert(2)&gt;"));
}

TEST_CASE("rollups show the API's figures with coverage, drill-down and CSV", "[web]") {
  WebFixture f;
  f.Appointments("T01100", 30);
  f.Appointments("T01126", 12);
  f.SignIn("ivy");
  HttpResponse ics = f.Get("/rollups?period=2026-08");
  REQUIRE(ics.status == 200);
  CHECK_THAT(WebFixture::H1(ics.body), Contains("Rollups, 2026-08"));
  CHECK_THAT(ics.body, Contains(">Appointments</td><td class=\"nhsuk-table__cell "
                                "nhsuk-table__cell--numeric\" role=\"cell\"><span "
                                "class=\"nhsuk-table__heading\" aria-hidden=\"true\">Value "
                                "</span>42</td>"));
  // Drill-down: the ICS's place, then its PCNs.
  CHECK_THAT(ics.body, Contains("/rollups?level=place&amp;code=T1A&amp;period=2026-08"));
  HttpResponse place = f.Get("/rollups?level=place&code=T1A&period=2026-08");
  CHECK_THAT(place.body, Contains("/rollups?level=pcn&amp;code=U10010&amp;period=2026-08") &&
                             Contains("/rollups?level=pcn&amp;code=U10017&amp;period=2026-08"));
  HttpResponse pcn = f.Get("/rollups?level=pcn&code=U10010&period=2026-08");
  CHECK_THAT(pcn.body, Contains("/rollups?level=practice&amp;code=T01100&amp;period=2026-08"));
  // A trend chart with an accessible name, its numbers also as a table.
  CHECK_THAT(ics.body, Contains("role=\"img\" aria-labelledby=\"trend-") &&
                           Contains("Appointments, 12 months to 2026-08</title>") &&
                           Contains("2026-08: 42"));
  CHECK(f.Get("/rollups?level=pcn&code=T1A&period=2026-08").status == 400);
  HttpResponse csv = f.Get("/rollups/download?level=ics&code=QT1&period=2026-08");
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK_THAT(WebFixture::Header(csv, "Content-Disposition"),
             Contains("attachment; filename=\"rollups-ics-QT1-2026-08.csv\""));
  CHECK(csv.body ==
        f.Call("ivy", "GET", "/v1/rollups?level=ics&code=QT1&period=2026-08&format=csv").body);
}

TEST_CASE("an ICS manager closes and publishes a month from the months page", "[web]") {
  WebFixture f;
  f.SignIn("ivy");
  HttpResponse page = f.Get("/periods");
  REQUIRE(page.status == 200);
  CHECK_THAT(page.body, Contains("Close month<span class=\"nhsuk-u-visually-hidden\"> 2026-08"));
  HttpResponse publish_open = f.Post("/periods/publish", {{"period", "2026-08"}});
  CHECK(publish_open.status == 409);  // an open month is not published
  CHECK_THAT(publish_open.body, Contains("There is a problem"));
  f.Get("/periods");
  REQUIRE(f.Post("/periods/close", {{"period", "2026-08"}}).status == 303);
  CHECK_THAT(f.Get("/periods?done=close&period=2026-08").body, Contains("2026-08 is closed"));
  REQUIRE(f.Post("/periods/publish", {{"period", "2026-08"}}).status == 303);
  CHECK_THAT(f.Get("/periods").body, Contains("Version 1, "));
  // A PCN manager is not offered the actions, and is refused them.
  f.cookies.clear();
  f.SignIn("pat");
  CHECK(f.Get("/periods").body.find("Reopen month") == std::string::npos);
  CHECK(f.Post("/periods/reopen", {{"period", "2026-08"}}).status == 403);
}

}  // namespace
}  // namespace tributary::server::testing
