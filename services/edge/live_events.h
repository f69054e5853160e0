// Live request events for the admin WatchEvents stream (the desktop pet, `agentgatectl events`):
// REQUEST_STARTED once a request has passed authentication and its model is read,
// REQUEST_FINISHED when it has been answered. The request path only pushes them to a small
// bounded queue of their own (a full queue drops the event and counts it: events are best
// effort and never slow a request down); the outcome uploader drains that queue into the
// OutcomeBatch it streams to the router.
//
// Thread-safety: EventQueue may be pushed to from any thread and drained by one; a
// RequestEvents belongs to one request and is used by the coroutine serving it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/common/strings.h"
#include "services/edge/bounded_queue.h"

namespace agentgate::edge {

using EventQueue = BoundedQueue<admin::v1::Event>;

// Room for a few seconds of events at a high request rate: the uploader drains it at least
// every 250 ms while the router is reachable.
constexpr size_t kEventQueueCapacity = 4096;
// Events drained into one OutcomeBatch at most.
constexpr size_t kEventsPerBatch = 1024;
// An event that waited longer than this (the router was down) is no longer news: dropped.
constexpr int64_t kEventMaxAgeMs = 30'000;

// The events of a request, from its record (request id, client, model requested, edge id; and,
// finished, the status sent, the provider, error, latency, tokens and cost).
admin::v1::Event StartedEvent(const admin::v1::RequestLog& rec);
admin::v1::Event FinishedEvent(const admin::v1::RequestLog& rec, int64_t now_ms);

// The two events of one authenticated request.
class RequestEvents {
 public:
  // nullptr: a request that is not worth events (not authenticated); every call does nothing.
  explicit RequestEvents(EventQueue* queue) : queue_(queue) {}

  // Pushes REQUEST_STARTED the first time it is called.
  void Started(const admin::v1::RequestLog& rec);
  // Pushes REQUEST_FINISHED, preceded by REQUEST_STARTED when that was not pushed yet (a
  // request refused before its model was read), so that every FINISHED has its STARTED.
  void Finished(const admin::v1::RequestLog& rec);

 private:
  EventQueue* const queue_;
  bool started_ = false;
};

// Moves up to `max` queued events into batch->events, in order, leaving out those older than
// kEventMaxAgeMs at `now_ms`. Returns how many were left out. Never waits.
int64_t DrainEvents(EventQueue& queue, size_t max, int64_t now_ms,
                    control::v1::OutcomeBatch* batch);

}  // namespace agentgate::edge
