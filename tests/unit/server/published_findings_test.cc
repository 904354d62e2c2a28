#include "validation/published_findings.h"

#include <catch2/catch.hpp>

#include "notices/practice_feed.h"
#include "temp_dir.h"
#include "test_store.h"

using namespace tributary;
using namespace tributary::server;

namespace {

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<db::Connection> db = testing::OpenTestStore(dir);
  PublishedFindings findings{*db};

  Fixture() {
    PracticeFeed::CreateSchema(*db);
    PublishedFindings::CreateSchema(*db);
  }

  std::vector<protocol::Notice> Feed(const std::string& practice) {
    return PracticeFeed(*db).Read(practice, 0, 100).notices;
  }
};

FindingsByReturn Over(const std::string& practice) {
  return {{practice, {{"workforce", {"person ab works 1.20 FTE [workforce.fte_over_one]"}}}}};
}

}  // namespace

TEST_CASE("published findings: a practice is told only what changed") {
  Fixture f;
  f.findings.MarkStale("2026-08");
  std::int64_t mark = f.findings.StalePeriods().at("2026-08");
  CHECK(f.findings.Publish("2026-08", Over("T01100"), mark, 1) == 1);
  CHECK(f.findings.StalePeriods().empty());
  auto feed = f.Feed("T01100");
  REQUIRE(feed.size() == 1);
  CHECK(feed[0].kind == "findings");
  CHECK(feed[0].fields.at("period") == "2026-08");
  CHECK(feed[0].fields.at("dataset") == "workforce");
  CHECK(feed[0].fields.at("findings") == "person ab works 1.20 FTE [workforce.fte_over_one]");

  // The same findings again: nothing to tell.
  CHECK(f.findings.Publish("2026-08", Over("T01100"), 0, 2) == 0);
  // Gone: the practice hears they are gone, once.
  CHECK(f.findings.Publish("2026-08", {}, 0, 3) == 1);
  feed = f.Feed("T01100");
  REQUIRE(feed.size() == 2);
  CHECK(feed[1].fields.at("findings").empty());
  CHECK(f.findings.Publish("2026-08", {}, 0, 4) == 0);
  CHECK(f.Feed("T01113").empty());
}

TEST_CASE("published findings: a month marked again while computing stays stale") {
  Fixture f;
  f.findings.MarkStale("2026-08");
  f.findings.MarkStale("2026-09");
  std::int64_t seen = f.findings.StalePeriods().at("2026-08");
  f.findings.MarkStale("2026-08");  // more data arrives meanwhile
  f.findings.Publish("2026-08", Over("T01100"), seen, 1);
  auto stale = f.findings.StalePeriods();
  CHECK(stale.count("2026-08") == 1);
  CHECK(stale.at("2026-08") > seen);
  f.findings.Publish("2026-08", Over("T01100"), stale.at("2026-08"), 2);
  CHECK(f.findings.StalePeriods().count("2026-08") == 0);
  CHECK(f.findings.StalePeriods().count("2026-09") == 1);
}
