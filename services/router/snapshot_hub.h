// The router's side of the xDS-style control plane: builds versioned ConfigSnapshots from the
// store, the token and provider health, hands them to every WatchConfig stream, and tracks the
// edges (their heartbeats and the snapshot version each has applied).
//
// Health changes come often and in bursts; they are published at most every 200 ms by a thread
// of the hub's own, each under a new persistent version (ConfigStore::BumpVersion), so versions
// keep rising across router restarts.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/router/config_store.h"
#include "services/router/health_state.h"
#include "services/router/local_token.h"

namespace agentgate::router {

// A profile as the edges get it: each rule's scene merged into its own conditions (the larger
// minimum, either flag, the keywords of both), disabled rules left out.
admin::v1::RouteProfile RouteForSnapshot(admin::v1::RouteProfile r);

class SnapshotHub {
 public:
  SnapshotHub(ConfigStore& store, LocalToken& token, HealthState& health);
  ~SnapshotHub();  // stops the health publisher

  // Builds a snapshot at the store's current version and wakes every watcher. Providers that
  // are gone are dropped from the health board.
  absl::Status Rebuild();
  // A health change: published within 200 ms (coalesced with others) under a new version.
  void HealthChanged();
  // Bumps the version and rebuilds now: for changes outside the store (a health reset, the
  // token).
  absl::Status BumpAndRebuild();

  // The budget and its verdict, carried by every snapshot built from now on.
  void SetBudget(const admin::v1::Budget& b);

  // The snapshot last built (nullptr before the first Rebuild).
  std::shared_ptr<const control::v1::ConfigSnapshot> Current() const;

  // The current snapshot once its version is above `known`; nullptr if that does not happen
  // within `timeout` or the hub shuts down.
  std::shared_ptr<const control::v1::ConfigSnapshot> WaitNewer(uint64_t known,
                                                               std::chrono::milliseconds timeout);
  uint64_t version() const;

  // Wakes and ends every wait and stops the health publisher, for shutdown.
  void Shutdown();
  bool shutting_down() const;

  struct EdgeState {
    control::v1::EdgeHeartbeat heartbeat;
    std::chrono::steady_clock::time_point last_seen;
  };
  void RecordHeartbeat(const control::v1::EdgeHeartbeat& hb);
  // Edges heard from in the last minute.
  std::vector<EdgeState> Edges() const;
  // Waits until every edge heard from in the last 10 s reports `version` or newer applied.
  // True when they all did (or there are none) within `timeout`.
  bool WaitEdgesApplied(uint64_t version, std::chrono::milliseconds timeout);

 private:
  void PublishLoop();

  ConfigStore& store_;
  LocalToken& token_;
  HealthState& health_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const control::v1::ConfigSnapshot> current_ ABSL_GUARDED_BY(mu_);
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
  admin::v1::Budget budget_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, EdgeState> edges_ ABSL_GUARDED_BY(mu_);

  std::mutex pub_mu_;
  std::condition_variable pub_cv_;
  bool pub_pending_ ABSL_GUARDED_BY(pub_mu_) = false;
  bool pub_stop_ ABSL_GUARDED_BY(pub_mu_) = false;
  std::thread publisher_;
};

}  // namespace agentgate::router
