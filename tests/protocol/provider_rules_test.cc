#include "services/protocol/provider_rules.h"

#include <gtest/gtest.h>

namespace agentgate::protocol {
namespace {

TEST(ProviderRulesTest, NamesAreReadAsProvidersAndRoutersWriteThem) {
  EXPECT_EQ(NormalizeModelName("anthropic/Claude-Sonnet-5.5"), "claude-sonnet-5-5");
  EXPECT_EQ(NormalizeModelName("anthropic.claude-opus-4-7-v1"), "claude-opus-4-7-v1");
  EXPECT_EQ(NormalizeModelName("claude-opus-5@20261001"), "claude-opus-5");
  EXPECT_EQ(NormalizeModelName("models/gemini-3.1-pro-preview"), "gemini-3.1-pro-preview");
  // Dots stay for everyone but Claude.
  EXPECT_EQ(NormalizeModelName("deepseek-v4.1-flash"), "deepseek-v4.1-flash");
}

TEST(ProviderRulesTest, ClaudeFiveFiveIsAdaptiveOnlyWithoutSamplingOrForcedTools) {
  for (const char* m : {"claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1",
                        "claude-mythos-5-1", "openrouter/anthropic/claude-sonnet-5.5"}) {
    const ModelRules& r = RulesFor(m);
    EXPECT_EQ(r.family, Family::kAnthropic) << m;
    EXPECT_EQ(r.thinking, ThinkingForm::kEffort) << m;
    EXPECT_EQ(r.off, ThinkingOff::kLowest) << m;
    EXPECT_FALSE(r.sampling) << m;
    EXPECT_EQ(r.forced_tools, ForcedTools::kNever) << m;
    EXPECT_TRUE(r.display_summarized) << m;
    EXPECT_EQ(r.max_output, 128000) << m;
  }
  EXPECT_EQ(RulesFor("claude-opus-5-5").default_effort, "medium");
  EXPECT_EQ(RulesFor("claude-sonnet-5-5").default_effort, "high");
}

TEST(ProviderRulesTest, EachClaudeGenerationTurnsThinkingOffItsOwnWay) {
  EXPECT_EQ(RulesFor("claude-sonnet-5").off, ThinkingOff::kDisabled);
  EXPECT_EQ(RulesFor("claude-opus-5-20260301").off, ThinkingOff::kDisabled);
  EXPECT_FALSE(RulesFor("claude-opus-5").prefill);
  EXPECT_TRUE(RulesFor("claude-sonnet-5").prefill);
  EXPECT_EQ(RulesFor("claude-opus-4-7").off, ThinkingOff::kOmit);
  EXPECT_EQ(RulesFor("claude-opus-4.8").thinking, ThinkingForm::kEffort);
  EXPECT_FALSE(RulesFor("claude-opus-4-7").sampling);
  EXPECT_EQ(RulesFor("claude-sonnet-4-6").efforts, "low medium high max");
  EXPECT_TRUE(RulesFor("claude-sonnet-4-6").sampling);
  EXPECT_EQ(RulesFor("claude-haiku-4-5-20251001").thinking, ThinkingForm::kBudget);
  EXPECT_EQ(RulesFor("claude-haiku-4-5").max_output, 64000);
  EXPECT_EQ(RulesFor("claude-sonnet-4-5").thinking, ThinkingForm::kBudget);
  EXPECT_EQ(RulesFor("claude-3-7-sonnet-latest").thinking, ThinkingForm::kBudget);
  EXPECT_EQ(RulesFor("claude-3-5-haiku").thinking, ThinkingForm::kNone);
}

TEST(ProviderRulesTest, AClaudeOrGeminiNewerThanTheTableGetsTheStrictestRules) {
  const ModelRules& opus6 = RulesFor("claude-opus-6");
  EXPECT_EQ(opus6.thinking, ThinkingForm::kEffort);
  EXPECT_FALSE(opus6.sampling);
  EXPECT_EQ(opus6.forced_tools, ForcedTools::kNever);
  EXPECT_TRUE(RulesFor("gemini-5-pro").thought_signatures);
  EXPECT_EQ(RulesFor("my-local-llama").family, Family::kOther);
  EXPECT_TRUE(RulesFor("my-local-llama").sampling);
}

TEST(ProviderRulesTest, GeminiThreeAndLaterSignAndTakeLevels) {
  for (const char* m : {"gemini-3.1-pro-preview", "gemini-3.6-flash", "gemini-4-argon",
                        "gemini-4-neon", "models/gemini-3.8-flash"}) {
    const ModelRules& r = RulesFor(m);
    EXPECT_TRUE(r.thought_signatures) << m;
    EXPECT_EQ(r.thinking, ThinkingForm::kEffort) << m;
    EXPECT_EQ(r.off, ThinkingOff::kLowest) << m;
  }
  EXPECT_EQ(RulesFor("gemini-2.5-flash").thinking, ThinkingForm::kBudget);
  EXPECT_FALSE(RulesFor("gemini-2.5-flash").thought_signatures);
  EXPECT_EQ(RulesFor("gemini-2.5-flash").off, ThinkingOff::kDisabled);
  EXPECT_EQ(RulesFor("gemini-2.5-pro").off, ThinkingOff::kLowest);
}

TEST(ProviderRulesTest, DeepSeekAndKimiNeedTheirReasoningBack) {
  EXPECT_TRUE(RulesFor("deepseek-v4-pro").reasoning_replay);
  EXPECT_EQ(RulesFor("deepseek-v4-flash").thinking, ThinkingForm::kToggle);
  EXPECT_FALSE(RulesFor("deepseek-v4-flash").vision);
  EXPECT_TRUE(RulesFor("deepseek-v4.1-flash").vision);
  EXPECT_EQ(RulesFor("deepseek-v4-pro").max_output, 393216);
  EXPECT_TRUE(RulesFor("kimi-k3").reasoning_replay);
  EXPECT_FALSE(RulesFor("kimi-k3").sampling);
  EXPECT_EQ(RulesFor("kimi-k2.7-code").forced_tools, ForcedTools::kNever);
  EXPECT_FALSE(RulesFor("kimi-k2.6").reasoning_replay);
}

TEST(ProviderRulesTest, OpenAiReasoningModelsTakeToolsOnChatOnlyWithoutEffort) {
  EXPECT_TRUE(RulesFor("gpt-5.6-luna").chat_tools_without_effort);
  EXPECT_TRUE(RulesFor("gpt-6.2-sol").chat_tools_without_effort);
  EXPECT_EQ(RulesFor("gpt-6.2-sol").off, ThinkingOff::kLowest);
  EXPECT_EQ(RulesFor("gpt-6-luna").off, ThinkingOff::kDisabled);
  EXPECT_FALSE(RulesFor("gpt-6-luna").sampling_with_thinking);
}

TEST(ProviderRulesTest, EffortsMapOntoTheLevelsAModelHas) {
  const ModelRules& opus46 = RulesFor("claude-opus-4-6");
  EXPECT_EQ(EffortFor(opus46, "xhigh"), "high");  // no xhigh before 4.7
  EXPECT_EQ(EffortFor(opus46, "max"), "max");
  EXPECT_EQ(EffortFor(opus46, "minimal"), "low");
  EXPECT_EQ(EffortFor(opus46, "none"), "low");
  EXPECT_EQ(EffortFor(RulesFor("claude-opus-4-7"), "xhigh"), "xhigh");
  EXPECT_EQ(EffortFor(RulesFor("gemini-4-argon"), "max"), "high");
  EXPECT_EQ(EffortFor(RulesFor("gemini-3.6-flash"), "minimal"), "minimal");
  EXPECT_EQ(EffortFor(RulesFor("gemini-3.1-pro"), "minimal"), "low");
  EXPECT_EQ(EffortFor(RulesFor("deepseek-v4-pro"), "medium"), "high");   // high|max only
  EXPECT_EQ(EffortFor(RulesFor("claude-sonnet-5-5"), ""), "high");       // the default
  EXPECT_EQ(EffortFor(RulesFor("my-local-llama"), "medium"), "medium");  // no list: as asked
  EXPECT_EQ(EffortForBudget(RulesFor("claude-sonnet-5-5"), 31999), "high");
  EXPECT_EQ(EffortForBudget(RulesFor("claude-sonnet-5-5"), 1024), "low");
  EXPECT_EQ(EffortForBudget(RulesFor("claude-sonnet-5-5"), 64000), "max");
}

TEST(ProviderRulesTest, ClientEffortWordsAreCheckedAndClassicProvidersGetTheClassicSet) {
  EXPECT_EQ(ClientEffort("XHIGH"), "xhigh");
  EXPECT_EQ(ClientEffort("max"), "max");
  EXPECT_EQ(ClientEffort("none"), "");
  EXPECT_EQ(ClientEffort(""), "");
  EXPECT_EQ(ClientEffort("banana\r\n"), "medium");  // a client's word never reaches a body as is
  EXPECT_EQ(ClassicEffort("minimal"), "low");
  EXPECT_EQ(ClassicEffort("max"), "high");
  EXPECT_EQ(ClassicEffort("medium"), "medium");
}

}  // namespace
}  // namespace agentgate::protocol
