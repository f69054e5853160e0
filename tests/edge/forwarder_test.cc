// The failover policy on a manual clock: a scripted attempt in place of the upstream relay, and
// waits that move the clock instead of sleeping.
#include "services/edge/forwarder.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

namespace agentgate::edge {
namespace {

namespace asio = net::asio;
using namespace std::chrono_literals;

struct Call {
  std::string provider;
  int key;
};

class ForwarderTest : public ::testing::Test {
 protected:
  ForwarderTest()
      : forwarder_(
            retry_, {}, clock_,
            [this](std::chrono::milliseconds d) -> asio::awaitable<void> {
              waits_.push_back(d.count());
              clock_.Advance(d);
              co_return;
            },
            [] { return 0.0; }) {}

  routing::ProviderEntry& Provider(const std::string& name, int keys = 1) {
    auto& p = providers_[name];
    p.name = name;
    p.keys.assign(static_cast<size_t>(keys), "k");
    return p;
  }
  std::vector<routing::Candidate> Plan(std::initializer_list<std::string> names) {
    std::vector<routing::Candidate> out;
    for (const auto& n : names) {
      routing::Candidate c;
      c.provider = &providers_.at(n);
      out.push_back(c);
    }
    return out;
  }
  // What the next attempt at `provider` returns; an error the relay may not hold back (the
  // caller says no further attempt may follow) reaches the client: sent.
  void Script(const std::string& provider, int status, int64_t retry_after_ms = 0) {
    Attempt a;
    a.status = status;
    a.kind =
        status < 400 ? control::v1::OUTCOME_KIND_SUCCESS : control::v1::OUTCOME_KIND_HTTP_ERROR;
    a.retry_after_ms = retry_after_ms;
    a.error = provider + " answered HTTP " + std::to_string(status);
    script_[provider].push_back(a);
  }
  void Script(const std::string& provider, Attempt a) { script_[provider].push_back(a); }

  Forwarder::Result Run(const std::vector<routing::Candidate>& plan,
                        std::chrono::milliseconds budget = 90s) {
    Forwarder::Hooks hooks;
    hooks.attempt = [this](const routing::Candidate& cand, int key,
                           const MoveOnFn& can_move_on) -> asio::awaitable<Attempt> {
      calls_.push_back({cand.provider->name, key});
      auto& q = script_[cand.provider->name];
      Attempt a;
      if (q.empty()) {
        a.kind = control::v1::OUTCOME_KIND_SUCCESS;
        a.status = 200;
      } else {
        a = q.front();
        q.pop_front();
      }
      clock_.Advance(std::chrono::milliseconds(a.latency_ms));
      routing::Failure f = FailureOf(a);
      if (f == routing::Failure::kNone) {
        a.sent = true;
      } else if (a.kind == control::v1::OUTCOME_KIND_HTTP_ERROR && routing::MovesOn(f) &&
                 !a.no_retry && !can_move_on(f, a.retry_after_ms)) {
        a.sent = true;  // the provider's error, relayed as it is
      } else if (a.kind == control::v1::OUTCOME_KIND_HTTP_ERROR && !routing::MovesOn(f)) {
        a.sent = true;  // a request error is the client's: relayed
      }
      co_return a;
    };
    hooks.failover = [this](const std::string& p) { failovers_.push_back(p); };
    asio::io_context ioc;
    Forwarder::Result result;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
          result = co_await forwarder_.Run(plan, clock_.Steady() + budget, hooks);
        },
        asio::detached);
    ioc.run();
    return result;
  }

  routing::RetryPolicy retry_;
  ManualClock clock_;
  Forwarder forwarder_;
  std::map<std::string, routing::ProviderEntry> providers_;
  std::map<std::string, std::deque<Attempt>> script_;
  std::vector<Call> calls_;
  std::vector<int64_t> waits_;
  std::vector<std::string> failovers_;
};

TEST_F(ForwarderTest, AFailedProviderFailsOverToTheNextAtOnce) {
  Provider("a");
  Provider("b");
  Script("a", 503);
  auto r = Run(Plan({"a", "b"}));
  EXPECT_TRUE(r.sent);
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[0].provider, "a");
  EXPECT_EQ(calls_[1].provider, "b");
  EXPECT_TRUE(waits_.empty()) << "the next provider, not a wait";
  EXPECT_EQ(failovers_, std::vector<std::string>{"a"});
  // The next request avoids the provider that just failed (cooling down).
  EXPECT_NE(forwarder_.Unavailable("a"), "");
  EXPECT_EQ(forwarder_.Unavailable("b"), "");
}

