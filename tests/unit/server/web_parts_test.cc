// The web pages' parts on their own: escaping, figures, the session book,
// the trend chart and the assets directory.
#include <catch2/catch.hpp>
#include <fstream>

#include "temp_dir.h"
#include "tributary/common/error.h"
#include "web/html.h"
#include "web/session_book.h"
#include "web/trend_chart.h"
#include "web/web_assets.h"

namespace tributary::server::web {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("text and query values are escaped", "[web]") {
  CHECK(Escape("<a href=\"x\">Tom & Jerry's</a>") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(UrlEncode("U10010&x=1 /é") == "U10010%26x%3D1%20%2F%C3%A9");
}

TEST_CASE("figures are written for people", "[web]") {
  CHECK(Figure(1234567) == "1,234,567");
  CHECK(Figure(0) == "0");
  CHECK(Figure(-1234) == "-1,234");
  CHECK(Figure(1388.274) == "1,388.27");
  CHECK(Figure(0.5) == "0.50");
}

TEST_CASE("a session lives until it idles, ages out or is ended", "[web]") {
  SessionBook book;
  Session s = book.Open("hash", 1000);
  CHECK(s.id.size() == 64);
  CHECK(s.csrf.size() == 64);
  CHECK(s.id != s.csrf);
  CHECK(book.Use(s.id, 2000)->token_hash == "hash");
  CHECK_FALSE(book.Use("unknown", 2000));
  // Each use restarts the idle time, up to the lifetime.
  std::int64_t t = 2000;
  while (t + SessionBook::kIdleMillis / 2 < 1000 + SessionBook::kLifetimeMillis) {
    t += SessionBook::kIdleMillis / 2;
    REQUIRE(book.Use(s.id, t));
  }
  CHECK_FALSE(book.Use(s.id, 1000 + SessionBook::kLifetimeMillis));
  CHECK(book.size() == 0);  // the expired one is forgotten

  Session idle = book.Open("hash", 0);
  CHECK_FALSE(book.Use(idle.id, SessionBook::kIdleMillis));
  Session ended = book.Open("hash", 0);
  book.End(ended.id);
  CHECK_FALSE(book.Use(ended.id, 1));
}

TEST_CASE("the session book makes room by ending the oldest session", "[web]") {
  SessionBook book;
  Session first = book.Open("h", 0);
  for (std::size_t i = 1; i < SessionBook::kMaxSessions; ++i) book.Open("h", 1);
  CHECK(book.size() == SessionBook::kMaxSessions);
  Session newest = book.Open("h", 2);
  CHECK(book.size() == SessionBook::kMaxSessions);
  CHECK_FALSE(book.Use(first.id, 3));
  CHECK(book.Use(newest.id, 3));
}

TEST_CASE("a trend chart names itself and every point, with no style or script", "[web]") {
  std::string svg = TrendChart("t1", "FTE, 12 months to 2026-10",
                               {{"2026-08", 10.5}, {"2026-09", std::nullopt}, {"2026-10", 12}});
  CHECK_THAT(svg, Contains("role=\"img\" aria-labelledby=\"t1-title t1-desc\""));
  CHECK_THAT(svg, Contains("<title id=\"t1-title\">FTE, 12 months to 2026-10</title>"));
  CHECK_THAT(svg, Contains("2026-08: 10.50; 2026-09: no figure; 2026-10: 12"));
  CHECK(svg.find("style") == std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  // Two points drawn, the line broken at the missing month.
  std::size_t circles = 0;
  for (auto at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1))
    ++circles;
  CHECK(circles == 2);
  CHECK(svg.find(" L") == std::string::npos);
}

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST_CASE("assets are read once, typed and tagged, and a bad directory is refused", "[web]") {
  tributary::testing::TempDir dir;
  CHECK_THROWS_MATCHES(WebAssets::Load(dir.path() / "missing"), Error,
                       Catch::Matchers::Predicate<Error>(
                           [](const Error& e) { return e.code() == ErrorCode::kNotFound; }));
  Write(dir.path() / "a" / "images" / "logo.svg", "<svg/>");
  CHECK_THROWS_WITH(WebAssets::Load(dir.path() / "a"), Contains("holds no stylesheet"));
  Write(dir.path() / "a" / "site.css", "body{}");
  WebAssets assets = WebAssets::Load(dir.path() / "a");
  CHECK(assets.size() == 2);
  REQUIRE(assets.Find("images/logo.svg"));
  CHECK(assets.Find("images/logo.svg")->content_type == "image/svg+xml");
  CHECK(assets.Find("site.css")->content_type == "text/css; charset=utf-8");
  CHECK(assets.Find("site.css")->etag.size() == 34);
  CHECK(assets.Find("../site.css") == nullptr);
  Write(dir.path() / "a" / "notes.exe", "MZ");
  CHECK_THROWS_WITH(WebAssets::Load(dir.path() / "a"), Contains("notes.exe: unknown type"));
}

}  // namespace
}  // namespace tributary::server::web
