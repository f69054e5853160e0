// Sends items from a BoundedQueue to a client-streaming gRPC method in batches, on its own
// thread, reconnecting with exponential backoff. A batch whose Write fails goes back to the
// front of the queue, so nothing is lost while the peer is down (beyond the queue's capacity,
// where drops are counted). With a heartbeat interval, an empty batch (carrying whatever the
// batch builder adds) is sent at least that often.
//
// An optional extra source (set_extra_pending) is something else the batch builder drains into
// each batch, such as live events: while it says it has something pending, a batch goes out at
// the next poll (every 250 ms at most) even when the queue has no items. What the builder
// drained from it is not put back when the write fails.
//
// Thread-safety: Start/Stop from one thread; the queue is safe to push from any thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/edge/bounded_queue.h"

namespace agentgate::edge {

template <typename Item, typename Batch, typename Response>
class StreamUploader {
 public:
  using OpenFn =
      std::function<std::unique_ptr<grpc::ClientWriter<Batch>>(grpc::ClientContext*, Response*)>;
  // Copies (never moves) the items into a batch: when the write fails they are queued again.
  using BuildFn = std::function<Batch(const std::vector<Item>&)>;

  StreamUploader(std::string name, BoundedQueue<Item>& queue, OpenFn open, BuildFn build,
                 std::function<std::string()> token, std::chrono::milliseconds heartbeat)
      : name_(std::move(name)),
        queue_(queue),
        open_(std::move(open)),
        build_(std::move(build)),
        token_(std::move(token)),
        heartbeat_(heartbeat) {}
  ~StreamUploader() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

  // Flushes what is queued (best effort, bounded by `grace`) and stops.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1500)) {
    if (!thread_.joinable()) return;
    stop_deadline_ = std::chrono::steady_clock::now() + grace;
    stopping_ = true;
    queue_.Wake();
    thread_.join();
  }

  // Whether the extra source has something for the next batch; called on the uploader's thread.
  // REQUIRES: before Start.
  void set_extra_pending(std::function<bool()> pending) { extra_pending_ = std::move(pending); }

  // Sends a batch now (a heartbeat if nothing is queued).
  void Nudge() {
    nudged_ = true;
    queue_.Wake();
  }

  bool connected() const { return connected_.load(); }

 private:
  bool ExtraPending() const { return extra_pending_ && extra_pending_(); }
  bool HasWork() const { return queue_.size() > 0 || ExtraPending(); }

  void Run() {
    auto backoff = std::chrono::milliseconds(100);
    bool logged_down = false;
    while (!stopping_ || (HasWork() && std::chrono::steady_clock::now() < stop_deadline_)) {
      grpc::ClientContext ctx;
      AddBearer(ctx, token_());
      Response response;
      std::unique_ptr<grpc::ClientWriter<Batch>> writer = open_(&ctx, &response);
      bool broken = false;
      auto last_send = std::chrono::steady_clock::now() - heartbeat_;
      for (;;) {
        if (stopping_ && (!HasWork() || std::chrono::steady_clock::now() >= stop_deadline_)) break;
        auto wait = heartbeat_.count() > 0 ? std::min(heartbeat_, std::chrono::milliseconds(250))
                                           : std::chrono::milliseconds(250);
        // Lingering 20 ms for a fuller batch keeps the request path free of wake-ups under
        // load; records and outcomes are never urgent to the millisecond.
        std::vector<Item> items = queue_.PopBatch(256, wait, std::chrono::milliseconds(20));
        bool due =
            heartbeat_.count() > 0 && std::chrono::steady_clock::now() - last_send >= heartbeat_;
        if (items.empty() && !due && !nudged_.exchange(false) && !ExtraPending()) continue;
        Batch batch = build_(items);
        if (!writer->Write(batch)) {
          queue_.Requeue(std::move(items));
          broken = true;
          break;
        }
        last_send = std::chrono::steady_clock::now();
        if (!connected_.exchange(true) || logged_down) {
          LogInfo("uploader connected").Kv("stream", name_);
          logged_down = false;
        }
        backoff = std::chrono::milliseconds(100);
      }
      if (!broken) writer->WritesDone();
      grpc::Status st = writer->Finish();
      connected_ = false;
      if (stopping_) break;
      if (!logged_down) {
        LogWarn("uploader disconnected; buffering")
            .Kv("stream", name_)
            .Kv("error", st.error_message())
            .Kv("queued", static_cast<int64_t>(queue_.size()));
        logged_down = true;
      }
      auto until = std::chrono::steady_clock::now() + backoff;
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }

  const std::string name_;
  BoundedQueue<Item>& queue_;
  OpenFn open_;
  BuildFn build_;
  std::function<bool()> extra_pending_;
  std::function<std::string()> token_;
  const std::chrono::milliseconds heartbeat_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> nudged_{false};
  std::atomic<bool> connected_{false};
  std::chrono::steady_clock::time_point stop_deadline_{};
};

}  // namespace agentgate::edge
