// HealthEvents: PROVIDER_HEALTH events on the EventHub whenever a provider's availability on the
// router's health board changes: it starts cooling down, its breaker opens or turns half-open, or
// it is available again. A change an outcome report causes is announced as the report is folded
// in (Check, from ControlServiceImpl::ReportOutcomes); one that only takes time (a cooldown
// running out, an open breaker turning half-open) or an operator's reset is found by Tick, which
// Start runs once a second on a thread of its own.
//
// Only changes of availability make events (available, cooling down, breaker open, half-open):
// another failure while a provider already cools down does not, nor does a 429 on one key of a
// pool while another key is left.
//
// Thread-safety: every method may be called from any thread. Lock order: this watcher's mutex,
// then HealthState's, then EventHub's.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/router/event_hub.h"
#include "services/router/health_state.h"
#include "services/routing/health.h"

namespace agentgate::router {

// A provider's availability as the events tell it.
enum class Availability { kAvailable, kCoolingDown, kBreakerOpen, kHalfOpen };
Availability AvailabilityOf(const routing::ProviderHealth& h, int64_t now_ms);
// "available again", "cooling down for 30s (429)", "breaker open for 30s after 3 failures
// (500)", "breaker half-open: the next request is a trial". `cause`: the outcome that made the
// change (nullptr: none known), for the reason in brackets.
std::string AvailabilityDetail(Availability a, const routing::ProviderHealth& h, int64_t now_ms,
                               const control::v1::Outcome* cause);

class HealthEvents {
 public:
  using Clock = std::function<int64_t()>;  // Unix ms

  HealthEvents(HealthState& health, EventHub& hub, Clock clock);
  HealthEvents(HealthState& health, EventHub& hub);  // the system clock
  ~HealthEvents();                                   // Stop()

  // After `provider`'s health may have changed: an event when its availability differs from
  // the one last announced (a provider never announced counts as available).
  void Check(const std::string& provider, const control::v1::Outcome* cause = nullptr);
  // Checks every provider last announced as not available; forgets deleted ones.
  void Tick();

  // Runs Tick every `every` on a thread until Stop.
  void Start(std::chrono::milliseconds every = std::chrono::seconds(1));
  void Stop();

 private:
  void CheckLocked(const std::string& provider, const control::v1::Outcome* cause, int64_t now)
      /* REQUIRES mu_ */;

  HealthState& health_;
  EventHub& hub_;
  const Clock clock_;

  std::mutex mu_;
  // Providers last announced as not available (absent: available).
  std::map<std::string, Availability> announced_ ABSL_GUARDED_BY(mu_);

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_ ABSL_GUARDED_BY(run_mu_) = false;
  std::thread thread_;
};

}  // namespace agentgate::router
