#include "services/router/event_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace agentgate::router {
namespace {

using admin::v1::Event;
using std::chrono::milliseconds;
using Events = google::protobuf::RepeatedPtrField<Event>;

Event Request(admin::v1::EventKind kind, const std::string& id, const std::string& edge = "e1") {
  Event e;
  e.set_kind(kind);
  e.set_request_id(id);
  e.set_edge_id(edge);
  e.set_client("claude");
  e.set_model("m");
  e.set_at_ms(123);
  return e;
}
Event Started(const std::string& id, const std::string& edge = "e1") {
  return Request(admin::v1::EVENT_KIND_REQUEST_STARTED, id, edge);
}
Event Finished(const std::string& id, const std::string& edge = "e1") {
  return Request(admin::v1::EVENT_KIND_REQUEST_FINISHED, id, edge);
}
Events Batch(std::vector<Event> in) {
  Events out;
  for (auto& e : in) *out.Add() = std::move(e);
  return out;
}

// Everything the subscription has now.
std::vector<Event> Drain(EventHub::Subscription& s) {
  std::vector<Event> out;
  while (auto e = s.Next(milliseconds(0))) out.push_back(*e);
  return out;
}

class EventHubTest : public ::testing::Test {
 protected:
  EventHub::Options Opts(size_t buffer = 1024) {
    EventHub::Options o;
    o.subscriber_buffer = buffer;
    return o;
  }
  std::atomic<int64_t> now_{1'700'000'000'000};
  EventHub::Clock clock_ = [this] { return now_.load(); };
};

TEST_F(EventHubTest, HelloFirstThenEventsStampedWithTheRunningCount) {
  EventHub hub(Opts(), clock_);
  auto sub = hub.Subscribe(42);
  hub.AddEdgeEvents(Batch({Started("r1"), Started("r2"), Finished("r1")}));
  hub.AddEdgeEvents(Batch({Finished("r2")}));
  std::vector<Event> got = Drain(*sub);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].kind(), admin::v1::EVENT_KIND_HELLO);
  EXPECT_EQ(got[0].config_version(), 42u);
  EXPECT_EQ(got[0].active_requests(), 0);
  EXPECT_EQ(got[0].at_ms(), now_.load());
  std::vector<int> active;
  for (size_t i = 1; i < got.size(); ++i) active.push_back(got[i].active_requests());
  EXPECT_EQ(active, (std::vector<int>{1, 2, 1, 0}));
  EXPECT_EQ(got[1].kind(), admin::v1::EVENT_KIND_REQUEST_STARTED);
  EXPECT_EQ(got[1].request_id(), "r1");
  EXPECT_EQ(got[1].client(), "claude");
  EXPECT_EQ(got[1].at_ms(), 123) << "the edge's time stays";
  EXPECT_EQ(got[3].kind(), admin::v1::EVENT_KIND_REQUEST_FINISHED);
}

TEST_F(EventHubTest, HelloCarriesTheRequestsAlreadyRunning) {
  EventHub hub(Opts(), clock_);
  hub.AddEdgeEvents(Batch({Started("r1"), Started("r2", "e2")}));
  auto sub = hub.Subscribe(7);
  auto e = sub->Next(milliseconds(0));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), admin::v1::EVENT_KIND_HELLO);
  EXPECT_EQ(e->active_requests(), 2);
  EXPECT_EQ(hub.active_requests(), 2);
}

TEST_F(EventHubTest, AFinishedWithoutItsStartedAndOtherKindsFromEdges) {
  EventHub hub(Opts(), clock_);
  auto sub = hub.Subscribe(1);
  Event bogus;
  bogus.set_kind(admin::v1::EVENT_KIND_STACK_STOPPING);
  hub.AddEdgeEvents(Batch({Finished("lost"), bogus, Started("r1"), Started("r1")}));
  std::vector<Event> got = Drain(*sub);
  ASSERT_EQ(got.size(), 4u) << "the edge's STACK_STOPPING is not passed on";
  EXPECT_EQ(got[1].active_requests(), 0);
  EXPECT_EQ(got[2].active_requests(), 1);
  EXPECT_EQ(got[3].active_requests(), 1) << "a repeated STARTED counts once";
  EXPECT_FALSE(sub->done());
}

