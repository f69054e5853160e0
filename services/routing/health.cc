#include "services/routing/health.h"

#include <algorithm>

namespace agentgate::routing {
namespace {

// A trial attempt whose outcome never came back (a crashed worker) stops blocking after this.
constexpr int64_t kProbeExpiryMs = 60'000;

std::string Seconds(int64_t ms) { return std::to_string((ms + 999) / 1000) + " s"; }

int64_t Doubled(int64_t base, int times, int64_t cap) {
  int64_t v = base;
  for (int i = 1; i < times && v < cap; ++i) v *= 2;
  return std::min(v, cap);
}

}  // namespace

std::string_view BreakerName(Breaker b) {
  switch (b) {
    case Breaker::kClosed:
      return "closed";
    case Breaker::kOpen:
      return "open";
    case Breaker::kHalfOpen:
      return "half-open";
  }
  return "closed";
}

Failure FailureFromStatus(int status) {
  if (status < 400) return Failure::kNone;
  if (status == 429) return Failure::kRateLimited;
  if (status == 402) return Failure::kPayment;
  if (status == 401 || status == 403) return Failure::kAuth;
  if (status == 404) return Failure::kNotFound;
  if (status == 408) return Failure::kTimeout;
  if (status >= 500) return Failure::kServer;
  return Failure::kRequest;
}

bool MovesOn(Failure f) { return f != Failure::kNone && f != Failure::kRequest; }

std::string_view FailureName(Failure f) {
  switch (f) {
    case Failure::kNone:
      return "ok";
    case Failure::kRateLimited:
      return "rate limited";
    case Failure::kPayment:
      return "payment required";
    case Failure::kAuth:
      return "key refused";
    case Failure::kNotFound:
      return "not found";
    case Failure::kServer:
      return "server error";
    case Failure::kTimeout:
      return "timeout";
    case Failure::kConnect:
      return "connection failed";
    case Failure::kStreamCut:
      return "stream cut";
    case Failure::kRequest:
      return "request refused";
  }
  return "ok";
}

Breaker ProviderHealth::BreakerAt(int64_t now_ms) const {
  if (breaker == Breaker::kOpen && now_ms >= open_until_ms) return Breaker::kHalfOpen;
  return breaker;
}

std::string Unavailable(const ProviderHealth& h, int64_t now_ms) {
  switch (h.BreakerAt(now_ms)) {
    case Breaker::kOpen:
      return "circuit open after " + std::to_string(h.consecutive_failures) +
             " failures (last: " + h.last_error + "); half-open in " +
             Seconds(h.open_until_ms - now_ms);
    case Breaker::kHalfOpen:
      if (h.probe_since_ms != 0 && now_ms - h.probe_since_ms < kProbeExpiryMs) {
        return "half-open: a trial request is under way";
      }
      return "";
    case Breaker::kClosed:
      break;
  }
  if (h.CoolingDown(now_ms)) {
    std::string why = h.retry_after_ms > 0
                          ? "Retry-After " + Seconds(h.retry_after_ms)
                          : std::to_string(h.consecutive_failures) +
                                (h.consecutive_failures == 1 ? " failure" : " failures");
    return "cooling down for " + Seconds(h.cooldown_until_ms - now_ms) + " (" + why +
           (h.last_error.empty() ? "" : ": " + h.last_error) + ")";
  }
  return "";
}

int PickKey(const ProviderHealth& h, int key_count, uint64_t* cursor, int64_t now_ms) {
  if (key_count <= 0) return 0;
  for (int i = 0; i < key_count; ++i) {
    int k =
        static_cast<int>((*cursor + static_cast<uint64_t>(i)) % static_cast<uint64_t>(key_count));
    auto it = h.keys.find(k);
    if (it == h.keys.end() || now_ms >= it->second.cooldown_until_ms) {
      *cursor = static_cast<uint64_t>(k) + 1;
      return k;
    }
  }
  return -1;
}

int PickAccountKey(const ProviderHealth& h, const std::vector<int64_t>& avoid_until_ms,
                   int key_count, int64_t now_ms) {
  int fallback = -1;
  for (int k = 0; k < key_count; ++k) {
    auto it = h.keys.find(k);
    if (it != h.keys.end() && now_ms < it->second.cooldown_until_ms) continue;  // resting
    const bool avoided = static_cast<size_t>(k) < avoid_until_ms.size() &&
                         now_ms < avoid_until_ms[static_cast<size_t>(k)];
    if (!avoided) return k;
    if (fallback < 0) fallback = k;
  }
  return fallback;
}

int64_t RetryDelayMs(const RetryPolicy& p, Failure f, int retry, int64_t retry_after_ms,
                     double jitter, int64_t time_left_ms) {
  // Not a timeout: the provider already had the whole timeout to answer.
  bool transient = f == Failure::kServer || f == Failure::kConnect || f == Failure::kRateLimited;
  if (!transient || retry >= p.same_provider_retries) return -1;
  int64_t wait;
  if (retry_after_ms > 0) {
    if (retry_after_ms > p.max_retry_after_ms) return -1;
    wait = retry_after_ms;
  } else {
    int64_t full = Doubled(p.base_backoff_ms, retry + 1, p.max_backoff_ms);
    wait = full - static_cast<int64_t>(static_cast<double>(full) * 0.5 * jitter);
  }
  return wait < time_left_ms ? wait : -1;
}

bool HealthBoard::Record(std::string_view provider, Failure f, int key, int key_count,
                         int64_t retry_after_ms, int64_t now_ms, std::string_view error) {
  auto it = health_.find(provider);
  if (!MovesOn(f)) {  // an answer: the provider works
    if (it == health_.end()) return false;
    ProviderHealth& h = it->second;
    bool changed = h.breaker != Breaker::kClosed || h.CoolingDown(now_ms) || h.probe_since_ms != 0;
    h.breaker = Breaker::kClosed;
    h.consecutive_failures = 0;
    h.opens = 0;
    h.cooldown_until_ms = 0;
    h.open_until_ms = 0;
    h.retry_after_ms = 0;
    h.probe_since_ms = 0;
    h.last_success_at_ms = now_ms;
    if (key >= 0) changed |= h.keys.erase(key) > 0;
    return changed;
  }
  if (it == health_.end()) it = health_.emplace(std::string(provider), ProviderHealth{}).first;
  ProviderHealth& h = it->second;
  std::string err(error.empty() ? FailureName(f) : error);

  // A key's own trouble: that key rests, and the provider only when no other key is left.
  if ((f == Failure::kRateLimited || f == Failure::kAuth) && key >= 0 && key_count > 1) {
    KeyHealth& k = h.keys[key];
    k.failures++;
    k.last_error = err;
    k.cooldown_until_ms = now_ms + (retry_after_ms > 0 ? retry_after_ms : policy_.key_cooldown_ms);
    bool other_key_left = false;
    for (int i = 0; i < key_count; ++i) {
      auto kit = h.keys.find(i);
      if (kit == h.keys.end() || now_ms >= kit->second.cooldown_until_ms) other_key_left = true;
    }
    if (other_key_left) {
      h.probe_since_ms = 0;
      return true;
    }
  }

  Breaker before = h.BreakerAt(now_ms);
  h.consecutive_failures++;
  h.last_failure_at_ms = now_ms;
  h.last_error = err;
  h.retry_after_ms = retry_after_ms;
  h.probe_since_ms = 0;
  int64_t cooldown = retry_after_ms > 0 ? retry_after_ms
                                        : Doubled(policy_.first_cooldown_ms, h.consecutive_failures,
                                                  policy_.max_cooldown_ms);
  h.cooldown_until_ms = std::max(h.cooldown_until_ms, now_ms + cooldown);
  if (before == Breaker::kHalfOpen ||
      (before == Breaker::kClosed && h.consecutive_failures >= policy_.failures_to_open)) {
    h.opens++;
    h.breaker = Breaker::kOpen;
    int64_t open_for = Doubled(policy_.open_for_ms, h.opens, policy_.max_open_ms);
    h.open_until_ms = now_ms + std::max(open_for, retry_after_ms);
  }
  return true;
}

std::string HealthBoard::Admit(std::string_view provider, int64_t now_ms) {
  auto it = health_.find(provider);
  if (it == health_.end()) return "";
  ProviderHealth& h = it->second;
  std::string why = Unavailable(h, now_ms);
  if (!why.empty()) return why;
  if (h.BreakerAt(now_ms) == Breaker::kHalfOpen) h.probe_since_ms = now_ms;
  return "";
}

const ProviderHealth* HealthBoard::Find(std::string_view provider) const {
  auto it = health_.find(provider);
  return it == health_.end() ? nullptr : &it->second;
}

void HealthBoard::Merge(std::string_view provider, const ProviderHealth& other) {
  auto it = health_.find(provider);
  if (it != health_.end() && other.reset_at_ms > it->second.reset_at_ms) {
    it->second = ProviderHealth{};
    it->second.reset_at_ms = other.reset_at_ms;
  }
  // Nothing newer than this board's own last success: the router has not heard of it yet.
  if (it != health_.end() && other.last_failure_at_ms <= it->second.last_success_at_ms) return;
  if (it == health_.end()) {
    if (other.breaker == Breaker::kClosed && other.cooldown_until_ms == 0 && other.keys.empty()) {
      // Nothing to learn but an operator's reset: remembered, so that the next merge does not
      // take it for a new one and wipe what this board learnt since.
      if (other.reset_at_ms > 0) {
        health_.emplace(std::string(provider), ProviderHealth{}).first->second.reset_at_ms =
            other.reset_at_ms;
      }
      return;
    }
    it = health_.emplace(std::string(provider), ProviderHealth{}).first;
    it->second.reset_at_ms = other.reset_at_ms;
  }
  ProviderHealth& h = it->second;
  if (other.cooldown_until_ms > h.cooldown_until_ms) {
    h.cooldown_until_ms = other.cooldown_until_ms;
    h.retry_after_ms = other.retry_after_ms;
  }
  if (other.breaker == Breaker::kOpen && other.open_until_ms > h.open_until_ms) {
    h.breaker = Breaker::kOpen;
    h.open_until_ms = other.open_until_ms;
    h.opens = std::max(h.opens, other.opens);
  }
  h.consecutive_failures = std::max(h.consecutive_failures, other.consecutive_failures);
  if (other.last_failure_at_ms > h.last_failure_at_ms) {
    h.last_failure_at_ms = other.last_failure_at_ms;
    h.last_error = other.last_error;
  }
  for (const auto& [index, k] : other.keys) {
    KeyHealth& mine = h.keys[index];
    if (k.cooldown_until_ms > mine.cooldown_until_ms) mine = k;
  }
}

void HealthBoard::Retain(const std::vector<std::string>& names) {
  for (auto it = health_.begin(); it != health_.end();) {
    if (std::find(names.begin(), names.end(), it->first) == names.end()) {
      it = health_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace agentgate::routing