TEST_F(ForwarderTest, TheLastProviderIsRetriedWithBackoff) {
  Provider("a");
  Script("a", 503);
  Script("a", 502);
  auto r = Run(Plan({"a"}));
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(calls_.size(), 3u);
  EXPECT_EQ(waits_, (std::vector<int64_t>{250, 500}));  // doubled per retry, no jitter
}

TEST_F(ForwarderTest, ARetryAfterIsWaitedForWhenShortAndRelayedWhenLong) {
  Provider("a");
  Script("a", 429, 3000);
  auto r = Run(Plan({"a"}));
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(waits_, std::vector<int64_t>{3000});
  calls_.clear();
  waits_.clear();
  clock_.Advance(10min);    // the cooldown is over
  Script("a", 429, 60000);  // longer than max_retry_after_ms: the 429 goes to the client
  r = Run(Plan({"a"}));
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(r.last.status, 429);
  EXPECT_EQ(calls_.size(), 1u);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ForwarderTest, ALimitedKeyGivesWayToTheNextKeyAtOnce) {
  Provider("a", 3);
  Script("a", 429);
  Script("a", 401);
  auto r = Run(Plan({"a"}));
  EXPECT_TRUE(r.sent);
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_NE(calls_[0].key, calls_[1].key);
  EXPECT_NE(calls_[1].key, calls_[2].key);
  EXPECT_NE(calls_[0].key, calls_[2].key);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ForwarderTest, AnAnswerOutsideTheRulesIsNotAskedForAgain) {
  Provider("a");
  Provider("b");
  Attempt redirect;
  redirect.kind = control::v1::OUTCOME_KIND_HTTP_ERROR;
  redirect.status = 502;
  redirect.no_retry = true;
  redirect.error = "a answered HTTP 302 (a redirect)";
  Script("a", redirect);
  auto r = Run(Plan({"a"}));
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.last.error, "a answered HTTP 302 (a redirect)");
  // With another provider, that one serves.
  clock_.Advance(10min);
  calls_.clear();
  Script("a", redirect);
  r = Run(Plan({"a", "b"}));
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(calls_.back().provider, "b");
}

TEST_F(ForwarderTest, TheDeadlineAndTheAttemptBudgetEndTheTries) {
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g", "h"}) {
    Provider(name);
    Attempt slow;
    slow.kind = control::v1::OUTCOME_KIND_CONNECT_ERROR;
    slow.error = "refused";
    slow.latency_ms = 20000;  // each attempt takes 20 s of the 90 s budget
    Script(name, slow);
  }
  auto r = Run(Plan({"a", "b", "c", "d", "e", "f", "g", "h"}));
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(calls_.size(), 5u);  // 0, 20, 40, 60, 80 s: after 100 s no new attempt
  calls_.clear();
  clock_.Advance(10min);
  ASSERT_EQ(forwarder_.retry().max_attempts, 6);
  for (auto& [name, q] : script_) {
    Attempt fast;
    fast.kind = control::v1::OUTCOME_KIND_CONNECT_ERROR;
    q.assign(1, fast);
  }
  r = Run(Plan({"a", "b", "c", "d", "e", "f", "g", "h"}));
  EXPECT_EQ(calls_.size(), 6u);  // max_attempts
}

// Mid-stream failover: a stream cut after 2 minutes of answer is continued although the
// request's 90 s budget is long gone; the last provider continues its own cut after a backoff.
TEST_F(ForwarderTest, ACutStreamIsContinuedWithATimeBudgetOfItsOwn) {
  Provider("a");
  Provider("b");
  Attempt cut;
  cut.kind = control::v1::OUTCOME_KIND_STREAM_CUT;
  cut.status = 200;
  cut.cut_continues = true;
  cut.latency_ms = 120000;
  Script("a", cut);
  Script("b", cut);
  auto r = Run(Plan({"a", "b"}));
  EXPECT_TRUE(r.sent);
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_EQ(calls_[1].provider, "b");
  EXPECT_EQ(calls_[2].provider, "b");  // the last provider, again
  EXPECT_EQ(waits_.size(), 1u);        // after a backoff, like a dropped connection
}

