#include "tributary/common/dates.h"

#include <catch2/catch.hpp>

using namespace tributary;

TEST_CASE("dates: ISO and NHS-style dates parse to the same day") {
  auto iso = ParseDate("2026-08-03");
  auto nhs = ParseDate("03AUG2026");
  REQUIRE(iso);
  REQUIRE(nhs);
  CHECK(*iso == *nhs);
  CHECK(iso->ToString() == "2026-08-03");
}

TEST_CASE("dates: impossible or malformed dates are refused") {
  CHECK_FALSE(ParseDate("2026-02-29"));
  CHECK(ParseDate("2028-02-29"));
  CHECK_FALSE(ParseDate("2026-13-01"));
  CHECK_FALSE(ParseDate("2026-8-3"));
  CHECK_FALSE(ParseDate("03Aug2026"));
  CHECK_FALSE(ParseDate("32AUG2026"));
  CHECK_FALSE(ParseDate(""));
  CHECK_FALSE(ParseDate("2026-08-0x"));
}

TEST_CASE("dates: periods are YYYY-MM months") {
  auto p = ParsePeriod("2026-08");
  REQUIRE(p);
  CHECK(p->ToString() == "2026-08");
  CHECK(p->LastDay().day == 31);
  CHECK(p->Contains(Date{2026, 8, 31}));
  CHECK_FALSE(p->Contains(Date{2026, 9, 1}));
  CHECK_FALSE(ParsePeriod("2026-00"));
  CHECK_FALSE(ParsePeriod("2026-8"));
  CHECK_FALSE(ParsePeriod("202608"));
}
