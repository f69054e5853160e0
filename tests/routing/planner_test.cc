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

// A Responses provider (official ChatGPT accounts) serves every client: Codex by pass-through,
// the others by conversion to Responses.
TEST(PlanRouteTest, EveryClientReachesAResponsesProvider) {
  Snapshot s;
  s.providers.push_back(Provider("chatgpt", "m", {}, {}, Protocol::kOpenAiResponses));
  for (Protocol client : {Protocol::kOpenAiChat, Protocol::kAnthropicMessages, Protocol::kGemini,
                          Protocol::kOpenAiResponses}) {
    auto plan = PlanRoute(s, client, "m");
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].api, Protocol::kOpenAiResponses);
  }
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
    if (c.provider->name == "claude") {
      EXPECT_EQ(c.api, Protocol::kAnthropicMessages);
    }
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

TEST(ListModelsTest, NamesWhatEachModelIsSentAs) {
  Snapshot s;
  s.providers.push_back(Provider("a", "m1", {"m2"}, {{"fast", "deepseek-v4-flash"}}));
  auto ls = ListModels(s);
  ASSERT_EQ(ls.size(), 3u);
  EXPECT_EQ(ls[0].upstream, "m1");
  EXPECT_EQ(ls[1].upstream, "m2");
  EXPECT_EQ(ls[2].id, "fast");
  EXPECT_EQ(ls[2].upstream, "deepseek-v4-flash");
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

namespace agentgate::routing {
namespace {

// PlanRequest: profiles, rules, scenes, vision and health.

Snapshot ProfileSnapshot() {
  Snapshot s;
  s.providers.push_back(Provider("a", "a-model"));
  s.providers.push_back(Provider("b", "b-model"));
  s.providers.push_back(Provider("c", "c-model"));
  s.providers[2].reasoning_model = "c-reasoner";
  RouteProfile chat;
  chat.name = "chat";
  chat.client = Protocol::kOpenAiChat;
  chat.is_default = true;
  chat.chain = {"b", "a", "c"};
  s.routes.push_back(chat);
  return s;
}

std::vector<std::string> ChosenNames(const Plan& p) { return Names(p.candidates); }

RequestTraits T(std::string model = "", bool images = false, bool thinking = false) {
  RequestTraits t;
  t.model = std::move(model);
  t.has_images = images;
  t.thinking = thinking;
  return t;
}

TEST(PlanRequestTest, TheDefaultProfileOrdersTheChainAndLeavesOthersOut) {
  Snapshot s = ProfileSnapshot();
  s.routes[0].chain = {"c", "a"};
  Plan p = PlanRequest(s, Protocol::kOpenAiChat, "", T("x"));
  EXPECT_EQ(p.profile, "chat");
  EXPECT_THAT(ChosenNames(p), ElementsAre("c", "a"));
  EXPECT_EQ(p.steps[1].reason, "in the chain; failover #1");
  // Another protocol has no profile here: every provider, by priority.
  Plan m = PlanRequest(s, Protocol::kAnthropicMessages, "", T("x"));
  EXPECT_EQ(m.profile, "");
  EXPECT_THAT(ChosenNames(m), ElementsAre("a", "b", "c"));
}

TEST(PlanRequestTest, ANamedProfileIsUsedAndAnUnknownOneIsAnError) {
  Snapshot s = ProfileSnapshot();
  RouteProfile only_a = s.routes[0];
  only_a.name = "cheap";
  only_a.is_default = false;
  only_a.chain = {"a"};
  s.routes.push_back(only_a);
  EXPECT_THAT(ChosenNames(PlanRequest(s, Protocol::kOpenAiChat, "cheap", {})), ElementsAre("a"));
  Plan bad = PlanRequest(s, Protocol::kOpenAiChat, "nope", {});
  EXPECT_NE(bad.error.find("nope"), std::string::npos);
  EXPECT_TRUE(bad.candidates.empty());
}

TEST(PlanRequestTest, ManualModeUsesOnlyTheFirstThatCanTakeIt) {
  Snapshot s = ProfileSnapshot();
  s.routes[0].mode = RouteMode::kManual;
  s.providers[1].enabled = false;      // b
  s.providers[2].models = {"wanted"};  // c names the model, yet a comes first in the chain
  Plan p = PlanRequest(s, Protocol::kOpenAiChat, "", T("wanted"), [](const ProviderEntry&) {
    return std::string("cooling down");  // health does not matter in manual mode
  });
  EXPECT_THAT(ChosenNames(p), ElementsAre("a"));
  ASSERT_EQ(p.steps.size(), 3u);
  EXPECT_EQ(p.steps[1].provider, "b");
  EXPECT_EQ(p.steps[1].reason, "disabled");
  EXPECT_EQ(p.steps[2].reason, "manual mode: only the first provider is used");
}

TEST(PlanRequestTest, TheFirstMatchingRuleGoesFirstWithItsModel) {
  Snapshot s = ProfileSnapshot();
  s.routes[0].rules.push_back({"pictures", *SceneCondition("image"), "c", "c-vision"});
  s.routes[0].rules.push_back({"think", *SceneCondition("reasoning"), "a", ""});
  s.routes[0].rules.push_back({"ghost", {}, "deleted-provider", ""});

  Plan img = PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt", true));
  EXPECT_EQ(img.rule, "pictures");
  EXPECT_THAT(ChosenNames(img), ElementsAre("c", "b", "a"));
  EXPECT_EQ(img.candidates[0].upstream_model, "c-vision");
  EXPECT_EQ(img.steps[0].reason, "rule 'pictures' matched");

  Plan think = PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt", false, true));
  EXPECT_EQ(think.rule, "think");
  EXPECT_THAT(ChosenNames(think), ElementsAre("a", "b", "c"));
  // The reasoning model of a provider serves thinking requests.
  EXPECT_EQ(think.candidates[2].upstream_model, "c-reasoner");

  Plan plain = PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt"));
  EXPECT_EQ(plain.rule, "");
  EXPECT_THAT(ChosenNames(plain), ElementsAre("b", "a", "c"));
  EXPECT_EQ(plain.candidates[2].upstream_model, "c-model");
}

TEST(PlanRequestTest, ScenesAndConditions) {
  RequestTraits t = T("claude-haiku-4-5");
  t.input_tokens = 70'000;
  t.tools = 25;
  t.system = "You are Claude Code, Anthropic's official CLI";
  EXPECT_TRUE(Matches(*SceneCondition("background"), t));
  EXPECT_TRUE(Matches(*SceneCondition("long_text"), t));
  EXPECT_TRUE(Matches(*SceneCondition("tool_heavy"), t));
  EXPECT_FALSE(Matches(*SceneCondition("image"), t));
  EXPECT_FALSE(Matches(*SceneCondition("reasoning"), t));
  EXPECT_FALSE(SceneCondition("nonsense").has_value());
  RouteCondition c;
  c.system_keywords = {"claude CODE"};
  c.has_tools = true;
  EXPECT_TRUE(Matches(c, t));
  c.min_input_tokens = 80'000;
  EXPECT_FALSE(Matches(c, t));
  EXPECT_FALSE(Matches(*SceneCondition("background"), T("claude-sonnet-4-5")));
}

TEST(PlanRequestTest, VisionUnknownIsKeptVisionNoIsSkippedUnlessNothingIsLeft) {
  Snapshot s = ProfileSnapshot();
  s.providers[1].vision = Capability::kNo;   // b
  s.providers[0].vision = Capability::kYes;  // a; c unknown
  Plan p = PlanRequest(s, Protocol::kOpenAiChat, "", T("", true));
  EXPECT_THAT(ChosenNames(p), ElementsAre("a", "c"));
  EXPECT_EQ(p.steps.back().provider, "b");
  EXPECT_EQ(p.steps.back().reason, "no vision, and the request has images");
  EXPECT_THAT(ChosenNames(PlanRequest(s, Protocol::kOpenAiChat, "", {})),
              ElementsAre("b", "a", "c"));
  s.routes[0].chain = {"b"};
  Plan only_b = PlanRequest(s, Protocol::kOpenAiChat, "", T("", true));
  EXPECT_THAT(ChosenNames(only_b), ElementsAre("b"));
  EXPECT_TRUE(only_b.candidates[0].despite_health);
}

TEST(PlanRequestTest, UnhealthyProvidersAreSkippedWithTheirReason) {
  Snapshot s = ProfileSnapshot();
  auto health = [](const ProviderEntry& p) {
    return p.name == "b" ? std::string("cooling down for 30 s (Retry-After 30 s: 429)")
                         : std::string();
  };
  Plan p = PlanRequest(s, Protocol::kOpenAiChat, "", {}, health);
  EXPECT_THAT(ChosenNames(p), ElementsAre("a", "c"));
  EXPECT_EQ(p.steps[0].reason, "in the chain");
  EXPECT_EQ(p.steps.back().provider, "b");
  EXPECT_FALSE(p.steps.back().chosen);
  EXPECT_NE(p.steps.back().reason.find("Retry-After 30 s"), std::string::npos);
  // All unhealthy: tried anyway, in chain order.
  Plan all = PlanRequest(s, Protocol::kOpenAiChat, "", {},
                         [](const ProviderEntry&) { return std::string("circuit open"); });
  EXPECT_THAT(ChosenNames(all), ElementsAre("b", "a", "c"));
  EXPECT_NE(all.steps[0].reason.find("tried anyway"), std::string::npos);
}

TEST(PlanRequestTest, StepsSayHowEachProviderIsReached) {
  Snapshot s = ProfileSnapshot();
  s.providers.push_back(
      Provider("claude", "claude-sonnet-4-5", {}, {}, Protocol::kAnthropicMessages));
  s.routes[0].chain.push_back("claude");
  Plan p = PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt"));
  EXPECT_EQ(p.steps[0].via, "pass-through");
  EXPECT_EQ(p.steps[3].provider, "claude");
  EXPECT_EQ(p.steps[3].via, "conversion to Messages");
}

// The edge plans without explanations: the same candidates, with the same models and
// reachability, and no steps.
TEST(PlanRequestTest, WithoutExplainingTheCandidatesAreTheSame) {
  Snapshot s = ProfileSnapshot();
  s.providers.push_back(
      Provider("claude", "claude-sonnet-4-5", {}, {}, Protocol::kAnthropicMessages));
  s.providers[0].vision = Capability::kNo;
  s.providers[1].enabled = false;
  s.routes[0].chain.push_back("claude");
  RouteRule rule;
  rule.name = "think";
  rule.when.thinking = true;
  rule.provider = "claude";
  s.routes[0].rules.push_back(rule);
  auto health = [](const ProviderEntry& p) {
    return p.name == "c" ? std::string("circuit open") : std::string();
  };
  for (const RequestTraits& t : {T("gpt"), T("gpt", true), T("x", false, true), T("a-model")}) {
    for (RouteMode mode : {RouteMode::kFailover, RouteMode::kManual}) {
      s.routes[0].mode = mode;
      Plan full = PlanRequest(s, Protocol::kOpenAiChat, "", t, health);
      Plan lean = PlanRequest(s, Protocol::kOpenAiChat, "", t, health, /*explain=*/false);
      ASSERT_EQ(lean.candidates.size(), full.candidates.size());
      for (size_t i = 0; i < full.candidates.size(); ++i) {
        EXPECT_EQ(lean.candidates[i].provider, full.candidates[i].provider);
        EXPECT_EQ(lean.candidates[i].upstream_model, full.candidates[i].upstream_model);
        EXPECT_EQ(lean.candidates[i].api, full.candidates[i].api);
        EXPECT_EQ(lean.candidates[i].despite_health, full.candidates[i].despite_health);
      }
      EXPECT_EQ(lean.rule, full.rule);
      EXPECT_FALSE(full.steps.empty());
      EXPECT_TRUE(lean.steps.empty());
    }
  }
  // Nothing healthy left: tried anyway in both.
  auto none = [](const ProviderEntry&) { return std::string("cooling down"); };
  s.routes[0].mode = RouteMode::kFailover;
  EXPECT_EQ(Names(PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt"), none, false).candidates),
            Names(PlanRequest(s, Protocol::kOpenAiChat, "", T("gpt"), none).candidates));
}

TEST(CheapestFirstTest, ByPriceUnknownLastDespiteHealthAfterStable) {
  ProviderEntry a = Provider("a", "dear"), b = Provider("b", "cheap"), c = Provider("c", "nopr"),
                d = Provider("d", "cheap"), e = Provider("e", "cheapest");
  pricing::ModelPrice dear, cheap, cheapest;
  dear.model = "dear";
  dear.rates = pricing::Rates{10, 30, -1, -1};
  cheap.model = "cheap";
  cheap.rates = pricing::Rates{1, 2, -1, -1};
  cheapest.model = "cheapest";
  cheapest.rates = pricing::Rates{0.1, 0.2, -1, -1};
  pricing::PriceTable prices({dear, cheap, cheapest});
  auto cand = [](const ProviderEntry* p, std::string model) {
    Candidate c{};
    c.provider = p;
    c.upstream_model = std::move(model);
    return c;
  };
  std::vector<Candidate> cs = {cand(&a, "dear"), cand(&c, "nopr"), cand(&b, "cheap"),
                               cand(&d, "cheap"), cand(&e, "cheapest")};
  cs[4].despite_health = true;  // the cheapest, but only tried when nothing else is left
  CheapestFirst(cs, prices);
  EXPECT_THAT(Names(cs), ElementsAre("b", "d", "a", "c", "e"));
  std::vector<Candidate> none;
  CheapestFirst(none, prices);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace agentgate::routing
