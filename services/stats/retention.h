// How long request records are kept: a retention period (default 90 days) and an optional size
// cap on stats.db. The Pruner applies it when the service starts and every hour after, on its
// own thread; `agentgatectl stats prune` applies it (or a cut-off of its own) at once.
//
// Thread-safety: a Pruner's Start/Stop from one thread; PruneNow from any.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "services/stats/stats_store.h"

namespace agentgate::stats {

struct RetentionPolicy {
  int retention_days = 90;  // 0: kept forever
  int64_t max_bytes = 0;    // 0: no size cap
};

// The cut-off of `policy` at `now_ms`: records that started before it go (0: none by age).
int64_t RetentionCutoffMs(const RetentionPolicy& policy, int64_t now_ms);

class Pruner {
 public:
  Pruner(StatsStore& store, RetentionPolicy policy, std::function<int64_t()> now_ms,
         std::chrono::milliseconds every = std::chrono::hours(1));
  ~Pruner() { Stop(); }

  void Start();
  void Stop();
  // Prunes by the request's cut-off and cap, each 0 meaning the policy's; the answer carries
  // the policy.
  absl::StatusOr<admin::v1::PruneStatsResponse> PruneNow(int64_t older_than_ms = 0,
                                                         int64_t max_bytes = 0);
  const RetentionPolicy& policy() const { return policy_; }

 private:
  StatsStore& store_;
  const RetentionPolicy policy_;
  const std::function<int64_t()> now_ms_;
  const std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace agentgate::stats
