// Session affinity through the real services: a conversation stays on the provider and key of
// its last answer while they are healthy; other conversations are spread as before.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
using fakes::ScriptedResponse;

std::string Conversation(const std::string& first_words) {
  boost::json::object body{
      {"model", "m"},
      {"messages",
       boost::json::array{boost::json::object{{"role", "system"}, {"content", "be brief"}},
                          boost::json::object{{"role", "user"}, {"content", first_words}}}}};
  return boost::json::serialize(body);
}

class AffinityTest : public ::testing::Test {
 protected:
  void SetUp() override { stack_.Start(); }
  // Once the router heard of the failure (edges report outcomes in batches: a reset before
  // would be undone by the report), an operator's reset.
  void ResetHealth(const std::string& provider) {
    for (int i = 0; i < 200; ++i) {
      admin::v1::GetProviderRequest get;
      get.set_name(provider);
      admin::v1::Provider p;
      auto ctx = stack_.AdminContext();
      if (stack_.Admin()->GetProvider(ctx.get(), get, &p).ok() &&
          p.status().consecutive_failures() > 0) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    admin::v1::ResetProviderHealthRequest req;
    req.set_name(provider);
    admin::v1::Provider resp;
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->ResetProviderHealth(ctx.get(), req, &resp).ok());
    ASSERT_TRUE(stack_.SyncEdge());
  }
  Stack stack_;
};

// The conversation moved to the second provider when the first failed; the first is healthy
// again, but the conversation stays where its prompt cache is. A new conversation starts on the
// first, as the chain says.
TEST_F(AffinityTest, AConversationStaysWhereItsCacheIs) {
  FakeUpstream first, second;
  stack_.AddProvider("first", first.base_url(), "k1", "m");
  stack_.AddProvider("second", second.base_url(), "k2", "m");
  ScriptedResponse down;
  down.status = 503;
  down.body = R"({"error":{"message":"overloaded"}})";
  first.Enqueue(down);
  const std::string x = Conversation("fix the parser");
  HttpResponse r = stack_.Chat(x);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "second");
  ResetHealth("first");

  r = stack_.Chat(x);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "second") << "the conversation stays";
  r = stack_.Chat(Conversation("write the docs"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "first") << "a new one follows the chain";

  // Claude Code names its session: that, not the prefix, is the conversation.
  std::map<std::string, std::string> session{{"X-Claude-Code-Session-Id", "s-1"}};
  r = stack_.Chat(Conversation("one"), session);
  EXPECT_EQ(r.headers["x-agentgate-provider"], "first");
  first.Enqueue(down);
  r = stack_.Chat(Conversation("two"), session);  // moved by a failure
  EXPECT_EQ(r.headers["x-agentgate-provider"], "second");
  ResetHealth("first");
  r = stack_.Chat(Conversation("three"), session);
  EXPECT_EQ(r.headers["x-agentgate-provider"], "second");
}

// A provider with two keys: each conversation keeps its key (round-robin would alternate), and
// a key that is limited gives way at once.
TEST_F(AffinityTest, AConversationKeepsItsKey) {
  FakeUpstream up;
  admin::v1::CreateProviderRequest req;
  req.mutable_provider()->set_name("pool");
  req.mutable_provider()->set_type("custom_openai_compatible");
  req.mutable_provider()->set_base_url(up.base_url());
  req.mutable_provider()->set_default_model("m");
  req.set_api_key("key-one");
  req.add_more_api_keys("key-two");
  admin::v1::Provider created;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->CreateProvider(ctx.get(), req, &created).ok());
  }
  ASSERT_TRUE(stack_.SyncEdge());
  const std::string x = Conversation("refactor the cache");
  for (int i = 0; i < 4; ++i) ASSERT_EQ(stack_.Chat(x).status, 200);
  auto got = up.Received();
  ASSERT_EQ(got.size(), 4u);
  const std::string key = got[0].headers["authorization"];
  for (auto& g : got) EXPECT_EQ(g.headers["authorization"], key);

  ScriptedResponse limited;
  limited.status = 429;
  limited.body = R"({"error":{"message":"slow down"}})";
  up.Enqueue(limited);
  up.ClearReceived();
  ASSERT_EQ(stack_.Chat(x).status, 200);
  got = up.Received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers["authorization"], key);
  EXPECT_NE(got[1].headers["authorization"], key) << "the other key at once";
  up.ClearReceived();
  ASSERT_EQ(stack_.Chat(x).status, 200);
  EXPECT_NE(up.Received().at(0).headers["authorization"], key) << "and it stays there";
}

}  // namespace
}  // namespace agentgate::testing
