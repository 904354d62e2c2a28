// Signing in and out of the web pages, sessions, CSRF and the security
// headers (web/web_app.h), through the router.
#include <catch2/catch.hpp>

#include "users/user_service.h"
#include "web_fixture.h"

namespace tributary::server::testing {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("a page asks an unknown visitor to sign in, and comes back after", "[web]") {
  WebFixture f;
  HttpResponse r = f.Get("/returns?period=2026-08");
  CHECK(r.status == 303);
  CHECK(f.Header(r, "Location") == "/login?next=%2Freturns%3Fperiod%3D2026-08");
  f.Get(f.Header(r, "Location"));
  HttpResponse in = f.Post("/login", {{"token", "pat"}, {"next", "/returns?period=2026-08"}});
  CHECK(in.status == 303);
  CHECK(f.Header(in, "Location") == "/returns?period=2026-08");
}

TEST_CASE("signing in swaps the token for a strict session cookie", "[web]") {
  WebFixture f;
  HttpResponse login = f.Get("/login");
  CHECK(login.status == 200);
  CHECK_THAT(login.body,
             Contains("<label class=\"nhsuk-label\" for=\"token\">Access token</label>"));
  CHECK_THAT(login.body, Contains(">Sign in</button>"));
  auto login_cookie = f.SetCookie(login, "tributary_login");
  REQUIRE(login_cookie);
  CHECK_THAT(*login_cookie,
             Contains("HttpOnly") && Contains("Secure") && Contains("SameSite=Strict"));

  HttpResponse in = f.Post("/login", {{"token", "pat"}});
  REQUIRE(in.status == 303);
  CHECK(f.Header(in, "Location") == "/returns");
  auto session = f.SetCookie(in, "tributary_session");
  REQUIRE(session);
  CHECK_THAT(*session, Contains("HttpOnly") && Contains("Secure") && Contains("SameSite=Strict") &&
                           Contains("Max-Age=28800") && Contains("Path=/"));
  // The cookie is a session id, never the token.
  CHECK(session->find("pat") == std::string::npos);
  HttpResponse roster = f.Get("/returns?period=2026-08");
  CHECK(roster.status == 200);
  CHECK_THAT(roster.body, Contains("Pat (pcn-manager, U10010)"));
}

TEST_CASE("a wrong or missing token is refused on the sign-in page", "[web]") {
  WebFixture f;
  f.Get("/login");
  HttpResponse wrong = f.Post("/login", {{"token", "not-a-token"}});
  CHECK(wrong.status == 401);
  CHECK_THAT(wrong.body, Contains("There is a problem") && Contains("not recognised"));
  CHECK(f.cookies.count("tributary_session") == 0);
  HttpResponse empty = f.Post("/login", {{"token", ""}});
  CHECK(empty.status == 400);
  CHECK_THAT(empty.body, Contains("Enter your access token"));
}

TEST_CASE("the sign-in form is refused without its own CSRF token", "[web]") {
  WebFixture f;
  f.Get("/login");
  CHECK(f.Post("/login", {{"token", "pat"}}, false).status == 403);
  // A token from another visitor's form does not match this one's cookie.
  f.cookies["tributary_login"] = std::string(64, 'a');
  CHECK(f.Post("/login", {{"token", "pat"}}).status == 403);
  CHECK(f.cookies.count("tributary_session") == 0);
}

TEST_CASE("a state-changing form without the session's CSRF token is refused", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.SignIn("pat");
  f.Get("/returns/T01100/list_size/2026-08");
  std::int64_t revision = f.Return("T01100").revision;
  HttpResponse bare = f.Post("/returns/T01100/list_size/2026-08/approve",
                             {{"revision", std::to_string(revision)}}, false);
  CHECK(bare.status == 403);
  CHECK(f.State("T01100") == "submitted");
  HttpResponse forged =
      f.Post("/returns/T01100/list_size/2026-08/approve",
             {{"revision", std::to_string(revision)}, {"csrf_token", std::string(64, '0')}}, false);
  CHECK(forged.status == 403);
  CHECK(f.State("T01100") == "submitted");
  HttpResponse good =
      f.Post("/returns/T01100/list_size/2026-08/approve", {{"revision", std::to_string(revision)}});
  CHECK(good.status == 303);
  CHECK(f.State("T01100") == "approved");
}

TEST_CASE("signing out ends the session on the server", "[web]") {
  WebFixture f;
  f.SignIn("pat");
  f.Get("/returns?period=2026-08");
  std::string old_session = f.cookies["tributary_session"];
  HttpResponse out = f.Post("/logout", {});
  CHECK(out.status == 303);
  CHECK(f.Header(out, "Location") == "/login?signed_out=1");
  CHECK(f.cookies.count("tributary_session") == 0);
  CHECK_THAT(f.Get("/login?signed_out=1").body, Contains("You have signed out"));
  // The old cookie, sent again, opens nothing.
  f.cookies["tributary_session"] = old_session;
  CHECK(f.Get("/returns?period=2026-08").status == 303);
}

TEST_CASE("a session ends when its person's token is revoked or it idles", "[web]") {
  WebFixture f;
  f.SignIn("pat");
  CHECK(f.Get("/returns?period=2026-08").status == 200);
  f.clock.Advance(SessionBook::kIdleMillis - 1000);
  CHECK(f.Get("/returns?period=2026-08").status == 200);  // use restarts the idle time
  f.clock.Advance(SessionBook::kIdleMillis);
  CHECK(f.Get("/returns?period=2026-08").status == 303);

  f.SignIn("pat");
  CHECK(f.Get("/returns?period=2026-08").status == 200);
  UserService(f.store).Revoke("u-pat", "test");
  CHECK(f.Get("/returns?period=2026-08").status == 303);
}

TEST_CASE("every web answer carries the security headers and no inline script", "[web]") {
  WebFixture f;
  f.Submit("T01100");
  f.SignIn("ada");
  for (const char* target :
       {"/login", "/returns?period=2026-08", "/returns/T01100/list_size/2026-08",
        "/returns/approve-all?period=2026-08", "/rollups?period=2026-08", "/periods", "/agents",
        "/no-such-page"}) {
    INFO(target);
    HttpResponse r = f.Get(target);
    std::string csp = f.Header(r, "Content-Security-Policy");
    CHECK_THAT(csp, Contains("script-src 'self'") && Contains("frame-ancestors 'none'"));
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(f.Header(r, "Strict-Transport-Security") == "max-age=31536000");
    CHECK(f.Header(r, "X-Content-Type-Options") == "nosniff");
    // Every <script> names a file; no element carries a style attribute.
    for (std::size_t at = r.body.find("<script"); at != std::string::npos;
         at = r.body.find("<script", at + 1)) {
      bool names_a_file = r.body.compare(at, 12, "<script src=") == 0 ||
                          r.body.compare(at, 25, "<script type=\"module\" src") == 0;
      CHECK(names_a_file);
    }
    CHECK(r.body.find(" style=") == std::string::npos);
  }
}

}  // namespace
}  // namespace tributary::server::testing
