#include "services/routing/health.h"

#include <gtest/gtest.h>

namespace agentgate::routing {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // a wall-clock time in ms; the tests move it by hand

TEST(FailureTest, StatusesAreSortedIntoProviderAndRequestFaults) {
  EXPECT_EQ(FailureFromStatus(200), Failure::kNone);
  EXPECT_EQ(FailureFromStatus(429), Failure::kRateLimited);
  EXPECT_EQ(FailureFromStatus(402), Failure::kPayment);
  EXPECT_EQ(FailureFromStatus(401), Failure::kAuth);
  EXPECT_EQ(FailureFromStatus(403), Failure::kAuth);
  EXPECT_EQ(FailureFromStatus(404), Failure::kNotFound);
  EXPECT_EQ(FailureFromStatus(500), Failure::kServer);
  EXPECT_EQ(FailureFromStatus(503), Failure::kServer);
  EXPECT_EQ(FailureFromStatus(400), Failure::kRequest);
  EXPECT_EQ(FailureFromStatus(413), Failure::kRequest);
  EXPECT_EQ(FailureFromStatus(422), Failure::kRequest);
  for (Failure f : {Failure::kRateLimited, Failure::kPayment, Failure::kAuth, Failure::kNotFound,
                    Failure::kServer, Failure::kTimeout, Failure::kConnect}) {
    EXPECT_TRUE(MovesOn(f)) << FailureName(f);
  }
  EXPECT_FALSE(MovesOn(Failure::kRequest));
  EXPECT_FALSE(MovesOn(Failure::kNone));
}

TEST(HealthBoardTest, RetryAfterSetsTheCooldown) {
  HealthBoard b;
  EXPECT_TRUE(b.Record("a", Failure::kRateLimited, 0, 1, 30'000, kT0, "429 slow down"));
  EXPECT_NE(b.Admit("a", kT0 + 29'000), "");
  EXPECT_NE(b.Admit("a", kT0 + 29'000).find("Retry-After 30 s"), std::string::npos)
      << b.Admit("a", kT0 + 29'000);
  EXPECT_EQ(b.Admit("a", kT0 + 30'000), "");
  EXPECT_EQ(b.Admit("other", kT0), "");
}

TEST(HealthBoardTest, CooldownDoublesWithConsecutiveFailuresAndSuccessClearsIt) {
  HealthPolicy p;
  p.failures_to_open = 100;  // breaker out of the way
  HealthBoard b(p);
  b.Record("a", Failure::kServer, -1, 0, 0, kT0);
  EXPECT_EQ(b.Find("a")->cooldown_until_ms, kT0 + 2'000);
  b.Record("a", Failure::kServer, -1, 0, 0, kT0 + 2'000);
  EXPECT_EQ(b.Find("a")->cooldown_until_ms, kT0 + 2'000 + 4'000);
  b.Record("a", Failure::kTimeout, -1, 0, 0, kT0 + 6'000);
  EXPECT_EQ(b.Find("a")->cooldown_until_ms, kT0 + 6'000 + 8'000);
  for (int i = 0; i < 20; ++i) b.Record("a", Failure::kConnect, -1, 0, 0, kT0 + 20'000);
  EXPECT_EQ(b.Find("a")->cooldown_until_ms, kT0 + 20'000 + p.max_cooldown_ms);
  EXPECT_TRUE(b.Record("a", Failure::kNone, -1, 0, 0, kT0 + 21'000));
  EXPECT_EQ(b.Admit("a", kT0 + 21'000), "");
  EXPECT_EQ(b.Find("a")->consecutive_failures, 0);
}

TEST(HealthBoardTest, RequestFaultsCountAsAnAnswer) {
  HealthBoard b;
  EXPECT_FALSE(b.Record("a", Failure::kRequest, -1, 0, 0, kT0));
  EXPECT_EQ(b.Find("a"), nullptr);
  b.Record("a", Failure::kServer, -1, 0, 0, kT0);
  EXPECT_TRUE(b.Record("a", Failure::kRequest, -1, 0, 0, kT0 + 1));
  EXPECT_EQ(b.Admit("a", kT0 + 1), "");
}

TEST(HealthBoardTest, BreakerOpensHalfOpensAdmitsOneTrialAndCloses) {
  HealthBoard b;  // 3 failures open it for 30 s
  for (int i = 0; i < 3; ++i) b.Record("a", Failure::kServer, -1, 0, 0, kT0 + i);
  const ProviderHealth* h = b.Find("a");
  EXPECT_EQ(h->BreakerAt(kT0 + 10), Breaker::kOpen);
  EXPECT_NE(b.Admit("a", kT0 + 20'000).find("circuit open"), std::string::npos);
  // Half-open after 30 s: one trial goes through, the next waits for its outcome.
  int64_t later = kT0 + 2 + 30'000;
  EXPECT_EQ(h->BreakerAt(later), Breaker::kHalfOpen);
  EXPECT_EQ(b.Admit("a", later), "");
  EXPECT_NE(b.Admit("a", later + 1).find("trial"), std::string::npos);
  b.Record("a", Failure::kNone, -1, 0, 0, later + 100);
  EXPECT_EQ(b.Find("a")->BreakerAt(later + 100), Breaker::kClosed);
  EXPECT_EQ(b.Admit("a", later + 101), "");
  EXPECT_EQ(b.Admit("a", later + 102), "");
}

TEST(HealthBoardTest, AFailedTrialReopensForLonger) {
  HealthBoard b;
  for (int i = 0; i < 3; ++i) b.Record("a", Failure::kConnect, -1, 0, 0, kT0);
  int64_t half = kT0 + 30'000;
  EXPECT_EQ(b.Admit("a", half), "");
  b.Record("a", Failure::kConnect, -1, 0, 0, half + 10);
  const ProviderHealth* h = b.Find("a");
  EXPECT_EQ(h->BreakerAt(half + 10), Breaker::kOpen);
  EXPECT_EQ(h->open_until_ms, half + 10 + 60'000);  // doubled
  EXPECT_EQ(h->opens, 2);
}

TEST(HealthBoardTest, ALostTrialStopsBlockingAfterAMinute) {
  HealthBoard b;
  for (int i = 0; i < 3; ++i) b.Record("a", Failure::kConnect, -1, 0, 0, kT0);
  int64_t half = kT0 + 30'000;
  EXPECT_EQ(b.Admit("a", half), "");
  EXPECT_NE(b.Admit("a", half + 59'000), "");
  EXPECT_EQ(b.Admit("a", half + 60'000), "");
}

// An account pool: the first account serves while it can; a nearly spent one gives way to a
// fresher one, but is still used before none; a resting (spent) one is not used at all.
TEST(HealthBoardTest, AccountPoolsUseTheFirstFreshAccount) {
  HealthBoard b;
  EXPECT_EQ(PickAccountKey(ProviderHealth{}, {}, 3, kT0), 0);
  EXPECT_EQ(PickAccountKey(ProviderHealth{}, {}, 3, kT0), 0) << "no rotation";
  EXPECT_EQ(PickAccountKey(ProviderHealth{}, {kT0 + 1000, 0, 0}, 3, kT0), 1);
  EXPECT_EQ(PickAccountKey(ProviderHealth{}, {kT0 + 1000, 0, 0}, 3, kT0 + 1000), 0);  // reset
  EXPECT_EQ(PickAccountKey(ProviderHealth{}, {kT0 + 1000, kT0 + 1000}, 2, kT0), 0)
      << "all nearly spent: the first still serves";
  b.Record("a", Failure::kRateLimited, 0, 2, 3'600'000, kT0, "usage limit");
  const ProviderHealth& h = *b.Find("a");
  EXPECT_EQ(PickAccountKey(h, {0, kT0 + 1000}, 2, kT0), 1) << "low beats spent";
  b.Record("a", Failure::kRateLimited, 1, 2, 3'600'000, kT0, "usage limit");
  EXPECT_EQ(PickAccountKey(*b.Find("a"), {}, 2, kT0), -1);
}

TEST(HealthBoardTest, ARateLimitedKeyRestsWhileOthersServe) {
  HealthBoard b;
  uint64_t cursor = 0;
  EXPECT_EQ(PickKey(ProviderHealth{}, 3, &cursor, kT0), 0);
  EXPECT_EQ(PickKey(ProviderHealth{}, 3, &cursor, kT0), 1);
  EXPECT_EQ(PickKey(ProviderHealth{}, 3, &cursor, kT0), 2);
  EXPECT_EQ(PickKey(ProviderHealth{}, 3, &cursor, kT0), 0);

  EXPECT_TRUE(b.Record("a", Failure::kRateLimited, 1, 3, 10'000, kT0, "429"));
  EXPECT_EQ(b.Admit("a", kT0), "") << "other keys are left: the provider is not cooled";
  const ProviderHealth& h = *b.Find("a");
  cursor = 1;
  EXPECT_EQ(PickKey(h, 3, &cursor, kT0), 2);  // key 1 skipped
  EXPECT_EQ(PickKey(h, 3, &cursor, kT0), 0);
  EXPECT_EQ(PickKey(h, 3, &cursor, kT0), 2);
  EXPECT_EQ(PickKey(h, 3, &cursor, kT0 + 10'000), 0);
  EXPECT_EQ(PickKey(h, 3, &cursor, kT0 + 10'000), 1);  // rested

  // Every key limited: then the provider cools down.
  b.Record("a", Failure::kRateLimited, 0, 3, 10'000, kT0);
  EXPECT_EQ(b.Admit("a", kT0), "");
  b.Record("a", Failure::kRateLimited, 2, 3, 10'000, kT0);
  EXPECT_NE(b.Admit("a", kT0), "");
  EXPECT_EQ(PickKey(*b.Find("a"), 3, &cursor, kT0), -1);
  // A success on one key clears that key only.
  b.Record("a", Failure::kNone, 2, 3, 0, kT0 + 1);
  EXPECT_EQ(b.Find("a")->keys.count(2), 0u);
  EXPECT_EQ(b.Find("a")->keys.count(0), 1u);
}

TEST(HealthBoardTest, MergeAdoptsTheRoutersStricterViewButNotStaleOnes) {
  HealthBoard router, edge;
  for (int i = 0; i < 3; ++i) router.Record("a", Failure::kServer, -1, 0, 0, kT0);
  edge.Merge("a", *router.Find("a"));
  EXPECT_NE(edge.Admit("a", kT0 + 1), "");
  EXPECT_EQ(edge.Find("a")->BreakerAt(kT0 + 1), Breaker::kOpen);

  // The edge saw a success after the router's last failure: the stale view is not adopted.
  HealthBoard fresh;
  fresh.Record("b", Failure::kServer, -1, 0, 0, kT0);
  fresh.Record("b", Failure::kNone, -1, 0, 0, kT0 + 5'000);
  router.Record("b", Failure::kServer, -1, 0, 0, kT0);
  fresh.Merge("b", *router.Find("b"));
  EXPECT_EQ(fresh.Admit("b", kT0 + 5'001), "");

  // A healthy entry adds nothing.
  edge.Merge("c", ProviderHealth{});
  EXPECT_EQ(edge.Find("c"), nullptr);
}

TEST(HealthBoardTest, AnOperatorsResetReachesTheEdgesBoard) {
  HealthBoard router, edge;
  for (int i = 0; i < 3; ++i) edge.Record("a", Failure::kServer, -1, 0, 0, kT0);
  EXPECT_NE(edge.Admit("a", kT0 + 1), "");
  router.Reset("a", kT0 + 5);
  edge.Merge("a", *router.Find("a"));
  EXPECT_EQ(edge.Admit("a", kT0 + 6), "");
  // The same reset seen again changes nothing: failures after it count.
  edge.Record("a", Failure::kServer, -1, 0, 30'000, kT0 + 7);
  edge.Merge("a", *router.Find("a"));
  EXPECT_NE(edge.Admit("a", kT0 + 8), "");
}

// A reset the edge learns before it knows anything of the provider is remembered too: merged
// again later (with the next snapshot), it must not wipe a key's rest the edge learnt since.
TEST(HealthBoardTest, AResetSeenFirstIsNotReplayedOverNewerState) {
  HealthBoard router, edge;
  router.Reset("a", kT0);
  edge.Merge("a", *router.Find("a"));
  edge.Record("a", Failure::kRateLimited, 0, 3, 60'000, kT0 + 10);  // key 0 rests a minute
  edge.Merge("a", *router.Find("a"));
  ASSERT_NE(edge.Find("a"), nullptr);
  ASSERT_EQ(edge.Find("a")->keys.count(0), 1u);
  EXPECT_GT(edge.Find("a")->keys.at(0).cooldown_until_ms, kT0 + 20);
}

TEST(HealthBoardTest, RetainForgetsDeletedProviders) {
  HealthBoard b;
  b.Record("a", Failure::kServer, -1, 0, 0, kT0);
  b.Record("b", Failure::kServer, -1, 0, 0, kT0);
  b.Retain({"b"});
  EXPECT_EQ(b.Find("a"), nullptr);
  EXPECT_NE(b.Find("b"), nullptr);
}

}  // namespace
}  // namespace agentgate::routing

namespace agentgate::routing {
namespace {

TEST(RetryDelayTest, BacksOffWithJitterHonoursRetryAfterAndStops) {
  RetryPolicy p;  // 2 retries, 250 ms doubling, Retry-After up to 10 s
  EXPECT_EQ(RetryDelayMs(p, Failure::kServer, 0, 0, 0.0, 60'000), 250);
  EXPECT_EQ(RetryDelayMs(p, Failure::kServer, 0, 0, 1.0, 60'000), 125);
  EXPECT_EQ(RetryDelayMs(p, Failure::kConnect, 1, 0, 0.0, 60'000), 500);
  EXPECT_EQ(RetryDelayMs(p, Failure::kServer, 2, 0, 0.0, 60'000), -1);  // retries used up
  EXPECT_EQ(RetryDelayMs(p, Failure::kRateLimited, 0, 3'000, 0.5, 60'000), 3'000);
  EXPECT_EQ(RetryDelayMs(p, Failure::kRateLimited, 0, 30'000, 0.5, 60'000), -1);
  EXPECT_EQ(RetryDelayMs(p, Failure::kServer, 0, 0, 0.0, 100), -1);  // past the deadline
  for (Failure f : {Failure::kAuth, Failure::kPayment, Failure::kNotFound, Failure::kRequest,
                    Failure::kTimeout}) {
    EXPECT_EQ(RetryDelayMs(p, f, 0, 0, 0.0, 60'000), -1) << FailureName(f);
  }
}

}  // namespace
}  // namespace agentgate::routing
