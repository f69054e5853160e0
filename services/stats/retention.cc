#include "services/stats/retention.h"

#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::stats {

int64_t RetentionCutoffMs(const RetentionPolicy& policy, int64_t now_ms) {
  if (policy.retention_days <= 0) return 0;
  return now_ms - static_cast<int64_t>(policy.retention_days) * 24 * 3600 * 1000;
}

Pruner::Pruner(StatsStore& store, RetentionPolicy policy, std::function<int64_t()> now_ms,
               std::chrono::milliseconds every)
    : store_(store), policy_(policy), now_ms_(std::move(now_ms)), every_(every) {}

absl::StatusOr<admin::v1::PruneStatsResponse> Pruner::PruneNow(int64_t older_than_ms,
                                                               int64_t max_bytes) {
  int64_t cutoff = older_than_ms > 0 ? older_than_ms : RetentionCutoffMs(policy_, now_ms_());
  int64_t cap = max_bytes > 0 ? max_bytes : policy_.max_bytes;
  auto r = store_.Prune(cutoff, cap);
  if (!r.ok()) return r;
  r->set_retention_days(policy_.retention_days);
  r->set_max_bytes(policy_.max_bytes);
  return r;
}

void Pruner::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      auto r = PruneNow();
      if (!r.ok()) {
        LogWarn("cannot prune stats.db").Kv("error", Message(r.status()));
      } else if (r->deleted() > 0) {
        LogInfo("pruned request records by the retention policy")
            .Kv("deleted", r->deleted())
            .Kv("left", r->records())
            .Kv("retention_days", static_cast<int64_t>(policy_.retention_days));
      }
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, every_, [&] { return stopping_; })) return;
    }
  });
}

void Pruner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace agentgate::stats
