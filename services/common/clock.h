// The clock, behind an interface so that code whose behaviour depends on time (cooldowns,
// retries, deadlines, retention) can be given a fake one in tests instead of sleeping.
//
// Thread-safety: SystemClock() is safe from any thread; a Clock implementation must be too.
#pragma once

#include <chrono>
#include <cstdint>

namespace agentgate {

// Wall-clock time, Unix milliseconds.
int64_t NowMs();

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, Unix milliseconds (records, cooldown ends shown to users).
  virtual int64_t NowMs() const = 0;
  // Monotonic time, for deadlines and intervals.
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
};

// The real clocks.
const Clock& SystemClock();

// A clock that moves only when told to. Not thread-safe: for single-threaded unit tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms = 1'700'000'000'000) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }

 private:
  int64_t now_ms_;
};

}  // namespace agentgate
