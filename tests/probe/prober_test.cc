// The Prober in-process against a real FakeUpstream on 127.0.0.1: the time limits (one request,
// a whole test), cancellation, overlapping calls, and connections the provider closed while idle.
#include "services/probe/prober.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "tests/fakes/fake_upstream.h"

namespace agentgate::probe {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int64_t MsSince(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t).count();
}

v1::TestProviderRequest ChatRequest(const fakes::FakeUpstream& fake) {
  v1::TestProviderRequest req;
  auto* p = req.mutable_provider();
  p->set_name("fake");
  p->set_type("deepseek");
  p->set_protocol(admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  p->set_base_url(fake.base_url());
  p->add_api_keys("sk-prober-test-key-0001");
  p->set_default_model("fake-model");
  return req;
}

fakes::ScriptedResponse Delayed(milliseconds delay) {
  fakes::ScriptedResponse r;
  r.body = fakes::ChatCompletionJson("fake-model", "pong", 11, 1, 0);
  r.delay_before_headers = delay;
  return r;
}

TEST(ProberTest, RequestBoundIsTheSmallerOfTheDefaultAndTheProviders) {
  fakes::FakeUpstream fake;
  fake.Enqueue(Delayed(milliseconds(3000)));
  Prober::Options opts;
  opts.request_timeout = milliseconds(400);
  Prober prober(opts);
  v1::TestProviderRequest req = ChatRequest(fake);
  req.mutable_provider()->set_timeout_ms(5000);  // larger than the default: the default wins
  auto t0 = Clock::now();
  auto r = prober.Test(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(MsSince(t0), 2000);
  EXPECT_FALSE(r->provider().ok());
  EXPECT_EQ(r->provider().http_status(), 0);
  EXPECT_EQ(r->provider().detail(), "no answer within 400 ms");

  fake.Enqueue(Delayed(milliseconds(3000)));
  req.mutable_provider()->set_timeout_ms(250);  // smaller: the provider's wins
  r = prober.Test(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->provider().detail(), "no answer within 250 ms");

  // The next test is not hurt by the connections the timeouts left behind.
  r = prober.Test(req);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->provider().ok()) << r->provider().detail();
}

TEST(ProberTest, AWholeTestIsBounded) {
  fakes::FakeUpstream fake;
  Prober::Options opts;
  opts.request_timeout = milliseconds(5000);
  opts.test_timeout = milliseconds(700);
  Prober prober(opts);
  // The ping answers after 400 ms, the image request would take 3 s: the test's limit cuts it,
  // and the model list after it is not even started.
  fake.Enqueue(Delayed(milliseconds(400)));
  fake.Enqueue(Delayed(milliseconds(3000)));
  v1::TestProviderRequest req = ChatRequest(fake);
  req.set_check_vision(true);
  req.set_list_models(true);
  auto t0 = Clock::now();
  auto r = prober.Test(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(MsSince(t0), 2000);
  EXPECT_TRUE(r->provider().ok()) << r->provider().detail();
  EXPECT_EQ(r->vision().capability(), admin::v1::CAPABILITY_UNKNOWN);
  EXPECT_NE(r->vision().detail().find("the test's time limit of 700 ms ran out"), std::string::npos)
      << r->vision().detail();
  EXPECT_FALSE(r->models().ok());
  EXPECT_NE(r->models().detail().find("time limit"), std::string::npos) << r->models().detail();
  EXPECT_EQ(fake.ReceivedCount(), 2u);  // ping and image; no model list
}

TEST(ProberTest, CancelledCallReturnsAtOnceAndTheProberStillStopsCleanly) {
  fakes::FakeUpstream fake;
  fake.Enqueue(Delayed(milliseconds(2000)));
  auto prober = std::make_unique<Prober>();
  auto t0 = Clock::now();
  auto r = prober->Test(ChatRequest(fake), [&] { return MsSince(t0) > 100; });
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled) << r.status();
  EXPECT_LT(MsSince(t0), 1000);
  prober.reset();  // the abandoned test is still waiting for the fake
}

TEST(ProberTest, OverlappingCallsInterleaveOnTheIoThread) {
  fakes::FakeUpstream fake;
  constexpr int kCalls = 4;
  for (int i = 0; i < kCalls; ++i) fake.Enqueue(Delayed(milliseconds(600)));
  Prober prober;
  std::atomic<int> passed{0};
  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] {
      auto r = prober.Test(ChatRequest(fake));
      if (r.ok() && r->provider().ok()) ++passed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(passed.load(), kCalls);
  EXPECT_LT(MsSince(t0), 600 * kCalls - 600);  // not one after the other
}

TEST(ProberTest, AConnectionClosedWhileIdleIsReplaced) {
  fakes::FakeUpstream fake;
  Prober prober;
  v1::TestProviderRequest req = ChatRequest(fake);
  // The answer keeps the connection open; the next request on it finds it closed by the
  // provider (the fake closes without answering) and is sent again on a new one.
  auto r = prober.Test(req);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->provider().ok()) << r->provider().detail();
  fakes::ScriptedResponse close;
  close.close_without_response = true;
  fake.Enqueue(close);
  r = prober.Test(req);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->provider().ok()) << r->provider().detail();
  EXPECT_EQ(fake.ReceivedCount(), 3u);
}