// A candidate the attempt skips (a pass-through cannot continue a cut stream) costs no attempt
// and no verdict on its provider.
TEST_F(ForwarderTest, ASkippedCandidateIsPassedWithoutAVerdict) {
  Provider("a");
  Provider("b");
  Attempt skip;
  skip.skipped = true;
  Script("a", skip);
  auto r = Run(Plan({"a", "b"}));
  EXPECT_TRUE(r.sent);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(calls_.back().provider, "b");
  EXPECT_EQ(forwarder_.Unavailable("a"), "");
}

// Session affinity: the conversation's key first, unless it is resting.
TEST_F(ForwarderTest, ThePreferredKeyFirstUnlessItRests) {
  Provider("a", 3);
  auto run = [&](int preferred) {
    calls_.clear();
    Forwarder::Hooks h;
    h.preferred_key = [preferred](const routing::ProviderEntry&) { return preferred; };
    h.attempt = [this](const routing::Candidate& cand, int key,
                       const MoveOnFn&) -> asio::awaitable<Attempt> {
      calls_.push_back({cand.provider->name, key});
      Attempt a;
      auto& q = script_[cand.provider->name];
      if (q.empty()) {
        a.kind = control::v1::OUTCOME_KIND_SUCCESS;
        a.status = 200;
        a.sent = true;
      } else {
        a = q.front();
        q.pop_front();
      }
      co_return a;
    };
    const std::vector<routing::Candidate> plan = Plan({"a"});
    asio::io_context ioc;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> { co_await forwarder_.Run(plan, clock_.Steady() + 90s, h); },
        asio::detached);
    ioc.run();
  };
  run(2);
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].key, 2);
  run(2);
  EXPECT_EQ(calls_[0].key, 2) << "again: not the next in turn";
  // Key 2 is limited: it rests, and the preferred key gives way to a fresh one.
  Script("a", 429);
  run(2);
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[0].key, 2);
  EXPECT_NE(calls_[1].key, 2);
  run(2);
  EXPECT_NE(calls_[0].key, 2) << "a resting key is not held to";
  run(7);  // out of range: ignored
  EXPECT_GE(calls_[0].key, 0);
  EXPECT_LT(calls_[0].key, 3);
}

TEST_F(ForwarderTest, AClientThatLeftEndsItAndSaysNothingOfTheProvider) {
  Provider("a");
  Provider("b");
  Attempt gone;
  gone.client_gone = true;
  gone.sent = true;
  Script("a", gone);
  auto r = Run(Plan({"a", "b"}));
  EXPECT_TRUE(r.last.client_gone);
  EXPECT_EQ(calls_.size(), 1u);
  EXPECT_EQ(forwarder_.Unavailable("a"), "");
}

TEST_F(ForwarderTest, ACandidateThatFailedMeanwhileIsPassedOver) {
  Provider("a");
  Provider("b");
  Script("a", 503);
  Run(Plan({"a", "b"}));  // a cools down
  calls_.clear();
  auto r = Run(Plan({"a", "b"}));  // a plan made before: a is admitted no more
  EXPECT_TRUE(r.sent);
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].provider, "b");
  EXPECT_NE(r.passed_over.find("a: "), std::string::npos);
  // Nothing admitted at all: no attempt, and why.
  calls_.clear();
  r = Run(Plan({"a"}));
  EXPECT_EQ(r.attempts, 0);
  EXPECT_TRUE(calls_.empty());
  EXPECT_FALSE(r.passed_over.empty());
}

TEST_F(ForwarderTest, APrepareErrorIsABadRequest) {
  Provider("a");
  Forwarder::Hooks hooks;
  hooks.prepare = [](const routing::Candidate&) {
    return absl::InvalidArgumentError("'messages' must be an array");
  };
  hooks.attempt = [](const routing::Candidate&, int, const MoveOnFn&) -> asio::awaitable<Attempt> {
    ADD_FAILURE() << "no attempt after a bad request";
    co_return Attempt{};
  };
  asio::io_context ioc;
  Forwarder::Result r;
  auto plan = Plan({"a"});
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        r = co_await forwarder_.Run(plan, clock_.Steady() + 90s, hooks);
      },
      asio::detached);
  ioc.run();
  EXPECT_EQ(r.bad_request.message(), "'messages' must be an array");
}

}  // namespace
}  // namespace agentgate::edge
