// The forwarder stage: a request's candidates (from the route plan) tried in order until one
// answers — the next key at once after a 401/403/429 when the provider has more, the last
// provider retried after a transient failure (backoff with jitter, or its Retry-After), the next
// provider after any other failure — within the attempt and time budget of the RetryPolicy.
// It keeps provider health as this edge sees it: the router's view merged in once per snapshot
// and this edge's own attempts at once, so the next request already avoids a provider that just
// failed.
//
// Time is injected: the clock decides deadlines and cooldowns, `sleep` does the waits. The
// attempt itself is a seam (the upstream relay in the edge; a script in tests), so the policy
// is unit-tested without sockets or real time.
//
// Thread-safety: one Forwarder serves every worker; its health state has its own mutex. Run is
// a coroutine on the calling worker.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "services/common/clock.h"
#include "services/edge/upstream_relay.h"
#include "services/net/asio.h"
#include "services/routing/health.h"
#include "services/routing/planner.h"

namespace agentgate::edge {

// What a failed attempt means for health and retries.
routing::Failure FailureOf(const Attempt& a);

class Forwarder {
 public:
  using SleepFn = std::function<net::asio::awaitable<void>(std::chrono::milliseconds)>;

  struct Hooks {
    // One attempt at `cand` with key `key` (-1: none). It may relay the provider's error to the
    // client when `can_move_on` says no other attempt may follow.
    std::function<net::asio::awaitable<Attempt>(const routing::Candidate& cand, int key,
                                                const MoveOnFn& can_move_on)>
        attempt;
    // Before the first attempt at a candidate (e.g. decoding the request for a conversion); an
    // error ends the request with 400.
    std::function<absl::Status(const routing::Candidate&)> prepare;
    // Moving on from a provider that failed to the next one (metrics).
    std::function<void(const std::string& provider)> failover;
    // The key to try first at a provider (session affinity; -1: none): used when it is not
    // resting, else the next key in turn.
    std::function<int(const routing::ProviderEntry&)> preferred_key;
    std::string request_id;  // for the logs
  };

  struct Result {
    bool sent = false;         // an answer (or the provider's own error) reached the client
    int attempts = 0;          // attempts made
    Attempt last;              // the last attempt, when there was one
    std::string passed_over;   // candidates skipped as unavailable, and why
    absl::Status bad_request;  // from Hooks::prepare
  };

  // `sleep` defaults to an asio timer; `jitter` to a uniform random number in [0, 1).
  Forwarder(routing::RetryPolicy retry, routing::HealthPolicy health,
            const Clock& clock = SystemClock(), SleepFn sleep = nullptr,
            std::function<double()> jitter = nullptr);

  // Tries `candidates` in order. `deadline`: no new attempt after it (steady clock of `clock`).
  net::asio::awaitable<Result> Run(const std::vector<routing::Candidate>& candidates,
                                   std::chrono::steady_clock::time_point deadline,
                                   const Hooks& hooks);

  // Health, for planning: merges the router's view once per snapshot version.
  void SyncHealth(const routing::Snapshot& snap);
  // Why `provider` cannot take a request now ("" when it can).
  std::string Unavailable(const std::string& provider);
  // The key to use next for `p` (-1: it has none): the next that is not resting, in turn.
  int PickKey(const routing::ProviderEntry& p);
  const routing::RetryPolicy& retry() const { return retry_; }
  const Clock& clock() const { return clock_; }

 private:
  std::string Admit(const std::string& provider);
  bool KeyLeft(const routing::ProviderEntry& p);  // a key that is not resting
  bool KeyResting(const routing::ProviderEntry& p, int key);
  void RecordHealth(const routing::ProviderEntry& p, int key, const Attempt& a);

  const routing::RetryPolicy retry_;
  const Clock& clock_;
  const SleepFn sleep_;
  const std::function<double()> jitter_;

  std::mutex health_mu_;
  routing::HealthBoard health_ ABSL_GUARDED_BY(health_mu_);
  uint64_t health_version_ ABSL_GUARDED_BY(health_mu_) = 0;
  std::map<std::string, uint64_t, std::less<>> key_cursors_ ABSL_GUARDED_BY(health_mu_);
};

}  // namespace agentgate::edge