// When the provider step fails, the pass-through endpoints and the further keys are not tried:
// each says why; key 1 carries the provider step's failure.
TEST(ProberTest, EndpointsAndKeysWaitForTheProviderStep) {
  fakes::FakeUpstream fake;
  fakes::ScriptedResponse refused;
  refused.status = 401;
  refused.body = R"({"error":{"message":"Incorrect API key provided"}})";
  fake.Enqueue(refused);
  Prober prober;
  v1::TestProviderRequest req = ChatRequest(fake);
  req.mutable_provider()->add_api_keys("sk-prober-test-key-0002");
  req.mutable_provider()->set_anthropic_url(fake.base_url() + "/anthropic");
  req.mutable_provider()->set_responses_url(fake.base_url() + "/v1");
  auto r = prober.Test(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->ok());
  EXPECT_FALSE(r->provider().ok());
  EXPECT_TRUE(r->anthropic_endpoint().skipped());
  EXPECT_EQ(r->anthropic_endpoint().detail(), "not run: the provider step failed");
  EXPECT_TRUE(r->responses_endpoint().skipped());
  ASSERT_EQ(r->keys_size(), 2);
  EXPECT_FALSE(r->keys(0).ok());
  EXPECT_FALSE(r->keys(0).skipped());
  EXPECT_EQ(r->keys(0).http_status(), 401);
  EXPECT_EQ(r->keys(0).detail(), "key 1 of 2: HTTP 401: Incorrect API key provided");
  EXPECT_TRUE(r->keys(1).skipped());
  EXPECT_EQ(r->keys(1).detail(), "key 2 of 2: not run: the provider step failed");
  EXPECT_EQ(fake.ReceivedCount(), 1u);

  // An unusable config: nothing is sent, and each says so.
  req.mutable_provider()->set_base_url("ftp://nowhere");
  r = prober.Test(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->anthropic_endpoint().skipped());
  EXPECT_EQ(r->anthropic_endpoint().detail(), "not run: the config is not usable");
  ASSERT_EQ(r->keys_size(), 2);
  EXPECT_TRUE(r->keys(0).skipped());
  EXPECT_EQ(r->keys(0).detail(), "key 1 of 2: not run: the config is not usable");
  EXPECT_EQ(r->keys(1).detail(), "key 2 of 2: not run: the config is not usable");
  EXPECT_EQ(fake.ReceivedCount(), 1u);
}

// A Messages provider's anthropic_url is never used by the gateway (its base URL speaks
// Messages), so it is not tried; a URL that does not parse fails its result without a request.
TEST(ProberTest, UnusedOrBadEndpointUrls) {
  fakes::FakeUpstream fake;
  Prober prober;
  v1::TestProviderRequest req = ChatRequest(fake);
  auto* p = req.mutable_provider();
  p->set_type("anthropic");
  p->set_protocol(admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  p->set_anthropic_url(fake.base_url() + "/elsewhere");
  p->set_responses_url("ftp://not-http");
  auto r = prober.Test(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->provider().ok()) << r->provider().detail();
  EXPECT_TRUE(r->anthropic_endpoint().skipped());
  EXPECT_EQ(r->anthropic_endpoint().detail(),
            "not used: the provider speaks Messages at its base URL");
  EXPECT_FALSE(r->responses_endpoint().ok());
  EXPECT_FALSE(r->responses_endpoint().skipped());
  EXPECT_EQ(r->responses_endpoint().detail().rfind("bad responses_url: ", 0), 0u)
      << r->responses_endpoint().detail();
  EXPECT_EQ(r->keys_size(), 0);
  EXPECT_EQ(fake.ReceivedCount(), 1u);  // the native ping only
}

}  // namespace
}  // namespace agentgate::probe
