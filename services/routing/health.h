// Provider health: a cooldown and a circuit breaker per provider, a cooldown per API key. Pure:
// every call takes the time (milliseconds since the Unix epoch, so that states travel between
// processes in the config snapshot) and nothing reads a clock.
//
// The router folds every edge's outcome reports into one HealthBoard and publishes it in the
// snapshot; each edge also keeps a board for its own attempts, so the very next request avoids a
// provider that just failed, before the router's next snapshot arrives. A provider is tried when
// both boards admit it.
//
// Policy:
//   - 429, 402, 5xx, timeouts, connection/TLS errors, 401/403 (the key) and 404 (the endpoint or
//     model) are provider failures; other 4xx are the request's fault: they count as an answer.
//   - A failure cools the provider down: Retry-After when the provider sent one, else a backoff
//     that doubles with each consecutive failure (first_cooldown .. max_cooldown).
//   - failures_to_open consecutive failures open the breaker for open_for (doubling each time it
//     reopens, up to max_open). After that it is half-open: one attempt goes through; success
//     closes it, failure opens it again.
//   - A 429 or 401/403 is also charged to the key that was used: that key cools down (Retry-After
//     or key_cooldown) and the next key is used; the provider itself cools down only when every
//     key is cooling down.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace agentgate::routing {

enum class Breaker { kClosed, kOpen, kHalfOpen };
std::string_view BreakerName(Breaker b);  // "closed", "open", "half-open"

// What one attempt at a provider came to.
enum class Failure {
  kNone,         // success
  kRateLimited,  // 429
  kPayment,      // 402
  kAuth,         // 401, 403: the key
  kNotFound,     // 404: the endpoint or the model is not there (the provider's configuration)
  kServer,       // 5xx
  kTimeout,
  kConnect,    // resolve, connect, TLS
  kStreamCut,  // the provider died after the answer started
  kRequest,    // another 4xx: the request's fault, not the provider's
};

// The failure kind of an HTTP status from a provider (kNone below 400).
Failure FailureFromStatus(int status);
// Whether the next provider in the chain should be tried after this failure.
bool MovesOn(Failure f);
std::string_view FailureName(Failure f);

struct HealthPolicy {
  int failures_to_open = 3;
  int64_t first_cooldown_ms = 2'000;
  int64_t max_cooldown_ms = 300'000;
  int64_t open_for_ms = 30'000;
  int64_t max_open_ms = 600'000;
  int64_t key_cooldown_ms = 60'000;  // a key's 429/401 without Retry-After
};

struct KeyHealth {
  int64_t cooldown_until_ms = 0;
  int failures = 0;        // consecutive
  std::string last_error;  // never the key itself
};

struct ProviderHealth {
  Breaker breaker = Breaker::kClosed;
  int consecutive_failures = 0;
  int opens = 0;                  // times opened since it last closed
  int64_t cooldown_until_ms = 0;  // no attempt before this
  int64_t open_until_ms = 0;      // while open: half-open from this time on
  int64_t retry_after_ms = 0;     // the last Retry-After the provider sent (0: none)
  int64_t probe_since_ms = 0;     // half-open: when the one trial attempt went out (0: none)
  int64_t last_failure_at_ms = 0;
  int64_t last_success_at_ms = 0;
  std::string last_error;
  std::map<int, KeyHealth> keys;  // by key index; absent = healthy
  int64_t reset_at_ms = 0;        // the last operator's reset (see Merge)

  // The breaker as it stands at `now` (an open breaker past open_until is half-open).
  Breaker BreakerAt(int64_t now_ms) const;
  bool CoolingDown(int64_t now_ms) const { return now_ms < cooldown_until_ms; }
};

// Why a provider is not tried now, or "" when it may be.
std::string Unavailable(const ProviderHealth& h, int64_t now_ms);

// The index of the key to use among `key_count` keys, round-robin from `*cursor` (advanced),
// skipping keys cooling down; -1 when every key is cooling down (0 keys: 0, no key to send).
int PickKey(const ProviderHealth& h, int key_count, uint64_t* cursor, int64_t now_ms);
// The key of an official account pool to use: the first (in the pool's order) neither resting
// nor avoided (`avoid_until_ms[k]` > now: a window nearly spent), else the first not resting;
// -1 when every key rests. `avoid_until_ms` may be shorter than `key_count` (not avoided).
int PickAccountKey(const ProviderHealth& h, const std::vector<int64_t>& avoid_until_ms,
                   int key_count, int64_t now_ms);

// Retrying one request: how often and how long (per request, across providers).
struct RetryPolicy {
  int max_attempts = 6;           // upstream attempts for one request, all providers together
  int64_t deadline_ms = 90'000;   // no new attempt after this long since the request arrived
  int same_provider_retries = 2;  // retries of the last provider left (transient failures)
  int64_t base_backoff_ms = 250;  // doubled per retry, with jitter
  int64_t max_backoff_ms = 8'000;
  int64_t max_retry_after_ms = 10'000;  // a longer Retry-After is not waited for
};

// How long to wait before retry number `retry` (0-based) of the same provider after failure
// `f`: the provider's Retry-After when it gave one, else exponential backoff with `jitter`
// (0..1) taking up to half of it off; -1 when the failure is not worth retrying there (a key,
// payment or configuration problem, a timeout, or a Retry-After too long) or the wait would pass
// `time_left_ms`.
int64_t RetryDelayMs(const RetryPolicy& p, Failure f, int retry, int64_t retry_after_ms,
                     double jitter, int64_t time_left_ms);

class HealthBoard {
 public:
  explicit HealthBoard(HealthPolicy policy = {}) : policy_(policy) {}

  // Folds one attempt's outcome in. `key` is the index of the key used (-1: unknown or none),
  // `key_count` how many keys the provider has; `retry_after_ms` the provider's Retry-After
  // (0: none). Returns true when the provider's availability changed (worth publishing).
  bool Record(std::string_view provider, Failure f, int key, int key_count, int64_t retry_after_ms,
              int64_t now_ms, std::string_view error = {});

  // Admits one attempt: "" when it may go ahead (a half-open provider admits one attempt until
  // its outcome is recorded), else why not.
  std::string Admit(std::string_view provider, int64_t now_ms);

  const ProviderHealth* Find(std::string_view provider) const;
  const std::map<std::string, ProviderHealth, std::less<>>& all() const { return health_; }
  // Adopts what is stricter in `other` (the router's view, from a snapshot): a later cooldown,
  // an open breaker, cooling keys. What this board knows of its own failures stays, unless
  // `other` was reset by an operator after them: then it is forgotten.
  void Merge(std::string_view provider, const ProviderHealth& other);
  // Forgets providers not in `names` (deleted ones).
  void Retain(const std::vector<std::string>& names);
  // Back to healthy (a successful connection test, an operator's reset), remembering when.
  void Reset(std::string_view provider, int64_t now_ms) {
    ProviderHealth h;
    h.reset_at_ms = now_ms;
    health_[std::string(provider)] = std::move(h);
  }

  const HealthPolicy& policy() const { return policy_; }

 private:
  HealthPolicy policy_;
  std::map<std::string, ProviderHealth, std::less<>> health_;
};

}  // namespace agentgate::routing
