#include "tests/fakes/strict_rules.h"

#include <gtest/gtest.h>

namespace agentgate::fakes {
namespace {

boost::json::value J(std::string_view s) { return boost::json::parse(s); }

std::string Refused(const std::optional<Refusal>& r) { return r ? r->message : "accepted"; }

TEST(StrictRulesTest, Gemini3RefusesAnUnsignedCallOfTheCurrentTurnOnly) {
  const std::string sig = GeminiSignature("gemini-3.1-pro", "fc_1");
  auto body = [&](const std::string& signature) {
    std::string part = R"({"functionCall":{"id":"fc_1","name":"Bash","args":{}})";
    if (!signature.empty()) part += R"(,"thoughtSignature":")" + signature + "\"";
    part += "}";
    return J(
        R"({"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[)" + part +
        R"(]},{"role":"user","parts":[{"functionResponse":{"id":"fc_1","name":"Bash","response":{}}}]}]})");
  };
  EXPECT_EQ(Refused(CheckGemini("gemini-3.1-pro", body(sig))), "accepted");
  EXPECT_EQ(Refused(CheckGemini("gemini-3.1-pro", body("skip_thought_signature_validator"))),
            "accepted");
  EXPECT_EQ(Refused(CheckGemini("gemini-3.1-pro", body("")))
                .rfind("Function call is missing a thought_signature in functionCall parts.", 0),
            0u);
  EXPECT_NE(
      Refused(CheckGemini("gemini-3.1-pro", body(""))).find("`default_api:Bash` , position 2"),
      std::string::npos);
  EXPECT_EQ(
      Refused(CheckGemini("gemini-3.1-pro", body(GeminiSignature("gemini-3.6-flash", "fc_1")))),
      "Corrupted thought signature.");
  EXPECT_EQ(Refused(CheckGemini("gemini-2.5-pro", body(""))), "accepted");
  // A finished turn (a new user text after it) is not checked.
  auto older = body("");
  older.at("contents").as_array().push_back(J(R"({"role":"user","parts":[{"text":"next"}]})"));
  EXPECT_EQ(Refused(CheckGemini("gemini-3.1-pro", older)), "accepted");
}

TEST(StrictRulesTest, GeminiThinkingFormsAndResponseCounts) {
  EXPECT_NE(
      Refused(CheckGemini("gemini-3.6-flash",
                          J(R"({"generationConfig":{"thinkingConfig":{"thinkingBudget":1024}}})"))),
      "accepted");
  EXPECT_NE(
      Refused(CheckGemini("gemini-2.5-flash",
                          J(R"({"generationConfig":{"thinkingConfig":{"thinkingLevel":"low"}}})"))),
      "accepted");
  auto uneven =
      J(R"({"contents":[{"role":"model","parts":[{"functionCall":{"name":"a","args":{}}},)"
        R"({"functionCall":{"name":"b","args":{}}}]},{"role":"user","parts":[)"
        R"({"functionResponse":{"name":"a","response":{}}}]}]})");
  EXPECT_EQ(
      Refused(CheckGemini("gemini-2.5-pro", uneven)).rfind("Please ensure that the number", 0), 0u);
}

TEST(StrictRulesTest, ClaudeFiveFiveTakesOnlyAdaptiveThinkingAndNoSamplingOrForcedTools) {
  EXPECT_EQ(
      Refused(CheckMessages(J(
          R"({"model":"claude-sonnet-5-5","thinking":{"type":"enabled","budget_tokens":2048}})"))),
      "\"thinking.type.enabled\" is not supported for this model. Use "
      "\"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.");
  EXPECT_EQ(
      Refused(CheckMessages(J(R"({"model":"claude-opus-5-5","thinking":{"type":"disabled"}})"))),
      "\"thinking.type.disabled\" is not supported for this model.");
  EXPECT_EQ(Refused(CheckMessages(J(R"({"model":"claude-sonnet-5-5","top_p":0.95})"))),
            "`top_p` is deprecated for this model.");
  EXPECT_EQ(
      Refused(CheckMessages(J(R"({"model":"claude-sonnet-5-5","tool_choice":{"type":"any"}})"))),
      "tool_choice: type \"tool\" and \"any\" are not supported for this model.");
  EXPECT_EQ(
      Refused(CheckMessages(J(
          R"({"model":"claude-sonnet-4-5","thinking":{"type":"enabled","budget_tokens":2048},"tool_choice":{"type":"any"}})"))),
      "Thinking may not be enabled when tool_choice forces tool use.");
  EXPECT_EQ(
      Refused(CheckMessages(
          J(R"({"model":"claude-sonnet-4-5","temperature":0.5,"tool_choice":{"type":"any"}})"))),
      "accepted");
  EXPECT_NE(Refused(CheckMessages(J(R"({"model":"claude-opus-5","max_tokens":9999999})")))
                .find("which is the maximum allowed number of output tokens for claude-opus-5"),
            std::string::npos);
  // A tool loop without the thinking block that opened it.
  EXPECT_NE(
      Refused(
          CheckMessages(J(
              R"({"model":"claude-sonnet-5-5","thinking":{"type":"adaptive"},"messages":[)"
              R"({"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"x","input":{}}]},)"
              R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}]})")))
          .find("Expected `thinking` or `redacted_thinking`, but found `tool_use`"),
      std::string::npos);
  EXPECT_EQ(Refused(CheckMessages(J(R"({"model":"fake-model","temperature":2})"))), "accepted");
  // A thinking block signed by someone else.
  EXPECT_EQ(
      Refused(CheckMessages(J(
          R"({"model":"claude-sonnet-5-5","messages":[{"role":"user","content":"a"},)"
          R"({"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"gAAAA"},)"
          R"({"type":"text","text":"b"}]},{"role":"user","content":"c"}]})"))),
      "messages.1.content.0: Invalid `signature` in `thinking` block");
}

TEST(StrictRulesTest, DeepSeekThinkingModeWantsReasoningOnEveryToolTurn) {
  auto body = [](const char* extra) {
    return J(
        std::string(R"({"model":"deepseek-v4-pro","messages":[{"role":"user","content":"go"},)"
                    R"({"role":"assistant","content":null,)") +
        extra +
        R"("tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},)"
        R"({"role":"tool","tool_call_id":"c","content":"ok"}]})");
  };
  EXPECT_EQ(Refused(CheckChat(body(""))),
            "The reasoning_content in the thinking mode must be passed back to the API.");
  EXPECT_EQ(Refused(CheckChat(body(R"("reasoning_content":"",)"))), "accepted");
  auto off = body("");
  off.as_object()["thinking"] = J(R"({"type":"disabled"})");
  EXPECT_EQ(Refused(CheckChat(off)), "accepted");
}

}  // namespace
}  // namespace agentgate::fakes

namespace agentgate::fakes {
namespace {

TEST(StrictRulesTest, QwqAnswersOnlyStreams) {
  auto whole = CheckChat(
      boost::json::parse(R"({"model":"qwq-plus","messages":[{"role":"user","content":"hi"}]})"));
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->status, 400);
  EXPECT_NE(whole->message.find("only support stream mode"), std::string::npos);
  EXPECT_FALSE(CheckChat(boost::json::parse(
      R"({"model":"qwq-plus","stream":true,"messages":[{"role":"user","content":"hi"}]})")));
  EXPECT_FALSE(CheckChat(
      boost::json::parse(R"({"model":"qwen-plus","messages":[{"role":"user","content":"hi"}]})")));
}

}  // namespace
}  // namespace agentgate::fakes
