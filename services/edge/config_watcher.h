// Keeps the edge's current config snapshot: watches the router's WatchConfig stream on its own
// thread, swaps each new version in atomically, and reconnects with backoff (100 ms to 5 s)
// when the router is away — serving from the last snapshot meanwhile.
//
// Thread-safety: Current() from any thread; Start/Stop from one.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "agentgate/control/v1/control.grpc.pb.h"
#include "services/routing/snapshot.h"

namespace agentgate::edge {

class ConfigWatcher {
 public:
  ConfigWatcher(std::shared_ptr<grpc::Channel> channel, std::string edge_id,
                std::function<std::string()> token, std::function<void(uint64_t)> on_applied);
  ~ConfigWatcher();

  void Start();
  void Stop();

  // The snapshot in force, or nullptr before the first one arrived.
  std::shared_ptr<const routing::Snapshot> Current() const {
    return current_.load(std::memory_order_acquire);
  }
  bool connected() const { return connected_.load(); }

 private:
  void Run();

  std::unique_ptr<control::v1::ControlService::Stub> stub_;
  const std::string edge_id_;
  std::function<std::string()> token_;
  std::function<void(uint64_t)> on_applied_;
  std::atomic<std::shared_ptr<const routing::Snapshot>> current_;
  std::atomic<bool> connected_{false};
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace agentgate::edge
