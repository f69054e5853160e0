#include "services/protocol/traits.h"

#include <gtest/gtest.h>

namespace agentgate::protocol {
namespace {

using routing::Protocol;

routing::RequestTraits Must(Protocol p, std::string_view body, std::string_view model = {}) {
  auto t = ReadTraits(p, body, model);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : routing::RequestTraits{};
}

TEST(ReadTraitsTest, Chat) {
  auto t = Must(Protocol::kOpenAiChat, R"({"model":"gpt-5","reasoning_effort":"high",
    "messages":[{"role":"system","content":"You are OpenCode"},
                {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:x"}}]}],
    "tools":[{"type":"function","function":{"name":"a","parameters":{"properties":{"name":{}}}}},
             {"type":"function","function":{"name":"b"}}]})");
  EXPECT_EQ(t.model, "gpt-5");
  EXPECT_TRUE(t.has_images);
  EXPECT_EQ(t.tools, 2);  // a property called "name" is not a tool
  EXPECT_TRUE(t.thinking);
  EXPECT_EQ(t.system, "You are OpenCode");
  EXPECT_GT(t.input_tokens, 0);

  auto plain =
      Must(Protocol::kOpenAiChat, R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_FALSE(plain.has_images);
  EXPECT_EQ(plain.tools, 0);
  EXPECT_FALSE(plain.thinking);
  EXPECT_EQ(plain.system, "");
  EXPECT_FALSE(Must(Protocol::kOpenAiChat, R"({"reasoning_effort":"none"})").thinking);
}

TEST(ReadTraitsTest, Messages) {
  auto t = Must(Protocol::kAnthropicMessages, R"({"model":"claude-sonnet-4-5",
    "system":[{"type":"text","text":"You are Claude Code"}],
    "thinking":{"type":"enabled","budget_tokens":1024},
    "messages":[{"role":"user","content":[{"type": "image","source":{}}]}],"tools":[{"name":"x"}]})");
  EXPECT_TRUE(t.has_images);
  EXPECT_TRUE(t.thinking);
  EXPECT_EQ(t.tools, 1);
  EXPECT_NE(t.system.find("You are Claude Code"), std::string::npos);
  EXPECT_FALSE(Must(Protocol::kAnthropicMessages, R"({"thinking":{"type":"disabled"}})").thinking);
  EXPECT_EQ(Must(Protocol::kAnthropicMessages, R"({"system":"be brief"})").system, "be brief");
}

TEST(ReadTraitsTest, Responses) {
  auto t =
      Must(Protocol::kOpenAiResponses, R"({"model":"gpt-5-codex","instructions":"You are Codex",
    "reasoning":{"effort":"medium"},"input":[{"type":"input_image","image_url":"data:"}],
    "tools":[{"type":"function","name":"shell"},{"type":"web_search"}]})");
  EXPECT_TRUE(t.has_images);
  EXPECT_TRUE(t.thinking);
  EXPECT_EQ(t.tools, 2);
  EXPECT_EQ(t.system, "You are Codex");
  EXPECT_FALSE(Must(Protocol::kOpenAiResponses, R"({"reasoning":null})").thinking);
}

TEST(ReadTraitsTest, GeminiTakesTheModelFromTheUrl) {
  auto t = Must(Protocol::kGemini, R"({"contents":[{"parts":[{"inlineData":{}}]}],
    "systemInstruction":{"parts":[{"text":"You are Gemini CLI"}]},
    "tools":[{"functionDeclarations":[{"name":"a"},{"name":"b"},{"name":"c"}]},{"googleSearch":{}}],
    "generationConfig":{"thinkingConfig":{"includeThoughts":true}}})",
                "gemini-2.5-pro");
  EXPECT_EQ(t.model, "gemini-2.5-pro");
  EXPECT_TRUE(t.has_images);
  EXPECT_EQ(t.tools, 4);
  EXPECT_TRUE(t.thinking);
  EXPECT_NE(t.system.find("You are Gemini CLI"), std::string::npos);
  EXPECT_FALSE(Must(Protocol::kGemini,
                    R"({"generationConfig":{"thinkingConfig":{"thinkingBudget":0}}})", "m")
                   .thinking);
}

TEST(ReadTraitsTest, NotAnObjectIsRefused) {
  EXPECT_FALSE(ReadTraits(Protocol::kOpenAiChat, "[1]").ok());
  EXPECT_FALSE(ReadTraits(Protocol::kOpenAiChat, "{").ok());
}

TEST(ArrayElementsTest, ScansOnlyWhatIsAsked) {
  std::string a = R"([ {"x":[1,2]} , "s", 3 ])";
  auto all = json::ArrayElements(a);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].value(a), R"({"x":[1,2]})");
  EXPECT_EQ(all[2].value(a), "3");
  EXPECT_EQ(json::ArrayElements(a, 1).size(), 1u);
  EXPECT_TRUE(json::ArrayElements("{}").empty());
  EXPECT_TRUE(json::ArrayElements("[]").empty());
}

}  // namespace
}  // namespace agentgate::protocol

namespace agentgate::protocol {
namespace {

TEST(ConversationPrefixTest, SystemAndTheFirstTwoTurnsThatAreNotInstructions) {
  const std::string chat =
      R"({"model":"m","messages":[{"role":"system","content":"You are OpenCode"},)"
      R"({"role":"system","content":"env"},{"role":"user","content":"fix the bug"},)"
      R"({"role":"assistant","content":"ok"},{"role":"user","content":"more"}]})";
  auto members = json::TopLevelMembers(chat);
  ASSERT_TRUE(members);
  ConversationPrefix p = ReadConversationPrefix(chat, *members);
  EXPECT_EQ(p.start,
            R"({"role":"user","content":"fix the bug"},{"role":"assistant","content":"ok"})");
  EXPECT_TRUE(p.system.empty());

  const std::string messages =
      R"({"model":"m","system":"be brief","messages":[{"role":"user","content":"hi"}]})";
  members = json::TopLevelMembers(messages);
  p = ReadConversationPrefix(messages, *members);
  EXPECT_EQ(p.system, R"("be brief")");
  EXPECT_EQ(p.start, R"({"role":"user","content":"hi"})");

  const std::string responses = R"({"model":"m","instructions":"x","input":"just this"})";
  members = json::TopLevelMembers(responses);
  p = ReadConversationPrefix(responses, *members);
  EXPECT_EQ(p.start, R"("just this")");
}

}  // namespace
}  // namespace agentgate::protocol
