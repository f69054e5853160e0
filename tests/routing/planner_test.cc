#include "services/routing/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace agentgate::routing {
namespace {

ProviderEntry Provider(std::string name, std::string default_model,
                       std::vector<std::string> models = {},
                       std::map<std::string, std::string, std::less<>> model_map = {},
                       Protocol protocol = Protocol::kOpenAiChat, bool enabled = true) {
  ProviderEntry p;
  p.name = std::move(name);
  p.type = "custom_openai_compatible";
  p.protocol = protocol;
  p.default_model = std::move(default_model);
  p.models = std::move(models);
  p.model_map = std::move(model_map);
  p.enabled = enabled;
  return p;
}

std::vector<std::string> Names(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.provider->name);
  return out;
}

std::vector<std::string> Models(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.upstream_model);
  return out;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------
// MapModel

TEST(MapModelTest, ExactMapEntry) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-chat", "deepseek-reasoner"},
                    {{"gpt-4o", "deepseek-chat"}, {"o1", "deepseek-reasoner"}});
  EXPECT_EQ(MapModel(p, "gpt-4o"), "deepseek-chat");
  EXPECT_EQ(MapModel(p, "o1"), "deepseek-reasoner");
}

TEST(MapModelTest, ExactMapEntryBeatsStar) {
  auto p = Provider("ds", "deepseek-chat", {}, {{"o1", "deepseek-reasoner"}, {"*", "star"}});
  EXPECT_EQ(MapModel(p, "o1"), "deepseek-reasoner");
  EXPECT_EQ(MapModel(p, "anything"), "star");
}

TEST(MapModelTest, StarMapsEverything) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-chat"}, {{"*", "deepseek-reasoner"}});
  EXPECT_EQ(MapModel(p, "gpt-4o"), "deepseek-reasoner");
  // The map comes first, even for a listed model and an empty one.
  EXPECT_EQ(MapModel(p, "deepseek-chat"), "deepseek-reasoner");
  EXPECT_EQ(MapModel(p, ""), "deepseek-reasoner");
}

TEST(MapModelTest, ListedModelIsKept) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-chat", "deepseek-reasoner"});
  EXPECT_EQ(MapModel(p, "deepseek-reasoner"), "deepseek-reasoner");
  EXPECT_EQ(MapModel(p, "deepseek-chat"), "deepseek-chat");
}

TEST(MapModelTest, UnlistedModelGetsDefault) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-chat", "deepseek-reasoner"});
  EXPECT_EQ(MapModel(p, "claude-sonnet-4-5"), "deepseek-chat");
  // Model lookup is exact: case matters.
  EXPECT_EQ(MapModel(p, "DeepSeek-Reasoner"), "deepseek-chat");
}

TEST(MapModelTest, UnlistedModelWithEmptyListGetsDefault) {
  auto p = Provider("ds", "deepseek-chat");
  EXPECT_EQ(MapModel(p, "claude-sonnet-4-5"), "deepseek-chat");
}

TEST(MapModelTest, NoDefaultPassesModelAsIs) {
  auto p = Provider("local", "");
  EXPECT_EQ(MapModel(p, "llama3.1:8b"), "llama3.1:8b");
  auto listed = Provider("local", "", {"a", "b"});
  EXPECT_EQ(MapModel(listed, "c"), "c");
}

TEST(MapModelTest, EmptyModelGetsDefault) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-reasoner"});
  EXPECT_EQ(MapModel(p, ""), "deepseek-chat");
  auto none = Provider("local", "");
  EXPECT_EQ(MapModel(none, ""), "");
}

TEST(ServesModelExplicitlyTest, ModelsDefaultAndMap) {
  auto p = Provider("ds", "deepseek-chat", {"deepseek-reasoner"}, {{"gpt-4o", "deepseek-chat"}});
  EXPECT_TRUE(ServesModelExplicitly(p, "deepseek-chat"));
  EXPECT_TRUE(ServesModelExplicitly(p, "deepseek-reasoner"));
  EXPECT_TRUE(ServesModelExplicitly(p, "gpt-4o"));
  EXPECT_FALSE(ServesModelExplicitly(p, "claude"));
  EXPECT_FALSE(ServesModelExplicitly(p, ""));
}

