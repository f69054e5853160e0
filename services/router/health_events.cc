#include "services/router/health_events.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"

namespace agentgate::router {
namespace {

std::string SecondsText(int64_t ms) {
  std::string out = std::to_string(ms <= 0 ? 0 : (ms + 999) / 1000);
  out += "s";
  return out;
}

// "429", "timeout", "connection failed", "stream cut": why, in a word.
std::string Reason(const routing::ProviderHealth& h, const control::v1::Outcome* cause) {
  if (cause != nullptr) {
    if (cause->status() > 0) return std::to_string(cause->status());
    return std::string(routing::FailureName(FailureOf(*cause)));
  }
  return h.last_error;
}

}  // namespace

Availability AvailabilityOf(const routing::ProviderHealth& h, int64_t now_ms) {
  switch (h.BreakerAt(now_ms)) {
    case routing::Breaker::kOpen:
      return Availability::kBreakerOpen;
    case routing::Breaker::kHalfOpen:
      return Availability::kHalfOpen;
    case routing::Breaker::kClosed:
      break;
  }
  return h.CoolingDown(now_ms) ? Availability::kCoolingDown : Availability::kAvailable;
}

std::string AvailabilityDetail(Availability a, const routing::ProviderHealth& h, int64_t now_ms,
                               const control::v1::Outcome* cause) {
  std::string out;
  switch (a) {
    case Availability::kAvailable:
      return "available again";
    case Availability::kHalfOpen:
      return "breaker half-open: the next request is a trial";
    case Availability::kCoolingDown:
      out = "cooling down for ";
      out += SecondsText(h.cooldown_until_ms - now_ms);
      break;
    case Availability::kBreakerOpen:
      out = "breaker open for ";
      out += SecondsText(h.open_until_ms - now_ms);
      out += " after ";
      out += std::to_string(h.consecutive_failures);
      out += h.consecutive_failures == 1 ? " failure" : " failures";
      break;
  }
  if (std::string reason = Reason(h, cause); !reason.empty()) {
    out += " (";
    out += reason;
    out += ")";
  }
  return out;
}

HealthEvents::HealthEvents(HealthState& health, EventHub& hub, Clock clock)
    : health_(health), hub_(hub), clock_(clock ? std::move(clock) : Clock(NowMs)) {}

HealthEvents::HealthEvents(HealthState& health, EventHub& hub)
    : HealthEvents(health, hub, Clock(NowMs)) {}

HealthEvents::~HealthEvents() { Stop(); }

void HealthEvents::Check(const std::string& provider, const control::v1::Outcome* cause) {
  if (provider.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  CheckLocked(provider, cause, clock_());
}

void HealthEvents::Tick() {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_();
  std::vector<std::string> names;
  for (const auto& [name, a] : announced_) names.push_back(name);
  for (const auto& name : names) {
    if (!health_.Find(name)) {  // deleted: nothing to tell
      announced_.erase(name);
      continue;
    }
    CheckLocked(name, nullptr, now);
  }
}

void HealthEvents::CheckLocked(const std::string& provider, const control::v1::Outcome* cause,
                               int64_t now) {
  std::optional<routing::ProviderHealth> h = health_.Find(provider);
  routing::ProviderHealth health = h ? *std::move(h) : routing::ProviderHealth{};
  Availability now_is = AvailabilityOf(health, now);
  auto it = announced_.find(provider);
  Availability was = it == announced_.end() ? Availability::kAvailable : it->second;
  if (now_is == was) return;
  if (now_is == Availability::kAvailable) {
    announced_.erase(it);
  } else {
    announced_[provider] = now_is;
  }
  admin::v1::Event e;
  e.set_kind(admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  e.set_at_ms(now);
  e.set_provider(provider);
  e.set_detail(AvailabilityDetail(now_is, health, now, cause));
  if (now_is != Availability::kAvailable) e.set_error(health.last_error);
  hub_.Publish(std::move(e));
}

void HealthEvents::Start(std::chrono::milliseconds every) {
  if (thread_.joinable()) return;
  thread_ = std::thread([this, every] {
    std::unique_lock<std::mutex> lock(run_mu_);
    while (!run_cv_.wait_for(lock, every, [&] { return stop_; })) {
      lock.unlock();
      Tick();
      lock.lock();
    }
  });
}

void HealthEvents::Stop() {
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    stop_ = true;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace agentgate::router
