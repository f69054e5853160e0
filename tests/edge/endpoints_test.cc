#include "services/edge/endpoints.h"

#include <gtest/gtest.h>

namespace agentgate::edge {
namespace {

TEST(EndpointsTest, EveryPathOfTheTable) {
  EXPECT_EQ(FindEndpoint("/health").kind, EndpointKind::kHealth);
  EXPECT_EQ(FindEndpoint("/healthz").kind, EndpointKind::kHealth);
  EXPECT_EQ(FindEndpoint("/").kind, EndpointKind::kRoot);
  EXPECT_EQ(FindEndpoint("/metrics").kind, EndpointKind::kMetrics);
  for (auto p : {"/v1/chat/completions", "/chat/completions"}) {
    EXPECT_EQ(FindEndpoint(p).kind, EndpointKind::kChat) << p;
    EXPECT_EQ(FindEndpoint(p).protocol, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  }
  for (auto p : {"/v1/messages", "/messages"}) {
    EXPECT_EQ(FindEndpoint(p).kind, EndpointKind::kMessages) << p;
    EXPECT_EQ(FindEndpoint(p).protocol, admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES);
  }
  EXPECT_EQ(FindEndpoint("/v1/messages/count_tokens").kind, EndpointKind::kCountTokens);
  EXPECT_EQ(FindEndpoint("/v1/responses").kind, EndpointKind::kResponses);
  EXPECT_EQ(FindEndpoint("/v1/responses").protocol, admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES);
  EXPECT_EQ(FindEndpoint("/v1/models").kind, EndpointKind::kModels);
  EXPECT_EQ(FindEndpoint("/v1beta/models").kind, EndpointKind::kGeminiModels);
  Endpoint g = FindEndpoint("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
  EXPECT_EQ(g.kind, EndpointKind::kGemini);
  EXPECT_EQ(g.protocol, admin::v1::CLIENT_PROTOCOL_GEMINI);
}

// /v1/responses/{id}: one path segment of at most 200 bytes, whatever it holds.
TEST(EndpointsTest, AStoredResponsesIdIsOneBoundedSegment) {
  EXPECT_EQ(ResponseIdOf("/v1/responses/resp_1"), "resp_1");
  EXPECT_EQ(ResponseIdOf("/responses/resp_1"), "resp_1");
  EXPECT_EQ(FindEndpoint("/v1/responses/resp_1").kind, EndpointKind::kResponseById);
  EXPECT_EQ(ResponseIdOf("/v1/responses/"), "");
  EXPECT_EQ(ResponseIdOf("/v1/responses/a/input_items"), "");
  EXPECT_EQ(ResponseIdOf("/v1/responses/../../etc"), "");
  EXPECT_EQ(ResponseIdOf("/v1/responses/" + std::string(201, 'x')), "");
  EXPECT_EQ(ResponseIdOf("/v1/responses/" + std::string(200, 'x')).size(), 200u);
  EXPECT_EQ(ResponseIdOf(std::string("/v1/responses/a\0\r\n", 18)).size(), 4u);
  EXPECT_EQ(FindEndpoint("/v1/responses").kind, EndpointKind::kResponses);
}

TEST(EndpointsTest, NearMissesAreUnknown) {
  for (auto p : {"", "/v1", "/v1/chat/completions/", "/V1/messages", "/v1/messages/x",
                 "/v1beta/modelsx", "//v1/messages"}) {
    EXPECT_EQ(FindEndpoint(p).kind, EndpointKind::kUnknown) << p;
  }
}

}  // namespace
}  // namespace agentgate::edge
