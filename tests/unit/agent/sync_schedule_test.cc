#include "daemon/sync_schedule.h"

#include <catch2/catch.hpp>
#include <set>

using namespace tributary::agent;
using namespace std::chrono_literals;

namespace {

SyncPolicy Policy() {
  SyncPolicy p;
  p.debounce = 5s;
  p.max_delay = 60s;
  p.interval = 900s;
  p.backoff_base = 2s;
  p.backoff_cap = 600s;
  return p;
}

}  // namespace

TEST_CASE("sync schedule: due at start, then every interval") {
  SyncSchedule s(Policy(), 1'000, 1);
  CHECK(s.NextSyncMs() == 1'000);
  s.OnSuccess(2'000);
  CHECK(s.NextSyncMs() == 2'000 + 900'000);
}

TEST_CASE("sync schedule: a change waits for quiet, but not past the maximum delay") {
  SyncSchedule s(Policy(), 0, 1);
  s.OnSuccess(0);
  s.OnLocalChange(10'000);
  CHECK(s.NextSyncMs() == 15'000);
  s.OnLocalChange(14'000);  // another change moves it on
  CHECK(s.NextSyncMs() == 19'000);
  for (std::int64_t t = 18'000; t <= 80'000; t += 4'000) s.OnLocalChange(t);
  CHECK(s.NextSyncMs() == 70'000);  // the first change was at 10 s
  s.OnSuccess(70'500);
  CHECK(s.NextSyncMs() == 70'500 + 900'000);
  s.OnLocalChange(100'000);  // a new first change
  CHECK(s.NextSyncMs() == 105'000);
}

TEST_CASE("sync schedule: failures back off exponentially within the jitter bounds") {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SyncSchedule s(Policy(), 0, seed);
    std::int64_t now = 0;
    std::int64_t d = 2'000;
    for (int n = 1; n <= 14; ++n) {
      s.OnFailure(now, std::nullopt);
      std::int64_t wait = s.NextSyncMs() - now;
      INFO("seed " << seed << " failure " << n << " wait " << wait);
      CHECK(wait >= d / 2);
      CHECK(wait <= d);
      CHECK(s.consecutive_failures() == n);
      now = s.NextSyncMs();
      d = std::min<std::int64_t>(d * 2, 600'000);
    }
    s.OnSuccess(now);
    CHECK(s.consecutive_failures() == 0);
    CHECK(s.NextSyncMs() == now + 900'000);
  }
}

TEST_CASE("sync schedule: the jitter spreads a herd that failed together") {
  std::set<std::int64_t> waits;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    SyncSchedule s(Policy(), 0, seed);
    for (int n = 0; n < 6; ++n) s.OnFailure(0, std::nullopt);
    waits.insert(s.NextSyncMs());
  }
  CHECK(waits.size() > 90);  // 100 agents, almost all at different times
}

TEST_CASE("sync schedule: Retry-After is honoured, never earlier, and spread") {
  std::set<std::int64_t> waits;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    SyncSchedule s(Policy(), 0, seed);
    s.OnFailure(1'000, std::chrono::seconds(30));
    std::int64_t wait = s.NextSyncMs() - 1'000;
    CHECK(wait >= 30'000);
    CHECK(wait <= 45'000);
    waits.insert(wait);
  }
  CHECK(waits.size() > 40);
}

TEST_CASE("sync schedule: a local change does not cut a backoff short") {
  SyncSchedule s(Policy(), 0, 7);
  s.OnFailure(0, std::chrono::seconds(120));
  std::int64_t backoff = s.NextSyncMs();
  s.OnLocalChange(1'000);
  CHECK(s.NextSyncMs() == backoff);
  s.OnSuccess(backoff);
  // The change was part of that sync.
  CHECK(s.NextSyncMs() == backoff + 900'000);
}
