#include "services/edge/kept_reasoning.h"

#include <gtest/gtest.h>

#include <map>

namespace agentgate::edge {
namespace {

namespace ir = protocol::ir;
using Kind = ir::StreamEvent::Kind;

ir::StreamEvent Ev(Kind k, std::string text = "", std::string call_id = "",
                   std::string signature = "") {
  ir::StreamEvent e(k);
  e.text = std::move(text);
  e.call_id = std::move(call_id);
  e.signature = std::move(signature);
  return e;
}

TEST(KeptReasoningTest, AStreamsThinkingBlocksAreKeptUnderItsFirstCall) {
  std::map<std::string, std::string> kept;
  ReasoningCollector c([&](const std::string& k, const std::string& v) { kept[k] = v; });
  c.OnEvent(Ev(Kind::kStart));
  c.OnEvent(Ev(Kind::kReasoningDelta, "first "));
  c.OnEvent(Ev(Kind::kReasoningDelta, "block"));
  c.OnEvent(Ev(Kind::kReasoningSignature, "SIG1"));
  c.OnEvent(Ev(Kind::kReasoningDelta, "second"));
  c.OnEvent(Ev(Kind::kReasoningSignature, "SIG2"));
  c.OnEvent(Ev(Kind::kToolCallStart, "", "call_a", "GEMSIG"));
  c.OnEvent(Ev(Kind::kReasoningDelta, "after the call: not this turn's opening"));
  c.OnEvent(Ev(Kind::kToolCallStart, "", "call_b"));
  ASSERT_EQ(kept.size(), 4u);  // and the two blocks marked as this provider's
  EXPECT_EQ(kept.count(SignedKey("SIG1")) + kept.count(SignedKey("SIG2")), 2u);
  EXPECT_EQ(kept.at(SignatureKey("call_a")), "GEMSIG");
  auto parts = ParseReasoning(kept.at(ReasoningKey("call_a")));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].text, "first block");
  EXPECT_EQ(parts[0].signature, "SIG1");
  EXPECT_EQ(parts[1].text, "second");
  EXPECT_EQ(parts[1].signature, "SIG2");
}

TEST(KeptReasoningTest, PutBackForOneAttemptThenTakenOff) {
  ir::Request req;
  ir::Message user;
  user.parts.push_back({});
  user.parts[0].text = "go";
  req.messages.push_back(user);
  ir::Message turn;
  turn.role = ir::Role::kAssistant;
  ir::Part call;
  call.kind = ir::Part::Kind::kToolCall;
  call.call_id = "call_a";
  call.name = "Read";
  turn.parts.push_back(call);
  req.messages.push_back(turn);
  ir::Part thought;
  thought.kind = ir::Part::Kind::kReasoning;
  thought.text = "think";
  thought.signature = "SIG1";
  std::map<std::string, std::string> store{{ReasoningKey("call_a"), SerializeReasoning({thought})},
                                           {SignatureKey("call_a"), "GEMSIG"},
                                           {SignedKey("SIG1"), "1"}};
  auto get = [&](const std::string& k) { return store.count(k) ? store.at(k) : std::string(); };
  {
    KeptReasoning k(req, /*signatures=*/true, /*reasoning=*/true, /*signed_only=*/true, get);
    const auto& parts = req.messages[1].parts;
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].kind, ir::Part::Kind::kReasoning);
    EXPECT_EQ(parts[0].signature, "SIG1");
    EXPECT_EQ(parts[1].signature, "GEMSIG");
  }
  ASSERT_EQ(req.messages[1].parts.size(), 1u);  // the next candidate sees the client's request
  EXPECT_TRUE(req.messages[1].parts[0].signature.empty());
  // A turn that kept its own reasoning is left as it is...
  req.messages[1].parts.insert(req.messages[1].parts.begin(), thought);
  {
    KeptReasoning k(req, false, true, true, get);
    EXPECT_EQ(req.messages[1].parts.size(), 2u);
  }
  // ...but for Anthropic, text without its signature (OpenCode returns only the text) is not
  // enough: the signed block goes in front.
  req.messages[1].parts[0].signature.clear();
  {
    KeptReasoning k(req, false, true, /*signed_only=*/true, get);
    ASSERT_EQ(req.messages[1].parts.size(), 3u);
    EXPECT_EQ(req.messages[1].parts[0].signature, "SIG1");
  }
  {
    KeptReasoning k(req, false, true, /*signed_only=*/false, get);  // DeepSeek: text is enough
    EXPECT_EQ(req.messages[1].parts.size(), 2u);
  }
}

