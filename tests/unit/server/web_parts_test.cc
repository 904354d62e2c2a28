// The web pages' parts on their own: escaping, figures, the session book,
// the trend chart and the assets directory.
#include <catch2/catch.hpp>
#include <fstream>

#include "store/server_store.h"
#include "temp_dir.h"
#include "test_store.h"
#include "tributary/common/digest.h"
#include "tributary/common/error.h"
#include "tributary/common/hlc.h"
#include "users/session_book.h"
#include "users/web_sessions.h"
#include "web/html.h"
#include "web/trend_chart.h"
#include "web/web_assets.h"

namespace tributary::server::web {
namespace {

using Catch::Matchers::Contains;

// The session as the store holds it.
std::optional<StoredSession> StoredSessionOf(ServerStore& store, const std::string& id_sha256) {
  return store.Read([&](StoreReading& r) { return WebSessions(r.db()).Find(id_sha256); });
}

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
  tributary::testing::TempDir dir;
  FakeClock clock{0};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  SessionBook book(store);
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

TEST_CASE("a session's use is written at most once a minute, and idles out from it", "[web]") {
  tributary::testing::TempDir dir;
  FakeClock clock{0};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  SessionBook book(store);
  Session s = book.Open("hash", 0);
  std::string key = digest::Sha256Hex(s.id);
  CHECK(book.Use(s.id, SessionBook::kTouchMillis - 1));
  CHECK(StoredSessionOf(store, key)->last_used_ms == 0);  // not written
  CHECK(book.Use(s.id, SessionBook::kTouchMillis));
  CHECK(StoredSessionOf(store, key)->last_used_ms == SessionBook::kTouchMillis);
  CHECK(book.Use(s.id, SessionBook::kTouchMillis + SessionBook::kIdleMillis - 1));
  CHECK(StoredSessionOf(store, key)->token_hash == "hash");
}

TEST_CASE("the store keeps no session id, only its SHA-256", "[web]") {
  tributary::testing::TempDir dir;
  FakeClock clock{0};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  SessionBook book(store);
  Session s = book.Open("hash", 0);
  CHECK_FALSE(StoredSessionOf(store, s.id));
  REQUIRE(StoredSessionOf(store, digest::Sha256Hex(s.id)));
  auto db = tributary::testing::OpenTestStore(dir);
  auto ids = db->Prepare("SELECT count(*) FROM web_sessions WHERE id_sha256 = ? OR csrf = ?");
  ids.Bind(1, s.id).Bind(2, s.id);
  REQUIRE(ids.Step());
  CHECK(ids.ColumnInt(0) == 0);
}

TEST_CASE("every instance on one store knows a session, and its end", "[web]") {
  tributary::testing::TempDir dir;
  FakeClock clock{0};
  ServerStore first_store(tributary::testing::TestStore(dir), clock);
  ServerStore second_store(tributary::testing::TestStore(dir), clock);
  SessionBook first(first_store);
  SessionBook second(second_store);
  Session s = first.Open("hash", 0);
  std::optional<Session> there = second.Use(s.id, 10);
  REQUIRE(there);
  CHECK(there->csrf == s.csrf);
  second.End(s.id);  // signing out on one instance
  CHECK_FALSE(first.Use(s.id, 20));
  // A restart (a new book on the store) signs nobody out.
  Session kept = first.Open("hash", 30);
  CHECK(SessionBook(second_store).Use(kept.id, 40));
}

TEST_CASE("the session book makes room by ending the oldest session", "[web]") {
  tributary::testing::TempDir dir;
  FakeClock clock{0};
  ServerStore store(tributary::testing::TestStore(dir), clock);
  SessionBook book(store, 5);
  Session first = book.Open("h", 0);
  for (int i = 1; i < 5; ++i) book.Open("h", 1);
  CHECK(book.size() == 5);
  Session newest = book.Open("h", 2);
  CHECK(book.size() == 5);
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
