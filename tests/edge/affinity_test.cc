#include "services/edge/affinity.h"

#include <gtest/gtest.h>

#include <boost/beast/http/fields.hpp>

namespace agentgate::edge {
namespace {

namespace http = boost::beast::http;

TEST(AffinityTest, RemembersTheLastSeatUntilItExpires) {
  Affinity a(/*capacity=*/10, /*ttl_ms=*/1000);
  EXPECT_FALSE(a.Find("c", 0));
  a.Remember("c", Seat{"deepseek", 1}, 0);
  auto s = a.Find("c", 500);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->provider, "deepseek");
  EXPECT_EQ(s->key, 1);
  a.Remember("c", Seat{"kimi", 0}, 600);  // the conversation moved
  EXPECT_EQ(a.Find("c", 1500)->provider, "kimi");
  EXPECT_FALSE(a.Find("c", 2700)) << "forgotten after the ttl";
  EXPECT_EQ(a.size(), 0u);
  a.Remember("", Seat{"x", 0}, 0);  // nothing to key on: nothing kept
  EXPECT_EQ(a.size(), 0u);
}

TEST(AffinityTest, BoundedTheLeastRecentGoesFirst) {
  Affinity a(/*capacity=*/3, /*ttl_ms=*/100000);
  for (int i = 0; i < 3; ++i) a.Remember("c" + std::to_string(i), Seat{"p", i}, i);
  ASSERT_TRUE(a.Find("c0", 10));
  a.Remember("c0", Seat{"p", 0}, 10);  // c0 is now the most recent
  a.Remember("c3", Seat{"p", 3}, 11);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_FALSE(a.Find("c1", 12));
  EXPECT_TRUE(a.Find("c0", 12));
  EXPECT_TRUE(a.Find("c3", 12));
}

TEST(ConversationKeyTest, SessionHeaderThenPrefixAlwaysScoped) {
  http::fields none;
  http::fields claude;
  claude.set("X-Claude-Code-Session-Id", "3f1c-session");
  http::fields codex;
  codex.set("session_id", "0199-abc");
  const std::string sys = R"("You are a coding agent")";
  const std::string start = R"({"role":"user","content":"fix the bug"})";

  const std::string by_prefix = ConversationKey("tok", none, sys, start);
  EXPECT_FALSE(by_prefix.empty());
  EXPECT_EQ(by_prefix, ConversationKey("tok", none, sys, start));
  EXPECT_NE(by_prefix, ConversationKey("other-token", none, sys, start)) << "per client";
  EXPECT_NE(by_prefix, ConversationKey("tok", none, sys, R"({"role":"user","content":"x"})"));
  // The parts cannot run into each other.
  EXPECT_NE(ConversationKey("tok", none, "ab", "c"), ConversationKey("tok", none, "a", "bc"));

  // The client's own session id wins over the prefix, whatever the prefix.
  EXPECT_EQ(ConversationKey("tok", claude, sys, start), ConversationKey("tok", claude, "", "y"));
  EXPECT_NE(ConversationKey("tok", claude, sys, start), by_prefix);
  EXPECT_NE(ConversationKey("tok", codex, sys, start), ConversationKey("tok", claude, sys, start));

  EXPECT_EQ(ConversationKey("tok", none, "", ""), "");
  // Only the start is read: a long conversation costs no more than a short one, and a hostile
  // session id is ignored when absurdly long.
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(ConversationKey("tok", none, sys, big),
            ConversationKey("tok", none, sys, big.substr(0, 8192) + "different tail"));
  http::fields huge;
  huge.set("session_id", std::string(5000, 'a'));
  EXPECT_EQ(ConversationKey("tok", huge, sys, start), by_prefix);
}

}  // namespace
}  // namespace agentgate::edge