TEST(ServesModelExplicitlyTest, StarIsNotExplicit) {
  auto p = Provider("any", "", {}, {{"*", "m"}});
  EXPECT_FALSE(ServesModelExplicitly(p, "gpt-4o"));
}

TEST(ServesModelExplicitlyTest, EmptyDefaultDoesNotMatchEmptyModel) {
  auto p = Provider("local", "");
  EXPECT_FALSE(ServesModelExplicitly(p, ""));
}

// ---------------------------------------------------------------------------------------------
// PlanRoute

Snapshot MakeSnapshot() {
  Snapshot s;
  s.version = 7;
  s.providers.push_back(Provider("first", "m-first"));
  s.providers.push_back(
      Provider("claude", "claude-sonnet-4-5", {}, {}, Protocol::kAnthropicMessages));
  s.providers.push_back(Provider("off", "gpt-4o", {"gpt-4o"}, {}, Protocol::kOpenAiChat,
                                 /*enabled=*/false));
  s.providers.push_back(Provider("second", "m-second", {"gpt-4o"}));
  s.providers.push_back(Provider("third", "m-third", {}, {{"gpt-4o", "mapped-4o"}}));
  s.providers.push_back(Provider("fourth", ""));
  return s;
}

TEST(PlanRouteTest, ExplicitMatchesFirstThenSnapshotOrder) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "gpt-4o");
  EXPECT_THAT(Names(plan), ElementsAre("second", "third", "first", "claude", "fourth"));
  EXPECT_THAT(Models(plan),
              ElementsAre("gpt-4o", "mapped-4o", "m-first", "claude-sonnet-4-5", "gpt-4o"));
}

TEST(PlanRouteTest, NoExplicitMatchKeepsSnapshotOrder) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "unknown-model");
  EXPECT_THAT(Names(plan), ElementsAre("first", "claude", "second", "third", "fourth"));
  EXPECT_THAT(Models(plan),
              ElementsAre("m-first", "claude-sonnet-4-5", "m-second", "m-third", "unknown-model"));
}

TEST(PlanRouteTest, DefaultModelCountsAsExplicit) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "m-third");
  EXPECT_THAT(Names(plan), ElementsAre("third", "first", "claude", "second", "fourth"));
}

TEST(PlanRouteTest, DisabledProvidersSkipped) {
  Snapshot s = MakeSnapshot();
  for (const auto& c : PlanRoute(s, Protocol::kOpenAiChat, "gpt-4o")) {
    EXPECT_NE(c.provider->name, "off");
    EXPECT_TRUE(c.provider->enabled);
  }
}

TEST(PlanRouteTest, ChatClientsReachAMessagesProviderByConversionToMessages) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "x");
  EXPECT_THAT(Names(plan), ElementsAre("first", "claude", "second", "third", "fourth"));
  for (const auto& c : plan) {
    EXPECT_EQ(c.api,
              c.provider->name == "claude" ? Protocol::kAnthropicMessages : Protocol::kOpenAiChat);
  }
}

TEST(PlanRouteTest, ResponsesIsNeverANativeProtocolToConvertTo) {
  Snapshot s;
  s.providers.push_back(Provider("odd", "m", {}, {}, Protocol::kOpenAiResponses));
  EXPECT_THAT(PlanRoute(s, Protocol::kOpenAiChat, "m"), IsEmpty());
  EXPECT_THAT(Names(PlanRoute(s, Protocol::kOpenAiResponses, "m")), ElementsAre("odd"));
}

TEST(PlanRouteTest, MessagesClientsPassThroughWhereTheyCanAndConvertElsewhere) {
  Snapshot s = MakeSnapshot();
  s.providers[0].anthropic_base = *ParseUrl("https://api.deepseek.com/anthropic");
  auto plan = PlanRoute(s, Protocol::kAnthropicMessages, "claude-sonnet-4-5");
  EXPECT_THAT(Names(plan), ElementsAre("claude", "first", "second", "third", "fourth"));
  EXPECT_EQ(plan[0].api, Protocol::kAnthropicMessages);  // native
  EXPECT_EQ(plan[0].base, &s.providers[1].base);
  EXPECT_EQ(plan[1].api, Protocol::kAnthropicMessages);  // its Anthropic endpoint
  EXPECT_EQ(plan[1].base, &*s.providers[0].anthropic_base);
  EXPECT_EQ(plan[2].api, Protocol::kOpenAiChat);  // by conversion
  EXPECT_EQ(plan[2].base, &s.providers[3].base);
}

