#include "services/router/health_state.h"

#include "services/common/clock.h"
#include "services/common/grpc_util.h"

namespace agentgate::router {

routing::Failure FailureOf(const control::v1::Outcome& o) {
  switch (o.kind()) {
    case control::v1::OUTCOME_KIND_SUCCESS:
      return routing::Failure::kNone;
    case control::v1::OUTCOME_KIND_HTTP_ERROR:
      return routing::FailureFromStatus(o.status());
    case control::v1::OUTCOME_KIND_CONNECT_ERROR:
      return routing::Failure::kConnect;
    case control::v1::OUTCOME_KIND_TIMEOUT:
      return routing::Failure::kTimeout;
    case control::v1::OUTCOME_KIND_STREAM_CUT:
      return routing::Failure::kStreamCut;
    default:
      // An edge newer than this router: judge by the status when there is one.
      return o.status() >= 400 ? routing::FailureFromStatus(o.status()) : routing::Failure::kNone;
  }
}

admin::v1::ProviderStatus StatusFromHealth(const routing::ProviderHealth& h, bool enabled,
                                           const std::vector<std::string>* keys_masked,
                                           int64_t now_ms) {
  admin::v1::ProviderStatus s;
  routing::Breaker breaker = h.BreakerAt(now_ms);
  std::string why = routing::Unavailable(h, now_ms);
  if (!enabled) {
    s.set_state("disabled");
  } else if (breaker == routing::Breaker::kOpen) {
    s.set_state("circuit open");
  } else if (breaker == routing::Breaker::kHalfOpen) {
    s.set_state("half-open");
  } else if (h.CoolingDown(now_ms)) {
    s.set_state("cooling down");
  } else {
    s.set_state("healthy");
  }
  s.set_detail(enabled ? why : "disabled by the operator");
  s.set_breaker(std::string(routing::BreakerName(breaker)));
  s.set_consecutive_failures(h.consecutive_failures);
  s.set_opens(h.opens);
  s.set_cooldown_until_ms(h.cooldown_until_ms);
  s.set_retry_after_ms(h.retry_after_ms);
  s.set_open_until_ms(h.open_until_ms);
  s.set_last_error(h.last_error);
  s.set_last_failure_at_ms(h.last_failure_at_ms);
  s.set_last_success_at_ms(h.last_success_at_ms);
  s.set_reset_at_ms(h.reset_at_ms);
  auto add_key = [&](int index, const routing::KeyHealth* k) {
    admin::v1::KeyStatus* ks = s.add_keys();
    ks->set_index(index);
    if (keys_masked != nullptr) ks->set_masked((*keys_masked)[static_cast<size_t>(index)]);
    if (k == nullptr) return;
    if (k->cooldown_until_ms > now_ms) ks->set_cooldown_until_ms(k->cooldown_until_ms);
    ks->set_failures(k->failures);
    ks->set_last_error(k->last_error);
  };
  if (keys_masked != nullptr) {
    for (size_t i = 0; i < keys_masked->size(); ++i) {
      auto it = h.keys.find(static_cast<int>(i));
      add_key(static_cast<int>(i), it == h.keys.end() ? nullptr : &it->second);
    }
  } else {
    for (const auto& [index, k] : h.keys) add_key(index, &k);
  }
  return s;
}

bool HealthState::Record(const control::v1::Outcome& o, int64_t now_ms) {
  if (o.provider().empty()) return false;
  int64_t at = o.at_ms() > 0 ? o.at_ms() : now_ms;
  std::lock_guard<std::mutex> lock(mu_);
  return board_.Record(o.provider(), FailureOf(o), o.key_index(), o.key_count(), o.retry_after_ms(),
                       at, o.error());
}

void HealthState::Reset(std::string_view provider) {
  std::lock_guard<std::mutex> lock(mu_);
  board_.Reset(provider, NowMs());
}

void HealthState::Retain(const std::vector<std::string>& names) {
  std::lock_guard<std::mutex> lock(mu_);
  board_.Retain(names);
}

routing::ProviderHealth HealthState::Get(std::string_view provider) const {
  std::lock_guard<std::mutex> lock(mu_);
  const routing::ProviderHealth* h = board_.Find(provider);
  return h == nullptr ? routing::ProviderHealth{} : *h;
}

std::optional<routing::ProviderHealth> HealthState::Find(std::string_view provider) const {
  std::lock_guard<std::mutex> lock(mu_);
  const routing::ProviderHealth* h = board_.Find(provider);
  if (h == nullptr) return std::nullopt;
  return *h;
}

}  // namespace agentgate::router
