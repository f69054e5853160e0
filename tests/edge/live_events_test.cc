#include "services/edge/live_events.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace agentgate::edge {
namespace {

using admin::v1::Event;

admin::v1::RequestLog Rec() {
  admin::v1::RequestLog r;
  r.set_request_id("req_1");
  r.set_started_at_ms(1000);
  r.set_client_protocol(admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES);
  r.set_model_requested("claude-sonnet-4-5");
  r.set_edge_id("edge-7");
  return r;
}

TEST(LiveEventsTest, StartedCarriesWhoAskedForWhat) {
  Event e = StartedEvent(Rec());
  EXPECT_EQ(e.kind(), admin::v1::EVENT_KIND_REQUEST_STARTED);
  EXPECT_EQ(e.request_id(), "req_1");
  EXPECT_EQ(e.client(), "claude");
  EXPECT_EQ(e.model(), "claude-sonnet-4-5");
  EXPECT_EQ(e.edge_id(), "edge-7");
  EXPECT_EQ(e.at_ms(), 1000);
  EXPECT_EQ(e.status(), 0);
  EXPECT_FALSE(e.has_cost_usd());
}

TEST(LiveEventsTest, FinishedCarriesTheAnswer) {
  admin::v1::RequestLog r = Rec();
  r.set_provider("deepseek");
  r.set_status(200);
  r.set_latency_ms(1234);
  r.set_input_tokens(11);
  r.set_output_tokens(5);
  Event unpriced = FinishedEvent(r, 5000);
  EXPECT_EQ(unpriced.kind(), admin::v1::EVENT_KIND_REQUEST_FINISHED);
  EXPECT_EQ(unpriced.at_ms(), 5000);
  EXPECT_EQ(unpriced.provider(), "deepseek");
  EXPECT_EQ(unpriced.status(), 200);
  EXPECT_EQ(unpriced.latency_ms(), 1234);
  EXPECT_EQ(unpriced.input_tokens(), 11);
  EXPECT_EQ(unpriced.output_tokens(), 5);
  EXPECT_FALSE(unpriced.has_cost_usd()) << "unknown, not zero";
  r.set_cost_usd(0.25);
  r.set_error(std::string(1000, 'x'));
  Event priced = FinishedEvent(r, 5000);
  EXPECT_TRUE(priced.has_cost_usd());
  EXPECT_DOUBLE_EQ(priced.cost_usd(), 0.25);
  EXPECT_EQ(priced.error().size(), 300u) << "kept short";
}

TEST(LiveEventsTest, ShortTextCutsBetweenCharacters) {
  EXPECT_EQ(ShortText("abc", 5), "abc");
  EXPECT_EQ(ShortText("abcdef", 3), "abc");
  // "中" is three bytes: a cut inside it falls before it.
  EXPECT_EQ(ShortText("a\xE4\xB8\xAD"
                      "b",
                      2),
            "a");
  EXPECT_EQ(ShortText("a\xE4\xB8\xAD"
                      "b",
                      4),
            "a\xE4\xB8\xAD");
}

TEST(LiveEventsTest, EveryFinishedHasItsStartedOnce) {
  EventQueue q(10);
  {
    RequestEvents live(&q);
    live.Started(Rec());
    live.Started(Rec());
    live.Finished(Rec());
  }
  {
    RequestEvents refused_early(&q);  // FINISHED without a Started call first
    refused_early.Finished(Rec());
  }
  {
    RequestEvents unauthenticated(nullptr);
    unauthenticated.Started(Rec());
    unauthenticated.Finished(Rec());
  }
  auto events = q.PopBatch(100, std::chrono::milliseconds(0));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind(), admin::v1::EVENT_KIND_REQUEST_STARTED);
  EXPECT_EQ(events[1].kind(), admin::v1::EVENT_KIND_REQUEST_FINISHED);
  EXPECT_EQ(events[2].kind(), admin::v1::EVENT_KIND_REQUEST_STARTED);
  EXPECT_EQ(events[3].kind(), admin::v1::EVENT_KIND_REQUEST_FINISHED);
}

TEST(LiveEventsTest, AFullQueueDropsAndCounts) {
  EventQueue q(3);
  for (int i = 0; i < 3; ++i) RequestEvents(&q).Finished(Rec());
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.dropped(), 3);
}

TEST(LiveEventsTest, DrainTakesAtMostMaxAndSkipsStaleOnes) {
  EventQueue q(10);
  admin::v1::RequestLog old = Rec();
  old.set_started_at_ms(1000);
  q.Push(StartedEvent(old));
  for (int i = 0; i < 4; ++i) q.Push(FinishedEvent(Rec(), 40'000 + i));
  control::v1::OutcomeBatch batch;
  EXPECT_EQ(DrainEvents(q, 3, 40'500, &batch), 1) << "the 39.5 s old one";
  ASSERT_EQ(batch.events_size(), 2);
  EXPECT_EQ(batch.events(0).at_ms(), 40'000);
  EXPECT_EQ(batch.events(1).at_ms(), 40'001);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(DrainEvents(q, 100, 40'500, &batch), 0);
  EXPECT_EQ(batch.events_size(), 4);
  EXPECT_EQ(DrainEvents(q, 100, 40'500, &batch), 0);
  EXPECT_EQ(batch.events_size(), 4);
}

}  // namespace
}  // namespace agentgate::edge