TEST(PlanRouteTest, ResponsesAndGeminiClients) {
  Snapshot s = MakeSnapshot();
  s.providers[3].responses_base = *ParseUrl("https://api.openai.com/v1");
  auto plan = PlanRoute(s, Protocol::kOpenAiResponses, "gpt-4o");
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan[0].provider->name, "second");
  EXPECT_EQ(plan[0].api, Protocol::kOpenAiResponses);
  for (const auto& c : plan) {
    if (c.provider->name == "claude") EXPECT_EQ(c.api, Protocol::kAnthropicMessages);
  }
  // Gemini clients reach every provider by conversion to its own protocol.
  auto gemini = PlanRoute(s, Protocol::kGemini, "gemini-2.5-flash");
  EXPECT_THAT(Names(gemini), ElementsAre("first", "claude", "second", "third", "fourth"));
  EXPECT_EQ(gemini[1].api, Protocol::kAnthropicMessages);
}

TEST(PlanRouteTest, CandidatesPointIntoTheSnapshot) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "gpt-4o");
  for (const auto& c : plan) {
    EXPECT_GE(c.provider, s.providers.data());
    EXPECT_LT(c.provider, s.providers.data() + s.providers.size());
  }
}

TEST(PlanRouteTest, EmptySnapshot) {
  Snapshot s;
  EXPECT_THAT(PlanRoute(s, Protocol::kOpenAiChat, "gpt-4o"), IsEmpty());
}

TEST(PlanRouteTest, EmptyModelGoesEverywhereWithDefaults) {
  Snapshot s = MakeSnapshot();
  auto plan = PlanRoute(s, Protocol::kOpenAiChat, "");
  EXPECT_THAT(Names(plan), ElementsAre("first", "claude", "second", "third", "fourth"));
  EXPECT_THAT(Models(plan), ElementsAre("m-first", "claude-sonnet-4-5", "m-second", "m-third", ""));
}

// ---------------------------------------------------------------------------------------------
// ListModels

std::vector<std::pair<std::string, std::string>> Pairs(const std::vector<ModelListing>& ls) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& l : ls) out.emplace_back(l.id, l.provider);
  return out;
}

TEST(ListModelsTest, DedupesSkipsStarAndDisabled) {
  Snapshot s;
  s.providers.push_back(Provider("a", "m1", {"m2", "m1"}, {{"z-alias", "m1"}, {"*", "m1"}}));
  s.providers.push_back(Provider("off", "secret-model", {"m9"}, {}, Protocol::kOpenAiChat,
                                 /*enabled=*/false));
  s.providers.push_back(Provider("b", "m2", {"m3"}, {{"b-alias", "m3"}, {"a-alias", "m3"}}));
  s.providers.push_back(Provider("c", "", {}, {}, Protocol::kAnthropicMessages));
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(Pairs(ListModels(s)),
              ElementsAre(P{"m1", "a"}, P{"m2", "a"}, P{"z-alias", "a"}, P{"m3", "b"},
                          P{"a-alias", "b"}, P{"b-alias", "b"}));
}

TEST(ListModelsTest, EmptySnapshot) {
  Snapshot s;
  EXPECT_THAT(ListModels(s), IsEmpty());
}

TEST(ListModelsTest, IncludesEveryProtocol) {
  Snapshot s;
  s.providers.push_back(Provider("g", "gemini-2.5-flash", {}, {}, Protocol::kGemini));
  s.providers.push_back(Provider("c", "claude-sonnet-4-5", {}, {}, Protocol::kAnthropicMessages));
  auto ls = ListModels(s);
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[0].id, "gemini-2.5-flash");
  EXPECT_EQ(ls[1].id, "claude-sonnet-4-5");
}

}  // namespace
}  // namespace agentgate::routing
