// EventHub: the router's live event stream, served by the admin WatchEvents RPC (the desktop
// pet, `agentgatectl events`). Edges send REQUEST_STARTED / REQUEST_FINISHED events on their
// outcome streams (ControlServiceImpl::ReportOutcomes); the router adds PROVIDER_HEALTH,
// CONFIG_CHANGED and STACK_STOPPING. The hub keeps the set of requests running on all edges,
// stamps every event with its size (Event.active_requests) and hands each event to every
// subscriber.
//
// The running set: REQUEST_STARTED adds a request, REQUEST_FINISHED removes it. Events are best
// effort (an edge drops them rather than slow a request down), so an entry whose FINISHED never
// comes must not stay forever:
//   - an entry is forgotten 15 minutes after it started (longer than any agent turn we know; a
//     stream still running then is merely no longer counted);
//   - every entry of an edge is forgotten once that edge has sent nothing for 30 s (an edge
//     sends a batch at least every 2 s while it is connected: one that stops has died, taking
//     its requests with it, or lost the router, and it does not resend old events).
// Both are checked lazily, at most once a second, when an event is published or a subscriber
// joins: the count in the next event or HELLO reflects them.
//
// Subscribers: each has a bounded buffer of its own (default 1024 events). When it is full the
// oldest event is dropped and counted: a slow subscriber loses old events; it never blocks the
// hub, the edges or the other subscribers. After Shutdown every subscriber gets STACK_STOPPING
// as its last event, and its stream ends.
//
// Time comes from an injected clock (Unix ms), so tests control eviction.
//
// Thread-safety: every method may be called from any thread. A Subscription is read by one
// thread (its WatchEvents call). Lock order: the hub's mutex, then a subscription's.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::router {

class EventHub {
 public:
  using Clock = std::function<int64_t()>;  // Unix ms

  struct Options {
    int64_t request_ttl_ms = 15 * 60'000;  // a running entry is forgotten after this
    int64_t edge_silence_ms = 30'000;      // an edge's entries go after this much silence
    size_t subscriber_buffer = 1024;       // events a subscriber may fall behind by
  };

  // One subscriber's stream of events.
  class Subscription {
   public:
    // The next event, waiting up to `timeout` for one; nullopt when none came in time or the
    // stream is over (done()).
    std::optional<admin::v1::Event> Next(std::chrono::milliseconds timeout);
    // The hub shut down and every event was taken.
    bool done() const;
    // Events dropped because this subscriber fell more than its buffer behind.
    int64_t dropped() const;

   private:
    friend class EventHub;
    explicit Subscription(size_t capacity) : capacity_(capacity) {}
    void Push(const admin::v1::Event& e);
    void Close();

    const size_t capacity_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<admin::v1::Event> events_ ABSL_GUARDED_BY(mu_);
    bool closed_ ABSL_GUARDED_BY(mu_) = false;
    int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  };

  explicit EventHub(Options options, Clock clock);
  EventHub();  // default options, the system clock

  // A new subscriber. Its first event is HELLO with the running count and `config_version`
  // (the router's current one); every event published afterwards follows. After Shutdown the
  // HELLO is followed by STACK_STOPPING and the stream ends. The subscription ends (and the hub
  // forgets it) when the caller drops it.
  std::shared_ptr<Subscription> Subscribe(uint64_t config_version);

  // An edge's batch of events. REQUEST_STARTED and REQUEST_FINISHED update the running set and
  // are published; other kinds are not the edges' to send and are ignored. Also counts as a
  // sign of life from each edge named.
  void AddEdgeEvents(const google::protobuf::RepeatedPtrField<admin::v1::Event>& events);
  // A sign of life from these edges (any batch on their outcome streams).
  void EdgesAlive(const std::vector<std::string>& edge_ids);

  // Publishes one of the router's own events (PROVIDER_HEALTH, ...): stamped with the running
  // count (and the time, when it has none) and handed to every subscriber. Ignored after
  // Shutdown.
  void Publish(admin::v1::Event e);
  // CONFIG_CHANGED for `version` with `detail` (what changed), unless one for this version or a
  // newer one went out already.
  void ConfigChanged(uint64_t version, const std::string& detail);
  // STACK_STOPPING to every subscriber, then their streams end; later subscribers get HELLO and
  // STACK_STOPPING at once. Idempotent.
  void Shutdown();

  int active_requests();
  size_t subscribers();

 private:
  struct Running {
    std::string edge_id;
    int64_t since_ms = 0;  // by the hub's clock: edges' clocks may differ
  };
  // Forgets expired entries and silent edges, at most once a second (or now when `force`).
  void SweepLocked(int64_t now, bool force) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stamps `e` and hands it to every live subscriber, forgetting the gone ones.
  void FanOutLocked(admin::v1::Event& e, int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const Clock clock_;

  std::mutex mu_;
  std::map<std::string, Running> running_ ABSL_GUARDED_BY(mu_);       // by request id
  std::map<std::string, int64_t> edge_seen_ms_ ABSL_GUARDED_BY(mu_);  // by edge id
  std::vector<std::weak_ptr<Subscription>> subs_ ABSL_GUARDED_BY(mu_);
  uint64_t config_version_ ABSL_GUARDED_BY(mu_) = 0;  // last CONFIG_CHANGED
  int64_t last_sweep_ms_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace agentgate::router
