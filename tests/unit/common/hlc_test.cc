#include "tributary/common/hlc.h"

#include <catch2/catch.hpp>

using namespace tributary;

TEST_CASE("hlc: timestamps strictly increase within one millisecond") {
  FakeClock clock(1'000'000);
  HybridLogicalClock hlc(clock);
  HlcTimestamp a = hlc.Now();
  HlcTimestamp b = hlc.Now();
  CHECK(b > a);
  CHECK(HybridLogicalClock::PhysicalMillis(a) == 1'000'000);
  CHECK(HybridLogicalClock::Logical(b) == 1);
}

TEST_CASE("hlc: a wall clock stepping back does not reorder timestamps") {
  FakeClock clock(2'000'000);
  HybridLogicalClock hlc(clock);
  HlcTimestamp before = hlc.Now();
  clock.Set(1'000'000);
  CHECK(hlc.Now() > before);
}

TEST_CASE("hlc: observing a later remote timestamp moves the clock past it") {
  FakeClock clock(1'000);
  HybridLogicalClock hlc(clock);
  HlcTimestamp remote = HybridLogicalClock::Make(5'000, 7);
  hlc.Observe(remote);
  CHECK(hlc.Now() > remote);
}

TEST_CASE("hlc: the physical part follows the wall clock when it moves on") {
  FakeClock clock(1'000);
  HybridLogicalClock hlc(clock);
  hlc.Now();
  clock.Advance(10);
  HlcTimestamp t = hlc.Now();
  CHECK(HybridLogicalClock::PhysicalMillis(t) == 1'010);
  CHECK(HybridLogicalClock::Logical(t) == 0);
}
