#include "services/router/health_events.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace agentgate::router {
namespace {

using admin::v1::Event;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

class HealthEventsTest : public ::testing::Test {
 protected:
  HealthEventsTest() : hub_(EventHub::Options(), clock_), events_(health_, hub_, clock_) {
    sub_ = hub_.Subscribe(1);
    sub_->Next(milliseconds(0));  // HELLO
  }

  // An outcome folded in as ControlServiceImpl does: Check when the board says it changed.
  void Report(const std::string& provider, control::v1::OutcomeKind kind, int status, int key = -1,
              int key_count = 1, int64_t retry_after_ms = 0) {
    control::v1::Outcome o;
    o.set_provider(provider);
    o.set_kind(kind);
    o.set_status(status);
    o.set_key_index(key);
    o.set_key_count(key_count);
    o.set_retry_after_ms(retry_after_ms);
    o.set_at_ms(now_);
    o.set_error(provider + " answered HTTP " + std::to_string(status));
    if (health_.Record(o, now_)) events_.Check(provider, &o);
  }
  void Fail(const std::string& provider, int status = 500) {
    Report(provider, control::v1::OUTCOME_KIND_HTTP_ERROR, status);
  }
  void Succeed(const std::string& provider) {
    Report(provider, control::v1::OUTCOME_KIND_SUCCESS, 200);
  }
  std::vector<Event> Got() {
    std::vector<Event> out;
    while (auto e = sub_->Next(milliseconds(0))) out.push_back(*e);
    return out;
  }

  std::atomic<int64_t> now_{1'700'000'000'000};
  EventHub::Clock clock_ = [this] { return now_.load(); };
  HealthState health_;  // default policy: 2 s first cooldown, 3 failures open for 30 s
  EventHub hub_;
  HealthEvents events_;
  std::shared_ptr<EventHub::Subscription> sub_;
};

TEST_F(HealthEventsTest, ACooldownStartsAndRunsOut) {
  Fail("a", 429);
  std::vector<Event> got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind(), admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  EXPECT_EQ(got[0].provider(), "a");
  EXPECT_EQ(got[0].detail(), "cooling down for 2s (429)");
  EXPECT_EQ(got[0].error(), "a answered HTTP 429");
  EXPECT_EQ(got[0].at_ms(), now_.load());

  Fail("a", 429);  // still cooling down: no news
  EXPECT_TRUE(Got().empty());
  events_.Tick();
  EXPECT_TRUE(Got().empty());

  now_ += 5000;  // the second cooldown (4 s) ran out
  events_.Tick();
  got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].provider(), "a");
  EXPECT_EQ(got[0].detail(), "available again");
  EXPECT_EQ(got[0].error(), "");
  events_.Tick();
  EXPECT_TRUE(Got().empty());
}

TEST_F(HealthEventsTest, TheBreakerOpensTurnsHalfOpenAndCloses) {
  Fail("b");
  Fail("b");
  Fail("b");
  std::vector<Event> got = Got();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_THAT(got[0].detail(), HasSubstr("cooling down"));
  EXPECT_EQ(got[1].detail(), "breaker open for 30s after 3 failures (500)");
  now_ += 30'000;
  events_.Tick();
  got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].detail(), "breaker half-open: the next request is a trial");
  Succeed("b");
  got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].detail(), "available again");
}

TEST_F(HealthEventsTest, ATimeoutIsNamedWhenThereIsNoStatus) {
  Report("c", control::v1::OUTCOME_KIND_TIMEOUT, 0);
  std::vector<Event> got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].detail(), "cooling down for 2s (timeout)");
}

TEST_F(HealthEventsTest, OneKeyOfAPoolRestingIsNoNews) {
  Report("pool", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, /*key=*/0, /*key_count=*/2);
  EXPECT_TRUE(Got().empty());
  Report("pool", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, /*key=*/1, /*key_count=*/2);
  std::vector<Event> got = Got();
  ASSERT_EQ(got.size(), 1u) << "every key rests: the provider cools down";
  EXPECT_THAT(got[0].detail(), HasSubstr("cooling down"));
}

TEST_F(HealthEventsTest, AResetIsAvailableAgainAndADeletedProviderIsForgotten) {
  Fail("d");
  Fail("e");
  EXPECT_EQ(Got().size(), 2u);
  health_.Reset("d");
  events_.Check("d");
  std::vector<Event> got = Got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].provider(), "d");
  EXPECT_EQ(got[0].detail(), "available again");
  health_.Retain({"d"});  // e deleted
  now_ += 60'000;
  events_.Tick();
  EXPECT_TRUE(Got().empty());
}

TEST_F(HealthEventsTest, StartTicksOnItsOwnThreadUntilStop) {
  Fail("f");
  EXPECT_EQ(Got().size(), 1u);
  now_ += 10'000;
  events_.Start(milliseconds(10));
  auto e = sub_->Next(std::chrono::seconds(5));
  events_.Stop();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->detail(), "available again");
}

TEST(AvailabilityTest, FromTheHealthAtATime) {
  routing::ProviderHealth h;
  EXPECT_EQ(AvailabilityOf(h, 1000), Availability::kAvailable);
  h.cooldown_until_ms = 2000;
  EXPECT_EQ(AvailabilityOf(h, 1000), Availability::kCoolingDown);
  EXPECT_EQ(AvailabilityOf(h, 2000), Availability::kAvailable);
  h.breaker = routing::Breaker::kOpen;
  h.open_until_ms = 5000;
  EXPECT_EQ(AvailabilityOf(h, 1000), Availability::kBreakerOpen);
  EXPECT_EQ(AvailabilityOf(h, 5000), Availability::kHalfOpen);
  h.last_error = "boom";
  h.consecutive_failures = 1;
  EXPECT_EQ(AvailabilityDetail(Availability::kBreakerOpen, h, 1000, nullptr),
            "breaker open for 4s after 1 failure (boom)");
}

}  // namespace
}  // namespace agentgate::router
