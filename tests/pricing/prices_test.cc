#include "services/pricing/prices.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>

#include "services/routing/presets.h"

namespace agentgate::pricing {
namespace {

ModelPrice Custom(std::string model, Rates rates, std::vector<std::string> aliases = {}) {
  ModelPrice p;
  p.model = std::move(model);
  p.vendor = "custom";
  p.rates = rates;
  p.taken = "2026-11-22";
  p.source = "user";
  p.aliases = std::move(aliases);
  return p;
}

// The built-in table: enough current models from every vendor the issue names, each with a
// date and a source, no id twice.
TEST(BuiltinPricesTest, CoversEveryVendorWithDatedSourcedUniqueEntries) {
  const auto& table = BuiltinPrices();
  EXPECT_GE(table.size(), 22u);
  std::set<std::string> vendors, ids;
  const std::regex date(R"(20\d\d-\d\d-\d\d)");
  for (const auto& p : table) {
    SCOPED_TRACE(p.model);
    vendors.insert(p.vendor);
    EXPECT_TRUE(ids.insert(p.model).second) << "listed twice";
    for (const auto& a : p.aliases) EXPECT_TRUE(ids.insert(a).second) << "alias twice: " << a;
    EXPECT_TRUE(std::regex_match(p.taken, date)) << p.taken;
    EXPECT_NE(p.source.find("https://"), std::string::npos) << p.source;
    EXPECT_GT(p.rates.input, 0);
    EXPECT_GT(p.rates.output, 0);
    EXPECT_GE(p.rates.output, p.rates.input) << "output tokens cost at least input ones";
    if (p.rates.cache_read >= 0) {
      EXPECT_LT(p.rates.cache_read, p.rates.input);
    }
    if (p.long_above_tokens > 0) {
      EXPECT_GE(p.long_rates.input, p.rates.input);
      EXPECT_GE(p.long_rates.output, p.rates.output);
    }
    std::string lower = p.model;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(p.model, lower);
  }
  EXPECT_THAT(vendors, ::testing::IsSupersetOf({"deepseek", "openai", "anthropic", "google", "kimi",
                                                "glm", "minimax", "qwen", "mistral", "xai"}));
  // Every built-in model is found by its own id, dated or routed.
  PriceTable t;
  for (const auto& p : table) {
    EXPECT_EQ(t.Find(p.model), t.Find(p.model + "-20250929")) << p.model;
    ASSERT_NE(t.Find(p.model), nullptr) << p.model;
    EXPECT_EQ(t.Find(p.vendor + "/" + p.model)->model, t.Find(p.model)->model);
  }
}

TEST(PriceTableTest, MatchesIdsAliasesPrefixesAndVersionsButNeverGuesses) {
  PriceTable t({Custom("acme-coder", {1, 2, 0.1, 1.25}, {"acme-coder-v1"}),
                Custom("acme-coder-mini", {0.5, 1, -1, -1})});
  ASSERT_NE(t.Find("acme-coder"), nullptr);
  EXPECT_EQ(t.Find("ACME-Coder")->model, "acme-coder");
  EXPECT_EQ(t.Find("acme-coder-v1")->model, "acme-coder");
  EXPECT_EQ(t.Find("models/acme-coder")->model, "acme-coder");
  EXPECT_EQ(t.Find("openrouter/acme/acme-coder")->model, "acme-coder");
  EXPECT_EQ(t.Find("acme-coder-mini")->model, "acme-coder-mini");
  for (const char* dated : {"acme-coder-20250929", "acme-coder-2025-04-14", "acme-coder-0905",
                            "acme-coder-latest", "acme-coder@20250929"}) {
    ASSERT_NE(t.Find(dated), nullptr) << dated;
    EXPECT_EQ(t.Find(dated)->model, "acme-coder") << dated;
  }
  EXPECT_EQ(t.Find("acme-coder-mini-2025-04-14")->model, "acme-coder-mini");
  // Starting like a known model is not enough.
  for (const char* unknown : {"acme-coder-max", "acme-coder-123", "acme", "acme-coder-audio-0905",
                              "", "models/", "acme-coder-2025-4-14"}) {
    EXPECT_EQ(t.Find(unknown), nullptr) << unknown;
  }
}

TEST(PriceTableTest, AnOverrideReplacesTheBuiltInEntryAndKeepsItsAliases) {
  ASSERT_FALSE(BuiltinPrices().empty());
  const ModelPrice& first = BuiltinPrices().front();
  PriceTable t({Custom(first.model, {100, 200, 10, -1})});
  EXPECT_EQ(t.entries().size(), BuiltinPrices().size());
  EXPECT_EQ(t.Find(first.model)->rates.input, 100);
  EXPECT_EQ(t.Find(first.model)->source, "user");
  for (const auto& a : first.aliases) EXPECT_EQ(t.Find(a)->rates.input, 100) << a;
}

TEST(CostTest, EveryKindOfTokenAtItsOwnPrice) {
  ModelPrice p = Custom("m", {3, 15, 0.3, 3.75});
  // 1000 input of which 600 cache reads and 100 cache writes: 300 plain.
  Usage u{1000, 200, 600, 100};
  double expected = (300 * 3 + 600 * 0.3 + 100 * 3.75 + 200 * 15) / 1e6;
  EXPECT_DOUBLE_EQ(Cost(p, u), expected);
  // No separate cache prices: cache tokens cost the input price.
  ModelPrice flat = Custom("f", {2, 8, -1, -1});
  EXPECT_DOUBLE_EQ(Cost(flat, u), (1000 * 2 + 200 * 8) / 1e6);
  EXPECT_DOUBLE_EQ(Cost(p, Usage{}), 0);
  // Counts that do not add up (a provider reporting more cache than input) cost no less than
  // their parts, and never negative.
  EXPECT_GE(Cost(p, Usage{10, 0, 50, 0}), 0);
}

TEST(CostTest, LongPromptsUseTheLongBandForTheWholeRequest) {
  ModelPrice p = Custom("g", {1.25, 10, 0.125, -1});
  p.long_above_tokens = 200'000;
  p.long_rates = Rates{2.5, 15, 0.25, -1};
  EXPECT_DOUBLE_EQ(Cost(p, Usage{200'000, 1000, 0, 0}), (200'000 * 1.25 + 1000 * 10) / 1e6);
  EXPECT_DOUBLE_EQ(Cost(p, Usage{200'001, 1000, 1, 0}),
                   (200'000 * 2.5 + 1 * 0.25 + 1000 * 15) / 1e6);
}

TEST(RequestCostTest, ByTheModelSentElseTheOneAskedForElseUnknown) {
  PriceTable t({Custom("cheap", {1, 1, -1, -1}), Custom("dear", {10, 10, -1, -1})});
  Usage u{1'000'000, 0, 0, 0};
  EXPECT_EQ(RequestCost(t, "cheap", "dear", u), 1.0);
  EXPECT_EQ(RequestCost(t, "", "dear", u), 10.0);
  // The provider was sent a model with no price: unknown, not the price of what was asked.
  EXPECT_EQ(RequestCost(t, "my-local-llama", "dear", u), std::nullopt);
  EXPECT_EQ(RequestCost(t, "", "", u), std::nullopt);
}

}  // namespace
}  // namespace agentgate::pricing

namespace agentgate::pricing {
namespace {

// Out of the box every preset's requests have a cost: each default model is in the table (a
// server on the user's machine costs nothing; a custom server's model is the user's to price).
TEST(PresetPricesTest, EveryPresetsDefaultModelHasAPrice) {
  PriceTable table;
  for (const auto& p : routing::AllPresets()) {
    // A subscription's requests count against the plan, not in dollars.
    if (p.local || p.subscription || p.type == "custom_openai_compatible") continue;
    EXPECT_NE(table.Find(p.default_model), nullptr) << p.type << ": " << p.default_model;
  }
}

}  // namespace
}  // namespace agentgate::pricing
