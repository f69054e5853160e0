#include "services/routing/presets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "services/common/strings.h"
#include "services/routing/url.h"

namespace agentgate::routing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kAllTypes[] = {
    "deepseek",      "openai",
    "azure_openai",  "anthropic",
    "google_gemini", "kimi",
    "kimi_code",     "minimax",
    "zhipu",         "zai",
    "dashscope",     "dashscope_intl",
    "volcengine",    "siliconflow",
    "groq",          "together",
    "fireworks",     "xai",
    "mistral",       "openrouter",
    "orcarouter",    "vercel_ai_gateway",
    "ollama",        "lmstudio",
    "vllm",          "custom_openai_compatible",
    "chatgpt",
};

TEST(PresetsTest, AtLeastTwentyThree) { EXPECT_GE(AllPresets().size(), 23u); }

TEST(PresetsTest, EveryTypeExists) {
  for (const char* type : kAllTypes) {
    const ProviderPreset* p = FindPreset(type);
    ASSERT_NE(p, nullptr) << type;
    EXPECT_EQ(p->type, type);
    EXPECT_FALSE(p->display_name.empty()) << type;
  }
  EXPECT_EQ(AllPresets().size(), std::size(kAllTypes));
}

TEST(PresetsTest, TypesAreUniqueAndValidNames) {
  std::set<std::string_view> seen;
  for (const auto& p : AllPresets()) {
    EXPECT_TRUE(seen.insert(p.type).second) << p.type;
    // The type doubles as the default provider name.
    EXPECT_TRUE(IsValidProviderName(p.type)) << p.type;
  }
}

TEST(PresetsTest, UnknownTypeIsNull) {
  EXPECT_EQ(FindPreset("nope"), nullptr);
  EXPECT_EQ(FindPreset(""), nullptr);
  EXPECT_EQ(FindPreset("DeepSeek"), nullptr);
  EXPECT_EQ(FindPreset("deepseek "), nullptr);
}

TEST(PresetsTest, BaseUrlsParse) {
  for (const auto& p : AllPresets()) {
    if (p.base_url.empty()) continue;
    auto u = ParseUrl(p.base_url);
    EXPECT_TRUE(u.ok()) << p.type << ": " << u.status();
  }
}

TEST(PresetsTest, Details) {
  const ProviderPreset* ds = FindPreset("deepseek");
  ASSERT_NE(ds, nullptr);
  EXPECT_EQ(ds->base_url, "https://api.deepseek.com");
  EXPECT_EQ(ds->default_model, "deepseek-v4-pro");  // deepseek-chat was retired 2026-07-24
  EXPECT_EQ(ds->protocol, Protocol::kOpenAiChat);
  EXPECT_TRUE(ds->needs_key);

  EXPECT_EQ(FindPreset("anthropic")->protocol, Protocol::kAnthropicMessages);
  EXPECT_EQ(FindPreset("google_gemini")->protocol, Protocol::kGemini);
  EXPECT_EQ(FindPreset("zhipu")->base_url, "https://open.bigmodel.cn/api/paas/v4");

  const ProviderPreset* custom = FindPreset("custom_openai_compatible");
  ASSERT_NE(custom, nullptr);
  EXPECT_TRUE(custom->base_url.empty());
  EXPECT_EQ(custom->protocol, Protocol::kOpenAiChat);
  EXPECT_FALSE(custom->needs_key);
}

TEST(PresetsTest, LocalServersNeedNoKeyAndAreLocal) {
  for (const char* type : {"ollama", "lmstudio", "vllm"}) {
    const ProviderPreset* p = FindPreset(type);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(p->local) << type;
    EXPECT_FALSE(p->needs_key) << type;
    auto u = ParseUrl(p->base_url);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->host, "127.0.0.1") << type;
    EXPECT_FALSE(u->tls()) << type;
  }
}

TEST(PresetsTest, CloudProvidersNeedKeyAndTls) {
  for (const auto& p : AllPresets()) {
    if (p.local || p.type == "custom_openai_compatible") continue;
    EXPECT_TRUE(p.needs_key) << p.type;
    EXPECT_FALSE(p.default_model.empty()) << p.type;
    if (p.base_url.empty()) continue;  // Azure: the user's resource
    auto u = ParseUrl(p.base_url);
    ASSERT_TRUE(u.ok()) << p.type;
    EXPECT_TRUE(u->tls()) << p.type;
    for (std::string_view extra : {p.anthropic_url, p.responses_url}) {
      if (extra.empty()) continue;
      auto e = ParseUrl(extra);
      ASSERT_TRUE(e.ok()) << p.type << " " << extra;
      EXPECT_TRUE(e->tls()) << p.type << " " << extra;
    }
  }
}

