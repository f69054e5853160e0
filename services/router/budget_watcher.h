// The daily budget: how much today's priced requests cost, checked against the limit.
//
// While a budget is set, the watcher asks the stats service for today's cost (from the
// router's local midnight) every `every` and at once after a change of the budget. When the
// budget becomes spent or no longer spent (a new day, a higher limit), the snapshot carries it
// to the edges under a new version: in block mode they refuse requests, in cheapest mode they
// try the cheapest provider first; in notify mode it is only reported. Between checks the
// edges do not see spending: a budget can be overrun by what is spent in one interval.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "services/router/config_store.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"

namespace agentgate::router {

class BudgetWatcher {
 public:
  BudgetWatcher(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                const std::string& stats_address,
                std::chrono::milliseconds every = std::chrono::seconds(5));
  ~BudgetWatcher();  // Stop()

  void Start();
  void Stop();
  // Checks now (after the budget changed), publishing when the verdict changed.
  void CheckNow();
  // The budget with today's spending as last checked.
  admin::v1::Budget Current() const;

 private:
  void Loop();
  void Check();

  ConfigStore& store_;
  SnapshotHub& hub_;
  LocalToken& token_;
  const std::string stats_address_;
  const std::chrono::milliseconds every_;
  std::unique_ptr<stats::v1::StatsService::Stub> stats_;
  std::mutex check_mu_;  // one check at a time

  mutable std::mutex mu_;
  std::condition_variable cv_;
  admin::v1::Budget current_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace agentgate::router
