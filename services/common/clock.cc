#include "services/common/clock.h"

namespace agentgate {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

class RealClock final : public Clock {
 public:
  int64_t NowMs() const override { return agentgate::NowMs(); }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::now();
  }
};

}  // namespace

const Clock& SystemClock() {
  static const RealClock* clock = new RealClock();  // never destroyed: usable at exit
  return *clock;
}

}  // namespace agentgate