TEST_F(EventHubTest, RunningEntriesExpireAfterTheirTimeToLive) {
  EventHub hub(Opts(), clock_);
  hub.AddEdgeEvents(Batch({Started("old")}));
  now_ += 10 * 60'000;
  hub.AddEdgeEvents(Batch({Started("young")}));
  EXPECT_EQ(hub.active_requests(), 2);
  now_ += 5 * 60'000 + 1;  // "old" is 15 min + 1 ms old, the edge still reports
  hub.EdgesAlive({"e1"});
  EXPECT_EQ(hub.active_requests(), 1);
  auto sub = hub.Subscribe(1);
  EXPECT_EQ(sub->Next(milliseconds(0))->active_requests(), 1);
  now_ += 10 * 60'000;
  hub.EdgesAlive({"e1"});
  Event health;
  health.set_kind(admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  hub.Publish(health);
  auto e = sub->Next(milliseconds(0));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->active_requests(), 0);
  EXPECT_EQ(e->at_ms(), now_.load()) << "stamped with the hub's time";
}

TEST_F(EventHubTest, ASilentEdgeLosesItsEntries) {
  EventHub hub(Opts(), clock_);
  hub.AddEdgeEvents(Batch({Started("a1", "a"), Started("a2", "a"), Started("b1", "b")}));
  now_ += 20'000;
  hub.EdgesAlive({"b"});  // a heartbeat-only batch from b
  EXPECT_EQ(hub.active_requests(), 3);
  now_ += 11'000;  // a silent for 31 s, b for 11 s
  EXPECT_EQ(hub.active_requests(), 1);
  // It comes back: its new requests count again.
  hub.AddEdgeEvents(Batch({Started("a3", "a")}));
  EXPECT_EQ(hub.active_requests(), 2);
}

TEST_F(EventHubTest, SweepsRunAtMostOnceASecondUnlessAsked) {
  EventHub::Options o = Opts();
  o.edge_silence_ms = 3'600'000;  // only the time to live matters here
  EventHub hub(o, clock_);
  auto sub = hub.Subscribe(1);
  hub.AddEdgeEvents(Batch({Started("r1")}));
  Event health;
  health.set_kind(admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  now_ += o.request_ttl_ms - 500;
  hub.Publish(health);  // sweeps: r1 is not due yet
  now_ += 600;          // now it is, but the last sweep was 600 ms ago
  hub.Publish(health);
  std::vector<Event> got = Drain(*sub);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3].active_requests(), 1);
  EXPECT_EQ(hub.active_requests(), 0) << "asked for the count: swept now";
  now_ += 1000;
  hub.Publish(health);
  EXPECT_EQ(sub->Next(milliseconds(0))->active_requests(), 0);
}

TEST_F(EventHubTest, EverySubscriberGetsEveryEvent) {
  EventHub hub(Opts(), clock_);
  auto a = hub.Subscribe(1);
  auto b = hub.Subscribe(1);
  EXPECT_EQ(hub.subscribers(), 2u);
  hub.AddEdgeEvents(Batch({Started("r1"), Finished("r1")}));
  EXPECT_EQ(Drain(*a).size(), 3u);
  EXPECT_EQ(Drain(*b).size(), 3u);
  b.reset();  // a subscriber that leaves is forgotten
  EXPECT_EQ(hub.subscribers(), 1u);
  hub.AddEdgeEvents(Batch({Started("r2")}));
  EXPECT_EQ(Drain(*a).size(), 1u);
}

