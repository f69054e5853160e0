#include "services/edge/forwarder.h"

#include <random>

#include "services/common/log.h"

namespace agentgate::edge {
namespace {

namespace asio = net::asio;

asio::awaitable<void> TimerSleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

double RandomJitter() {
  thread_local std::minstd_rand rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

bool KeyFailure(routing::Failure f) {
  return f == routing::Failure::kRateLimited || f == routing::Failure::kAuth;
}

}  // namespace

routing::Failure FailureOf(const Attempt& a) {
  switch (a.kind) {
    case control::v1::OUTCOME_KIND_SUCCESS:
      return routing::Failure::kNone;
    case control::v1::OUTCOME_KIND_HTTP_ERROR:
      return routing::FailureFromStatus(a.status);
    case control::v1::OUTCOME_KIND_TIMEOUT:
      return routing::Failure::kTimeout;
    case control::v1::OUTCOME_KIND_STREAM_CUT:
      return routing::Failure::kStreamCut;
    default:
      return routing::Failure::kConnect;
  }
}

Forwarder::Forwarder(routing::RetryPolicy retry, routing::HealthPolicy health, const Clock& clock,
                     SleepFn sleep, std::function<double()> jitter)
    : retry_(retry),
      clock_(clock),
      sleep_(sleep ? std::move(sleep) : SleepFn(TimerSleep)),
      jitter_(jitter ? std::move(jitter) : std::function<double()>(RandomJitter)),
      health_(health) {}

asio::awaitable<Forwarder::Result> Forwarder::Run(const std::vector<routing::Candidate>& candidates,
                                                  std::chrono::steady_clock::time_point deadline,
                                                  const Hooks& hooks) {
  Result r;
  // A stream cut mid-answer and continued elsewhere starts the time budget again: the answer
  // may have streamed for longer than the whole budget before it was cut.
  auto until = deadline;
  auto time_left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(until - clock_.Steady()).count();
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    const routing::Candidate& cand = candidates[i];
    const routing::ProviderEntry& p = *cand.provider;
    const bool more_providers = i + 1 < candidates.size();
    if (hooks.prepare) {
      if (absl::Status st = hooks.prepare(cand); !st.ok()) {
        r.bad_request = st;
        co_return r;
      }
    }
    // Another request may have failed it since the plan was made (or taken its half-open
    // trial): then it is passed over, unless nothing healthy was left when planning.
    if (!cand.despite_health) {
      if (std::string why = Admit(p.name); !why.empty()) {
        r.passed_over += (r.passed_over.empty() ? "" : "; ") + p.name + ": " + why;
        continue;
      }
    }
    const int key_count = static_cast<int>(p.keys.size());
    int retries = 0, key_switches = 0;
    // Whether another attempt may follow a failure `f` of this one; if not, the provider's own
    // error goes to the client as it is.
    // A cut stream the client still reads (asked only when it can be continued) gets a fresh
    // time budget, and is retried on the last provider like a dropped connection.
    auto can_move_on = [&](routing::Failure f, int64_t retry_after_ms) {
      const bool cut = f == routing::Failure::kStreamCut;
      if (r.attempts >= retry_.max_attempts || (!cut && time_left() <= 0)) return false;
      if (more_providers) return true;
      if (KeyFailure(f) && key_switches + 1 < key_count) return true;
      return routing::RetryDelayMs(retry_, cut ? routing::Failure::kConnect : f, retries,
                                   retry_after_ms, 0.0,
                                   cut ? retry_.deadline_ms : time_left()) >= 0;
    };
    int preferred = hooks.preferred_key ? hooks.preferred_key(p) : -1;
    // A conversation's account that is nearly spent gives way to a fresher one of its pool.
    if (preferred >= 0 && static_cast<size_t>(preferred) < p.key_avoid_until_ms.size() &&
        clock_.NowMs() < p.key_avoid_until_ms[static_cast<size_t>(preferred)]) {
      preferred = -1;
    }
    for (;;) {
      const int key = preferred >= 0 && preferred < key_count && !KeyResting(p, preferred)
                          ? preferred
                          : PickKey(p);
      preferred = -1;  // a retry or a key switch takes the next in turn
      ++r.attempts;
      r.last = co_await hooks.attempt(cand, key, can_move_on);
      const Attempt& last = r.last;
      if (last.client_gone) co_return r;  // nobody to answer; nothing learnt about the provider
      if (last.skipped) {                 // not tried: no verdict, and the next provider
        --r.attempts;
        break;
      }
      RecordHealth(p, key, last);
      // The retry decisions below treat a continued cut like a dropped connection.
      const routing::Failure f = last.cut_continues ? routing::Failure::kConnect : FailureOf(last);
      if (last.sent) {
        r.sent = true;
        co_return r;
      }
      if (last.cut_continues) {
        until = clock_.Steady() + std::chrono::milliseconds(retry_.deadline_ms);
      }
      if (!can_move_on(f, last.retry_after_ms)) break;
      // A key the provider refused or limited: the next key at once.
      if (KeyFailure(f) && key_switches + 1 < key_count && KeyLeft(p)) {
        ++key_switches;
        continue;
      }
      // The next provider rather than waiting for this one (or asking it again for an answer
      // it cannot give).
      if (more_providers || last.no_retry) break;
      const int64_t wait =
          routing::RetryDelayMs(retry_, f, retries, last.retry_after_ms, jitter_(), time_left());
      if (wait < 0) break;
      ++retries;
      LogInfo("retrying the provider")
          .Kv("request_id", hooks.request_id)
          .Kv("provider", p.name)
          .Kv("after_ms", wait)
          .Kv("error", last.error);
      co_await sleep_(std::chrono::milliseconds(wait));
    }
    if (r.attempts >= retry_.max_attempts || time_left() <= 0) break;
    if (more_providers && hooks.failover) hooks.failover(p.name);
    LogWarn("provider attempt failed; trying the next")
        .Kv("request_id", hooks.request_id)
        .Kv("provider", p.name)
        .Kv("error", r.last.error);
  }
  co_return r;
}

void Forwarder::SyncHealth(const routing::Snapshot& snap) {
  std::lock_guard lock(health_mu_);
  if (snap.version == health_version_) return;
  health_version_ = snap.version;
  std::vector<std::string> names;
  for (const auto& p : snap.providers) {
    names.push_back(p.name);
    health_.Merge(p.name, p.health);
  }
  health_.Retain(names);
}

std::string Forwarder::Unavailable(const std::string& provider) {
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(provider);
  return h == nullptr ? std::string() : routing::Unavailable(*h, clock_.NowMs());
}

std::string Forwarder::Admit(const std::string& provider) {
  std::lock_guard lock(health_mu_);
  return health_.Admit(provider, clock_.NowMs());
}

int Forwarder::PickKey(const routing::ProviderEntry& p) {
  if (p.keys.size() <= 1) return p.keys.empty() ? -1 : 0;
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(p.name);
  static const routing::ProviderHealth kHealthy;
  // Official accounts are used in their order, the first that is neither resting nor nearly
  // spent (its prompt cache and quota stay with it); API keys in rotation.
  if (!p.key_accounts.empty()) {
    const int k = routing::PickAccountKey(h != nullptr ? *h : kHealthy, p.key_avoid_until_ms,
                                          static_cast<int>(p.keys.size()), clock_.NowMs());
    return k < 0 ? 0 : k;
  }
  uint64_t& cursor = key_cursors_[p.name];
  int k = routing::PickKey(h != nullptr ? *h : kHealthy, static_cast<int>(p.keys.size()), &cursor,
                           clock_.NowMs());
  if (k < 0) k = static_cast<int>(cursor++ % p.keys.size());  // all resting: rotate anyway
  return k;
}

bool Forwarder::KeyResting(const routing::ProviderEntry& p, int key) {
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(p.name);
  if (h == nullptr) return false;
  auto it = h->keys.find(key);
  return it != h->keys.end() && clock_.NowMs() < it->second.cooldown_until_ms;
}

bool Forwarder::KeyLeft(const routing::ProviderEntry& p) {
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(p.name);
  if (h == nullptr) return true;
  const int64_t now = clock_.NowMs();
  for (int k = 0; k < static_cast<int>(p.keys.size()); ++k) {
    auto it = h->keys.find(k);
    if (it == h->keys.end() || now >= it->second.cooldown_until_ms) return true;
  }
  return false;
}

void Forwarder::RecordHealth(const routing::ProviderEntry& p, int key, const Attempt& a) {
  const routing::Failure f = FailureOf(a);
  std::lock_guard lock(health_mu_);
  health_.Record(p.name, f, key, static_cast<int>(p.keys.size()), a.retry_after_ms, clock_.NowMs(),
                 a.error);
}

}  // namespace agentgate::edge
