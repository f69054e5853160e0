// The router's side of the xDS-style control plane: builds versioned ConfigSnapshots from the
// store and the token, hands them to every WatchConfig stream, and tracks the edges (their
// heartbeats and the snapshot version each has applied).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/router/config_store.h"
#include "services/router/local_token.h"

namespace agentgate::router {

class SnapshotHub {
 public:
  SnapshotHub(ConfigStore& store, LocalToken& token) : store_(store), token_(token) {}

  // Builds a snapshot at the store's current version and wakes every watcher.
  absl::Status Rebuild();

  // The current snapshot once its version is above `known`; nullptr if that does not happen
  // within `timeout` or the hub shuts down.
  std::shared_ptr<const control::v1::ConfigSnapshot> WaitNewer(uint64_t known,
                                                               std::chrono::milliseconds timeout);
  uint64_t version() const;

  // Wakes and ends every wait, for shutdown.
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
  ConfigStore& store_;
  LocalToken& token_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const control::v1::ConfigSnapshot> current_;  // guarded by mu_
  bool shutdown_ = false;                                       // guarded by mu_
  std::map<std::string, EdgeState> edges_;                      // guarded by mu_
};

}  // namespace agentgate::router
