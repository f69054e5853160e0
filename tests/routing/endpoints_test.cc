#include "services/routing/endpoints.h"

#include <gtest/gtest.h>

namespace agentgate::routing {
namespace {

Url U(std::string_view text) { return *ParseUrl(text); }

// Azure OpenAI: the v1 API needs no api-version; a deployment base gets the dated GA version;
// keys go in api-key (learn.microsoft.com/azure/ai-foundry/openai/reference, 2026-12).
TEST(EndpointsTest, AzureOpenAiDeploymentsAndKeys) {
  Url v1 = U("https://team.openai.azure.com/openai/v1");
  EXPECT_EQ(GeneratePath(Protocol::kOpenAiChat, v1, "gpt-6.2-sol", true),
            "/openai/v1/chat/completions");
  Url dep = U("https://team.openai.azure.com/openai/deployments/prod-gpt");
  EXPECT_EQ(GeneratePath(Protocol::kOpenAiChat, dep, "ignored", false),
            "/openai/deployments/prod-gpt/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(GeneratePath(Protocol::kOpenAiResponses, dep, "ignored", false),
            "/openai/deployments/prod-gpt/responses?api-version=2024-10-21");
  EXPECT_TRUE(IsAzureOpenAi(U("https://x.cognitiveservices.azure.com")));
  EXPECT_FALSE(IsAzureOpenAi(U("https://openai.azure.com.evil.example")));
  auto [name, value] = KeyHeader(Protocol::kOpenAiChat, "k", &v1);
  EXPECT_EQ(name, "api-key");
  EXPECT_EQ(value, "k");
  Url openai = U("https://api.openai.com/v1");
  EXPECT_EQ(KeyHeader(Protocol::kOpenAiChat, "k", &openai).first, "authorization");
}

TEST(EndpointsTest, MessagesPathDoesNotDoubleV1AndKeepsAPrefix) {
  EXPECT_EQ(MessagesPath(U("https://api.anthropic.com")), "/v1/messages");
  EXPECT_EQ(MessagesPath(U("http://h/v1")), "/v1/messages");
  EXPECT_EQ(MessagesPath(U("http://h/v1/")), "/v1/messages");
  EXPECT_EQ(MessagesPath(U("https://api.deepseek.com/anthropic")), "/anthropic/v1/messages");
  EXPECT_EQ(MessagesPath(U("https://h/proxy/v1")), "/proxy/v1/messages");
}

TEST(EndpointsTest, GeminiPrefixDropsATrailingV1beta) {
  EXPECT_EQ(GeminiPrefix(U("https://generativelanguage.googleapis.com")), "");
  EXPECT_EQ(GeminiPrefix(U("https://generativelanguage.googleapis.com/v1beta")), "");
  EXPECT_EQ(GeminiPrefix(U("https://h/proxy/v1beta")), "/proxy");
  EXPECT_EQ(GeminiPrefix(U("https://h/proxy")), "/proxy");
}

TEST(EndpointsTest, GeneratePathPerProtocol) {
  Url plain = U("http://127.0.0.1:8080");
  EXPECT_EQ(GeneratePath(Protocol::kOpenAiChat, plain, "m", false), "/v1/chat/completions");
  EXPECT_EQ(
      GeneratePath(Protocol::kOpenAiChat, U("https://open.bigmodel.cn/api/paas/v4"), "m", true),
      "/api/paas/v4/chat/completions");
  EXPECT_EQ(GeneratePath(Protocol::kOpenAiResponses, plain, "m", true), "/v1/responses");
  EXPECT_EQ(GeneratePath(Protocol::kAnthropicMessages, plain, "m", true), "/v1/messages");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, plain, "gemini-2.5-flash", false),
            "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, U("https://h/v1beta"), "g", true),
            "/v1beta/models/g:streamGenerateContent?alt=sse");
}

// A model is one path segment, whatever it holds: no extra segment, query, fragment, method
// suffix or line break can reach the provider's request line.
TEST(EndpointsTest, GeminiModelIsOnePercentEncodedSegment) {
  Url plain = U("https://h");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, plain, "../../v1/files?x=1#f", false),
            "/v1beta/models/..%2F..%2Fv1%2Ffiles%3Fx%3D1%23f:generateContent");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, plain, "a\r\nHost: evil", true),
            "/v1beta/models/a%0D%0AHost%3A%20evil:streamGenerateContent?alt=sse");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, plain, "gemini-2.5-flash_x.y~z", false),
            "/v1beta/models/gemini-2.5-flash_x.y~z:generateContent");
  EXPECT_EQ(GeneratePath(Protocol::kGemini, plain, "\xC3\xA9", false),
            "/v1beta/models/%C3%A9:generateContent");
}

TEST(EndpointsTest, KeyHeaderPerProtocol) {
  EXPECT_EQ(KeyHeader(Protocol::kOpenAiChat, "sk-1"),
            (std::pair<std::string_view, std::string>("authorization", "Bearer sk-1")));
  EXPECT_EQ(KeyHeader(Protocol::kOpenAiResponses, "sk-1").second, "Bearer sk-1");
  EXPECT_EQ(KeyHeader(Protocol::kAnthropicMessages, "sk-ant").first, "x-api-key");
  EXPECT_EQ(KeyHeader(Protocol::kAnthropicMessages, "sk-ant").second, "sk-ant");
  EXPECT_EQ(KeyHeader(Protocol::kGemini, "AIza").first, "x-goog-api-key");
  EXPECT_EQ(KeyHeader(Protocol::kGemini, "AIza").second, "AIza");
}

}  // namespace
}  // namespace agentgate::routing
