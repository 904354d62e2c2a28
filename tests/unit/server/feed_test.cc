// GET /v1/feed through the router: record changes and the journal's events
// merged in commit order, pages that join up exactly, the ICS's scope, and
// the refusals.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "feed/feed_page.h"
#include "feed/feed_service.h"
#include "returns_fixture.h"
#include "store/settings.h"
#include "test_store.h"
#include "tributary/common/sqlite.h"

using namespace tributary;
using namespace tributary::server;
using namespace tributary::server::testing;

namespace {

namespace json = boost::json;

// Two ICSs: QT1 as the returns fixture has it, and QT2 with practice T02200.
const std::string kTwoIcs = std::string(kReturnsOrgs) +
                            "QT2,Other ICB,ICS,,2026-01-01,\n"
                            "T2A,Place 2,PLACE,QT2,2026-01-01,\n"
                            "U20020,East PCN,PCN,T2A,2026-01-01,\n"
                            "T02200,D,PRACTICE,U20020,2026-01-01,\n";

struct FeedFixture : ReturnsFixture {
  FeedFixture() : ReturnsFixture(kTwoIcs) {
    EnrolPractice("T02200");
    ListSize("T02200", 7000);
  }

  json::object Page(const std::string& query, const std::string& token = "ian") {
    HttpResponse r = Call(token, "GET", "/v1/feed" + query);
    REQUIRE(r.status == 200);
    return json::parse(r.body).as_object();
  }

