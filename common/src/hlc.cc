#include "tributary/common/hlc.h"

#include <chrono>

namespace tributary {

std::int64_t SystemClock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HlcTimestamp HybridLogicalClock::Now() {
  std::lock_guard lock(mutex_);
  HlcTimestamp wall = Make(clock_.NowMillis(), 0);
  // When the wall clock has not passed the last timestamp (same millisecond,
  // or it stepped back) the logical counter carries the order; it overflows
  // into the millisecond field, which keeps timestamps strictly increasing.
  last_ = wall > last_ ? wall : last_ + 1;
  return last_;
}

void HybridLogicalClock::Observe(HlcTimestamp remote) {
  std::lock_guard lock(mutex_);
  if (remote > last_) last_ = remote;
}

}  // namespace tributary
