// When the daemon syncs next. Pure logic on an injected time, so every rule
// below is tested without waiting. Its states (docs/design.md draws the same):
//
//                    local change               quiet for `debounce`, or
//   ┌────────────┐ ──────────────▶ ┌─────────┐  `max_delay` after the first
//   │ waiting    │                 │ changes │ ───────────────────────┐
//   │ `interval` │ ◀─── success ── │ pending │                        ▼
//   └────────────┘                 └─────────┘                    ┌──────┐
//         │  every `interval`                                     │ sync │
//         └─────────────────────────────────────────────────────▶ └──────┘
//               ┌──────────────────────┐ ◀────── failure ──────────┘  │
//               │ backing off (below)  │ ── due ──▶ sync              │
//               └──────────────────────┘          success ─▶ waiting ─┘
//
//   - after a local change, once changes have been quiet for `debounce`, but
//     never later than `max_delay` after the first unsent change;
//   - otherwise every `interval`, to hear what the server has to say;
//   - after a failure, exponential backoff with jitter: the n-th failure in a
//     row waits a random time in [d/2, d], d = min(cap, base * 2^(n-1)), so a
//     herd of agents that failed together does not return together;
//   - when the server said Retry-After r, a random time in [r, 1.5 r]: never
//     earlier than asked, and spread out;
//   - a local change never cuts a backoff short.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace tributary::agent {

struct SyncPolicy {
  std::chrono::milliseconds debounce{std::chrono::seconds(5)};
  std::chrono::milliseconds max_delay{std::chrono::seconds(60)};
  std::chrono::milliseconds interval{std::chrono::minutes(15)};
  std::chrono::milliseconds backoff_base{std::chrono::seconds(2)};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(10)};
};

class SyncSchedule {
 public:
  // `now_ms`: a sync is due at once (the daemon syncs when it starts).
  SyncSchedule(SyncPolicy policy, std::int64_t now_ms, std::uint64_t seed);

  void OnLocalChange(std::int64_t now_ms);
  void OnSuccess(std::int64_t now_ms);
  void OnFailure(std::int64_t now_ms, std::optional<std::chrono::seconds> retry_after);

  // When the next sync is due (may be in the past: due now).
  std::int64_t NextSyncMs() const;
  int consecutive_failures() const { return failures_; }

 private:
  std::int64_t Between(std::int64_t low, std::int64_t high);

  SyncPolicy policy_;
  std::mt19937_64 random_;
  std::int64_t next_regular_ms_;
  std::optional<std::int64_t> first_change_ms_;  // oldest change not yet synced
  std::optional<std::int64_t> change_due_ms_;
  std::optional<std::int64_t> backoff_until_ms_;
  int failures_ = 0;
};

}  // namespace tributary::agent
