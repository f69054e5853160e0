#include "services/routing/endpoints.h"

#include <gtest/gtest.h>

namespace agentgate::routing {
namespace {

Url U(std::string_view text) { return *ParseUrl(text); }

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