  // Every change, asking `limit` at a time.
  json::array All(int limit) {
    json::array out;
    std::string cursor;
    for (;;) {
      json::object page =
          Page("?limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (json::value& c : page.at("changes").as_array()) out.push_back(std::move(c));
      cursor = std::string(page.at("next_cursor").as_string());
      if (!page.at("more").as_bool()) return out;
    }
  }
};

std::string Describe(const json::value& change) {
  const json::object& c = change.as_object();
  std::string kind(c.at("kind").as_string());
  if (kind == "period") {
    return "period " + std::string(c.at("ics").as_string()) + " " +
           std::string(c.at("action").as_string());
  }
  return kind + " " + std::string(c.at("practice").as_string()) +
         (kind == "return" ? " " + std::string(c.at("action").as_string()) : "");
}

}  // namespace

TEST_CASE("feed: a position is CHANGE.EVENT and nothing else") {
  CHECK(FeedPosition::Parse("12.3") == FeedPosition{12, 3});
  CHECK(FeedPosition::Parse("0.0") == FeedPosition{});
  CHECK(FeedPosition{40, 2}.ToString() == "40.2");
  for (const char* bad : {"", "12", "12.", ".3", "-1.2", "1.-2", "+1.2", "a.b", "1.2.3", "1 .2",
                          "1234567890123456789.0"}) {
    INFO(bad);
    CHECK_FALSE(FeedPosition::Parse(bad));
  }
}

TEST_CASE("feed: record changes and the returns' moves come in commit order, the ICS's only") {
  FeedFixture f;
  f.Submit("T01113");
  json::array all = f.All(1000);
  std::vector<std::string> seen;
  for (const json::value& c : all) seen.push_back(Describe(c));
  // Each push: its record, then its return's new revision; T02200 is QT2's.
  CHECK(seen == std::vector<std::string>{"record T01100", "return T01100 change", "record T01113",
                                         "return T01113 change", "record T01126",
                                         "return T01126 change", "return T01113 submit"});
  const json::object& record = all.at(0).as_object();
  CHECK(record.at("operation") == "upsert");
  CHECK(record.at("source") == "practice");
  CHECK(record.at("period") == "2026-08");
  CHECK(record.at("fields").at("patients") == "5000");
  CHECK(all.at(1).at("to_state") == "open");
  CHECK(all.at(1).at("upserts") == 1);
  CHECK(all.at(6).at("to_state") == "submitted");
}

TEST_CASE("feed: pages of any size join up to exactly the whole feed") {
  FeedFixture f;
  f.Appointments("T01100", 9);
  f.Submit("T01100");
  json::array whole = f.All(1000);
  for (int limit : {1, 2, 3, 5}) {
    INFO("limit " << limit);
    CHECK(f.All(limit) == whole);
  }
  // From a change's own cursor, the feed goes on just after it.
  json::object rest = f.Page("?cursor=" + std::string(whole.at(2).at("cursor").as_string()));
  json::array expected(whole.begin() + 3, whole.end());
  CHECK(rest.at("changes").as_array() == expected);
  CHECK(rest.at("more") == false);
  // At the end: nothing, and the same cursor.
  std::string last(whole.back().at("cursor").as_string());
  json::object end = f.Page("?cursor=" + last);
  CHECK(end.at("changes").as_array().empty());
  CHECK(end.at("next_cursor").as_string() == last);
}

TEST_CASE("feed: closing and publishing a month are events of their ICS, after what came before") {
  FeedFixture f;
  std::string cursor(f.Page("").at("next_cursor").as_string());
  REQUIRE(f.Call("ivy", "POST", "/v1/periods/close", R"({"period":"2026-08"})").status == 200);
  REQUIRE(f.Call("ivy", "POST", "/v1/periods/publish", R"({"period":"2026-08"})").status == 200);
  json::array after = f.Page("?cursor=" + cursor).at("changes").as_array();
  REQUIRE(after.size() == 2);
  CHECK(after.at(0).at("action") == "close");
  CHECK(after.at(0).at("state") == "closed");
  CHECK(after.at(0).at("version").is_null());
  CHECK(after.at(1).at("action") == "publish");
  CHECK(after.at(1).at("version") == 1);
  CHECK(after.at(1).at("ics") == "QT1");
  // A central correction after them is a record change, from the centre.
  HttpResponse records =
      f.Call("ivy", "GET", "/v1/records?practice=T01100&dataset=list_size&period=2026-08");
  json::object held = json::parse(records.body).at("records").at(0).as_object();
  std::string fields = R"({"extract_date":"2026-08-01","patients":"5100","practice":"T01100"})";
  REQUIRE(f.Call("ivy", "POST", "/v1/records/correct",
                 R"({"practice":"T01100","dataset":"list_size","fields":)" + fields +
                     R"(,"base_version":)" +
                     std::to_string(held.at("version").to_number<std::uint64_t>()) + "}")
              .status == 200);
  json::array later = f.Page("?cursor=" + std::string(after.back().at("cursor").as_string()))
                          .at("changes")
                          .as_array();
  REQUIRE_FALSE(later.empty());
  CHECK(later.at(0).at("kind") == "record");
  CHECK(later.at(0).at("source") == "central");
  CHECK(later.at(0).at("fields").at("patients") == "5100");
}

TEST_CASE("feed: NDJSON gives the same changes a line each, the cursor in Next-Cursor") {
  FeedFixture f;
  json::object page = f.Page("?limit=4");
  HttpResponse r = f.Call("ian", "GET", "/v1/feed?limit=4&format=ndjson");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/x-ndjson");
  json::array lines;
  std::size_t start = 0;
  while (start < r.body.size()) {
    std::size_t end = r.body.find('\n', start);
    lines.push_back(json::parse(r.body.substr(start, end - start)));
    start = end + 1;
  }
  CHECK(lines == page.at("changes").as_array());
  bool header = false;
  for (const auto& [name, value] : r.headers) {
    header |= name == "Next-Cursor" && value == page.at("next_cursor").as_string();
  }
  CHECK(header);
}

TEST_CASE("feed: refused for roles below the ICS, and for a bad cursor, limit or format") {
  FeedFixture f;
  CHECK(ErrorCodeOf(f.Call("pat", "GET", "/v1/feed")) == "forbidden");
  CHECK(ErrorCodeOf(f.Call("", "GET", "/v1/feed")) == "unauthorized");
  for (const char* query : {"?cursor=5", "?cursor=x.y", "?limit=0", "?limit=10001", "?limit=ten",
                            "?format=csv", "?after=1"}) {
    INFO(query);
    CHECK(ErrorCodeOf(f.Call("ian", "GET", std::string("/v1/feed") + query)) == "invalid_argument");
  }
}

TEST_CASE("feed: a cursor past the end of the feed is refused, not taken as caught up") {
  FeedFixture f;
  std::string end(f.Page("").at("next_cursor").as_string());
  FeedPosition past = *FeedPosition::Parse(end);
  CHECK(ErrorCodeOf(
            f.Call("ian", "GET",
                   "/v1/feed?cursor=" + FeedPosition{past.change + 1, past.event}.ToString())) ==
        "conflict");
  CHECK(ErrorCodeOf(
            f.Call("ian", "GET",
                   "/v1/feed?cursor=" + FeedPosition{past.change, past.event + 1}.ToString())) ==
        "conflict");
  CHECK(f.Call("ian", "GET", "/v1/feed?cursor=" + end).status == 200);
}

TEST_CASE("feed: a store of schema 4 has its returns' and months' moves journalled on upgrade",
          "[sqlite]") {
  FeedFixture f;
  f.Submit("T01100");
  REQUIRE(f.Call("ivy", "POST", "/v1/periods/close", R"({"period":"2026-08"})").status == 200);
  REQUIRE(f.Call("ivy", "POST", "/v1/periods/publish", R"({"period":"2026-08"})").status == 200);
  // The events as the journal wrote them, without their positions.
  auto events_of = [](json::array changes) {
    json::array events;
    for (json::value& c : changes) {
      if (c.at("kind") == "record") continue;
      c.as_object().erase("cursor");
      events.push_back(std::move(c));
    }
    return events;
  };
  json::array before = events_of(f.All(1000));
  REQUIRE(before.size() >= 6);
  {
    sqlite::Database db = sqlite::Database::Open(f.dir.path() / "server.db");
    db.Exec("DELETE FROM feed_events");
    db.Exec("UPDATE settings SET value = '4' WHERE key = 'schema_version'");
  }
  ServerStore upgraded(tributary::testing::TestStore(f.dir), f.clock);
  CHECK(Settings(upgraded).Get("schema_version") == "8");
  FeedPage page = FeedService(upgraded).Read(
      {}, 1000, [](const std::string& practice, const std::string& ics, const std::string&) {
        return practice != "T02200" && ics != "QT2";
      });
  json::array after;
  for (json::object& c : page.changes) after.push_back(std::move(c));
  after = events_of(std::move(after));
  // The same events, in the same order (the close and the publication of the
  // month are its latest close and its one version).
  CHECK(after == before);
}
