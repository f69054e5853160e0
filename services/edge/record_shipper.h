// Ships the record spool to the stats service on its own thread: a batch of up to 512 records
// per Commit call, acknowledged in the spool only when stats answered that it committed them.
// While stats is down the records wait in the spool (retried with backoff up to 5 s); nothing
// is dropped for that.
//
// Thread-safety: Start/Stop from one thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "agentgate/stats/v1/stats.pb.h"
#include "services/edge/record_spool.h"

namespace agentgate::edge {

class RecordShipper {
 public:
  // Sends one batch; OK means stats committed it.
  using CommitFn = std::function<grpc::Status(const stats::v1::RecordBatch&)>;

  RecordShipper(RecordSpool& spool, CommitFn commit);
  ~RecordShipper() { Stop(); }

  void Start();
  // Ships what it can within `grace`, then stops; the rest stays in the spool for the next edge.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1500));

  int64_t batches() const { return batches_.load(); }
  int64_t failures() const { return failures_.load(); }

 private:
  void Run();

  RecordSpool& spool_;
  const CommitFn commit_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point stop_deadline_{};
  std::atomic<int64_t> batches_{0};
  std::atomic<int64_t> failures_{0};
};

}  // namespace agentgate::edge
