#include "daemon/sync_schedule.h"

#include <algorithm>

namespace tributary::agent {

SyncSchedule::SyncSchedule(SyncPolicy policy, std::int64_t now_ms, std::uint64_t seed)
    : policy_(policy), random_(seed), next_regular_ms_(now_ms) {}

void SyncSchedule::OnLocalChange(std::int64_t now_ms) {
  if (!first_change_ms_) first_change_ms_ = now_ms;
  change_due_ms_ =
      std::min(now_ms + policy_.debounce.count(), *first_change_ms_ + policy_.max_delay.count());
}

void SyncSchedule::OnSuccess(std::int64_t now_ms) {
  failures_ = 0;
  backoff_until_ms_.reset();
  first_change_ms_.reset();
  change_due_ms_.reset();
  next_regular_ms_ = now_ms + policy_.interval.count();
}

void SyncSchedule::OnFailure(std::int64_t now_ms, std::optional<std::chrono::seconds> retry_after) {
  ++failures_;
  std::int64_t delay;
  if (retry_after) {
    std::int64_t asked = std::chrono::milliseconds(*retry_after).count();
    delay = Between(asked, asked + asked / 2);
  } else {
    std::int64_t d = policy_.backoff_base.count();
    for (int i = 1; i < failures_ && d < policy_.backoff_cap.count(); ++i) d *= 2;
    d = std::min(d, policy_.backoff_cap.count());
    delay = Between(d / 2, d);
  }
  backoff_until_ms_ = now_ms + delay;
}

std::int64_t SyncSchedule::NextSyncMs() const {
  if (backoff_until_ms_) return *backoff_until_ms_;
  return change_due_ms_ ? std::min(*change_due_ms_, next_regular_ms_) : next_regular_ms_;
}

std::int64_t SyncSchedule::Between(std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
}

}  // namespace tributary::agent