std::string Detect(std::string_view key) {
  auto t = DetectTypeFromKey(key);
  return t.ok() ? *t : "ERROR: " + Message(t.status());
}

TEST(DetectTypeFromKeyTest, KnownPrefixes) {
  EXPECT_EQ(Detect("sk-ant-api03-abcdefghijklmnop"), "anthropic");
  EXPECT_EQ(Detect("gsk_abcdefghijklmnop"), "groq");
  EXPECT_EQ(Detect("xai-abcdefghijklmnop"), "xai");
  EXPECT_EQ(Detect("AIzaSyAbcdefghijklmnop"), "google_gemini");
  EXPECT_EQ(Detect("sk-or-v1-abcdefghijklmnop"), "openrouter");
  EXPECT_EQ(Detect("sk-proj-abcdefghijklmnop"), "openai");
  EXPECT_EQ(Detect("sk-svcacct-abcdefghijklmnop"), "openai");
  EXPECT_EQ(Detect("sk-admin-abcdefghijklmnop"), "openai");
  EXPECT_EQ(Detect("sk-kimi-abcdefghijklmnop"), "kimi_code");
  EXPECT_EQ(Detect("sk-orca-abcdefghijklmnop"), "orcarouter");
  EXPECT_EQ(Detect("fw_abcdefghijklmnop"), "fireworks");
}

TEST(DetectTypeFromKeyTest, DeepSeekShape) {
  EXPECT_EQ(Detect("sk-0123456789abcdef0123456789abcdef"), "deepseek");
  EXPECT_EQ(Detect("sk-" + std::string(32, 'a')), "deepseek");
}

TEST(DetectTypeFromKeyTest, NotQuiteDeepSeekIsAmbiguous) {
  for (const char* key : {
           "sk-0123456789ABCDEF0123456789abcdef",   // upper-case hex
           "sk-0123456789abcdef0123456789abcde",    // 31 digits
           "sk-0123456789abcdef0123456789abcdef0",  // 33 digits
           "sk-0123456789abcdef0123456789abcdeg",   // not hex
           "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL",
           "sk-",
       }) {
    auto t = DetectTypeFromKey(key);
    ASSERT_FALSE(t.ok()) << key << " -> " << *t;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(t.status()), HasSubstr("--type")) << key;
  }
}

TEST(DetectTypeFromKeyTest, UnknownPrefix) {
  for (const char* key : {"", "abc", "SK-abc", "ag_local_xyz", "AIz", "gsk", "xai"}) {
    auto t = DetectTypeFromKey(key);
    ASSERT_FALSE(t.ok()) << key;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(t.status()), HasSubstr("--type")) << key;
  }
}

TEST(DetectTypeFromKeyTest, ErrorNeverEchoesTheKey) {
  std::string key = "sk-SECRETSECRETSECRETSECRET";
  auto t = DetectTypeFromKey(key);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(Message(t.status()).find("SECRET"), std::string::npos) << Message(t.status());
}

TEST(DetectTypeFromKeyTest, DetectedTypesArePresets) {
  for (const char* key : {"sk-ant-x", "gsk_x", "xai-x", "AIzax", "sk-or-x", "sk-proj-x",
                          "sk-0123456789abcdef0123456789abcdef"}) {
    auto t = DetectTypeFromKey(key);
    ASSERT_TRUE(t.ok()) << key;
    EXPECT_NE(FindPreset(*t), nullptr) << *t;
  }
}

TEST(IsValidProviderNameTest, Valid) {
  for (const char* n :
       {"a", "deepseek", "my-provider", "my_provider", "v1.2", "A-Z_0.9", "..", "-"}) {
    EXPECT_TRUE(IsValidProviderName(n)) << n;
  }
  EXPECT_TRUE(IsValidProviderName(std::string(64, 'x')));
}

TEST(IsValidProviderNameTest, Invalid) {
  for (const char* n : {"", "has space", "slash/name", "colon:name", "at@", "star*", "é", "tab\t",
                        "new\nline", "quote\""}) {
    EXPECT_FALSE(IsValidProviderName(n)) << n;
  }
  EXPECT_FALSE(IsValidProviderName(std::string(65, 'x')));
  EXPECT_FALSE(IsValidProviderName(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace agentgate::routing