TEST_F(EventHubTest, ASlowSubscriberLosesOldEventsAndBlocksNobody) {
  EventHub hub(Opts(/*buffer=*/3), clock_);
  auto slow = hub.Subscribe(1);
  auto fast = hub.Subscribe(1);
  std::vector<Event> fast_got;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    std::string id = "r";
    id += std::to_string(i);
    hub.AddEdgeEvents(Batch({Started(id)}));
    for (auto& e : Drain(*fast)) fast_got.push_back(std::move(e));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_EQ(fast_got.size(), 11u);
  EXPECT_EQ(fast->dropped(), 0);
  std::vector<Event> slow_got = Drain(*slow);
  ASSERT_EQ(slow_got.size(), 3u);
  EXPECT_EQ(slow_got[0].request_id(), "r7") << "the newest three are kept";
  EXPECT_EQ(slow_got[2].request_id(), "r9");
  EXPECT_EQ(slow_got[2].active_requests(), 10);
  EXPECT_EQ(slow->dropped(), 8);  // HELLO and r0..r6
}

TEST_F(EventHubTest, NextWaitsForAnEventFromAnotherThread) {
  EventHub hub(Opts(), clock_);
  auto sub = hub.Subscribe(1);
  ASSERT_TRUE(sub->Next(milliseconds(0)));  // HELLO
  EXPECT_FALSE(sub->Next(milliseconds(10)));
  std::thread publisher([&] {
    std::this_thread::sleep_for(milliseconds(50));
    hub.AddEdgeEvents(Batch({Started("r1")}));
  });
  auto e = sub->Next(std::chrono::seconds(5));
  publisher.join();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->request_id(), "r1");
}

TEST_F(EventHubTest, ConfigChangedOnlyForANewerVersion) {
  EventHub hub(Opts(), clock_);
  auto sub = hub.Subscribe(10);
  hub.ConfigChanged(11, "provider a added");
  hub.ConfigChanged(11, "again");
  hub.ConfigChanged(9, "older");
  hub.ConfigChanged(12, "route chat updated");
  std::vector<Event> got = Drain(*sub);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].kind(), admin::v1::EVENT_KIND_CONFIG_CHANGED);
  EXPECT_EQ(got[1].config_version(), 11u);
  EXPECT_EQ(got[1].detail(), "provider a added");
  EXPECT_EQ(got[2].config_version(), 12u);
  EXPECT_EQ(hub.Subscribe(3)->Next(milliseconds(0))->config_version(), 12u)
      << "HELLO never goes back before a version announced";
}

TEST_F(EventHubTest, ShutdownEndsEveryStreamWithStackStopping) {
  EventHub hub(Opts(), clock_);
  hub.AddEdgeEvents(Batch({Started("r1")}));
  auto sub = hub.Subscribe(1);
  std::optional<Event> last;
  std::thread reader([&] {
    while (auto e = sub->Next(std::chrono::seconds(10))) last = *e;
  });
  std::this_thread::sleep_for(milliseconds(20));
  auto t0 = std::chrono::steady_clock::now();
  hub.Shutdown();
  reader.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2)) << "not the 10 s wait";
  ASSERT_TRUE(last);
  EXPECT_EQ(last->kind(), admin::v1::EVENT_KIND_STACK_STOPPING);
  EXPECT_EQ(last->active_requests(), 1);
  EXPECT_TRUE(sub->done());
  hub.Shutdown();  // again: nothing more

  // Afterwards nothing is published, and a late subscriber is told at once.
  hub.AddEdgeEvents(Batch({Finished("r1")}));
  hub.ConfigChanged(99, "late");
  auto late = hub.Subscribe(5);
  std::vector<Event> got = Drain(*late);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind(), admin::v1::EVENT_KIND_HELLO);
  EXPECT_EQ(got[1].kind(), admin::v1::EVENT_KIND_STACK_STOPPING);
  EXPECT_TRUE(late->done());
  EXPECT_EQ(hub.subscribers(), 0u);
}

}  // namespace
}  // namespace agentgate::router