TEST(KeptReasoningTest, EverySignedBlockOfAnAnswerIsMarkedAsThisProvidersOwn) {
  std::map<std::string, std::string> kept;
  ReasoningCollector c([&](const std::string& k, const std::string& v) { kept[k] = v; });
  c.OnEvent(Ev(Kind::kReasoningDelta, "a"));
  c.OnEvent(Ev(Kind::kReasoningSignature, "SIG"));
  c.OnEvent(Ev(Kind::kReasoningSignature, "-1"));  // a signature in two pieces is one
  c.OnEvent(Ev(Kind::kToolCallStart, "", "call_a"));
  c.OnEvent(Ev(Kind::kReasoningDelta, "between calls"));
  c.OnEvent(Ev(Kind::kReasoningSignature, "SIG-2"));
  c.OnEvent(Ev(Kind::kFinish));
  EXPECT_EQ(kept.count(SignedKey("SIG-1")), 1u);
  EXPECT_EQ(kept.count(SignedKey("SIG-2")), 1u);  // after the first call too
  EXPECT_EQ(ParseReasoning(kept.at(ReasoningKey("call_a"))).at(0).signature, "SIG-1");
}

TEST(KeptReasoningTest, ASignedBlockThisProviderDidNotMakeGoesUnsignedForTheAttempt) {
  ir::Request req;
  ir::Message turn;
  turn.role = ir::Role::kAssistant;
  ir::Part mine, foreign, call;
  mine.kind = foreign.kind = ir::Part::Kind::kReasoning;
  mine.signature = "MINE";
  foreign.text = "an OpenAI summary";
  foreign.signature = "gAAAAB-openai-encrypted-content";
  call.kind = ir::Part::Kind::kToolCall;
  call.call_id = "call_a";
  turn.parts = {foreign, mine, call};
  req.messages.push_back(turn);
  std::map<std::string, std::string> store{{SignedKey("MINE"), "1"}};
  auto get = [&](const std::string& k) { return store.count(k) ? store.at(k) : std::string(); };
  {
    KeptReasoning k(req, false, true, /*signed_only=*/true, get);
    EXPECT_TRUE(req.messages[0].parts[0].signature.empty());
    EXPECT_EQ(req.messages[0].parts[1].signature, "MINE");
  }
  EXPECT_EQ(req.messages[0].parts[0].signature, "gAAAAB-openai-encrypted-content");  // restored
  // With kept reasoning put in front as well, the restore still finds the block.
  ir::Part kept_block;
  kept_block.kind = ir::Part::Kind::kReasoning;
  kept_block.signature = "KEPT";
  store = {{ReasoningKey("call_a"), SerializeReasoning({kept_block})}};  // MINE unknown now
  {
    KeptReasoning k(req, false, true, true, get);
    ASSERT_EQ(req.messages[0].parts.size(), 4u);
    EXPECT_EQ(req.messages[0].parts[0].signature, "KEPT");
    EXPECT_TRUE(req.messages[0].parts[1].signature.empty());
    EXPECT_TRUE(req.messages[0].parts[2].signature.empty());
  }
  ASSERT_EQ(req.messages[0].parts.size(), 3u);
  EXPECT_EQ(req.messages[0].parts[0].signature, "gAAAAB-openai-encrypted-content");
  EXPECT_EQ(req.messages[0].parts[1].signature, "MINE");
}

TEST(KeptReasoningTest, MalformedKeptTextIsNothing) {
  EXPECT_TRUE(ParseReasoning("").empty());
  EXPECT_TRUE(ParseReasoning("{").empty());
  EXPECT_TRUE(ParseReasoning(R"([1,2])").empty());
  EXPECT_TRUE(ParseReasoning(R"({"t":"x"})").empty());
}

}  // namespace
}  // namespace agentgate::edge
