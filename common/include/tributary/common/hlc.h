// Clocks. Time is injected everywhere so tests use FakeClock, never sleep.
//
// A hybrid logical clock (HLC) timestamp packs wall-clock milliseconds in the
// high 48 bits and a logical counter in the low 16: it orders every change an
// agent makes even if the wall clock steps backwards, and stays close to real
// time so versions are meaningful to people.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace tributary {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMillis() const override;
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_millis) : now_(start_millis) {}
  std::int64_t NowMillis() const override { return now_.load(); }
  void Advance(std::int64_t millis) { now_ += millis; }
  void Set(std::int64_t millis) { now_ = millis; }

 private:
  std::atomic<std::int64_t> now_;
};

using HlcTimestamp = std::uint64_t;

// Thread-safe. `clock` must outlive the HybridLogicalClock.
class HybridLogicalClock {
 public:
  explicit HybridLogicalClock(const Clock& clock, HlcTimestamp last = 0)
      : clock_(clock), last_(last) {}

  // A timestamp greater than every one issued or observed before.
  HlcTimestamp Now();

  // Merges a timestamp seen from elsewhere so later Now() values exceed it.
  void Observe(HlcTimestamp remote);

  static std::int64_t PhysicalMillis(HlcTimestamp t) { return static_cast<std::int64_t>(t >> 16); }
  static std::uint16_t Logical(HlcTimestamp t) { return static_cast<std::uint16_t>(t & 0xFFFF); }
  static HlcTimestamp Make(std::int64_t millis, std::uint16_t logical) {
    return (static_cast<HlcTimestamp>(millis) << 16) | logical;
  }

 private:
  const Clock& clock_;
  std::mutex mutex_;
  HlcTimestamp last_;
};

}  // namespace tributary
