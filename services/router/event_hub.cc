#include "services/router/event_hub.h"

#include <algorithm>
#include <utility>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"

namespace agentgate::router {
namespace {

constexpr int64_t kSweepEveryMs = 1000;

}  // namespace

std::optional<admin::v1::Event> EventHub::Subscription::Next(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return !events_.empty() || closed_; });
  if (events_.empty()) return std::nullopt;
  admin::v1::Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

bool EventHub::Subscription::done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_ && events_.empty();
}

int64_t EventHub::Subscription::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void EventHub::Subscription::Push(const admin::v1::Event& e) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    if (capacity_ > 0 && events_.size() >= capacity_) {
      events_.pop_front();
      ++dropped_;
    }
    events_.push_back(e);
  }
  cv_.notify_one();
}

void EventHub::Subscription::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

EventHub::EventHub(Options options, Clock clock)
    : options_(options), clock_(clock ? std::move(clock) : Clock(NowMs)) {}

EventHub::EventHub() : EventHub(Options(), Clock(NowMs)) {}

std::shared_ptr<EventHub::Subscription> EventHub::Subscribe(uint64_t config_version) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_();
  SweepLocked(now, /*force=*/false);
  auto sub = std::shared_ptr<Subscription>(new Subscription(options_.subscriber_buffer));
  admin::v1::Event hello;
  hello.set_kind(admin::v1::EVENT_KIND_HELLO);
  hello.set_at_ms(now);
  hello.set_active_requests(static_cast<int32_t>(running_.size()));
  hello.set_config_version(std::max(config_version, config_version_));
  sub->Push(hello);
  if (shut_down_) {
    admin::v1::Event stopping;
    stopping.set_kind(admin::v1::EVENT_KIND_STACK_STOPPING);
    stopping.set_at_ms(now);
    stopping.set_active_requests(static_cast<int32_t>(running_.size()));
    sub->Push(stopping);
    sub->Close();
    return sub;
  }
  subs_.push_back(sub);
  return sub;
}

void EventHub::AddEdgeEvents(const google::protobuf::RepeatedPtrField<admin::v1::Event>& events) {
  if (events.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_();
  for (const auto& in : events) {
    if (!in.edge_id().empty()) edge_seen_ms_[in.edge_id()] = now;
  }
  SweepLocked(now, /*force=*/false);
  for (const auto& in : events) {
    if (in.kind() == admin::v1::EVENT_KIND_REQUEST_STARTED) {
      if (in.request_id().empty()) continue;
      running_.insert_or_assign(in.request_id(), Running{in.edge_id(), now});
    } else if (in.kind() == admin::v1::EVENT_KIND_REQUEST_FINISHED) {
      running_.erase(in.request_id());
    } else {
      continue;
    }
    if (shut_down_) continue;  // the running set stays right; nobody is listening
    admin::v1::Event e = in;
    FanOutLocked(e, now);
  }
}

void EventHub::EdgesAlive(const std::vector<std::string>& edge_ids) {
  if (edge_ids.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_();
  for (const auto& id : edge_ids) edge_seen_ms_[id] = now;
}

void EventHub::Publish(admin::v1::Event e) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return;
  const int64_t now = clock_();
  SweepLocked(now, /*force=*/false);
  FanOutLocked(e, now);
}

void EventHub::ConfigChanged(uint64_t version, const std::string& detail) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_ || version <= config_version_) return;
  config_version_ = version;
  const int64_t now = clock_();
  SweepLocked(now, /*force=*/false);
  admin::v1::Event e;
  e.set_kind(admin::v1::EVENT_KIND_CONFIG_CHANGED);
  e.set_config_version(version);
  e.set_detail(detail);
  FanOutLocked(e, now);
}

void EventHub::Shutdown() {
  std::vector<std::shared_ptr<Subscription>> subs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    const int64_t now = clock_();
    admin::v1::Event e;
    e.set_kind(admin::v1::EVENT_KIND_STACK_STOPPING);
    e.set_detail("the router is shutting down");
    FanOutLocked(e, now);
    shut_down_ = true;
    for (auto& w : subs_) {
      if (auto s = w.lock()) subs.push_back(std::move(s));
    }
    subs_.clear();
  }
  for (auto& s : subs) s->Close();
}

int EventHub::active_requests() {
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(clock_(), /*force=*/true);
  return static_cast<int>(running_.size());
}

size_t EventHub::subscribers() {
  std::lock_guard<std::mutex> lock(mu_);
  subs_.erase(std::remove_if(subs_.begin(), subs_.end(),
                             [](const std::weak_ptr<Subscription>& w) { return w.expired(); }),
              subs_.end());
  return subs_.size();
}

void EventHub::SweepLocked(int64_t now, bool force) {
  if (!force && now - last_sweep_ms_ < kSweepEveryMs) return;
  last_sweep_ms_ = now;
  for (auto it = edge_seen_ms_.begin(); it != edge_seen_ms_.end();) {
    it = now - it->second > options_.edge_silence_ms ? edge_seen_ms_.erase(it) : std::next(it);
  }
  for (auto it = running_.begin(); it != running_.end();) {
    const Running& r = it->second;
    bool expired = now - r.since_ms > options_.request_ttl_ms;
    bool edge_gone = !r.edge_id.empty() && edge_seen_ms_.count(r.edge_id) == 0;
    it = expired || edge_gone ? running_.erase(it) : std::next(it);
  }
}

void EventHub::FanOutLocked(admin::v1::Event& e, int64_t now) {
  if (e.at_ms() == 0) e.set_at_ms(now);
  e.set_active_requests(static_cast<int32_t>(running_.size()));
  size_t live = 0;  // subscribers still there, moved to the front
  for (size_t i = 0; i < subs_.size(); ++i) {
    std::shared_ptr<Subscription> s = subs_[i].lock();
    if (!s) continue;
    s->Push(e);
    if (live != i) subs_[live] = std::move(subs_[i]);
    ++live;
  }
  subs_.resize(live);
}

}  // namespace agentgate::router
