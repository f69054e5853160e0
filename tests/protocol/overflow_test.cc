#include "services/protocol/overflow.h"

#include <gtest/gtest.h>

namespace agentgate::protocol {
namespace {

struct Case {
  const char* who;
  int status;
  const char* body;
  int64_t tokens, limit;
};

// Each provider's own words, as quoted in provider-rules.md (2026-12) and the providers' docs.
TEST(ContextOverflowTest, EveryProvidersWordsAreRecognisedWithTheirNumbers) {
  const Case cases[] = {
      {"anthropic", 400,
       R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 213462 tokens > 200000 maximum"},"request_id":"req_1"})",
       213462, 200000},
      {"openai chat", 400,
       R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 150000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})",
       150000, 128000},
      {"openai responses", 400,
       R"({"error":{"message":"Your input exceeds the context window of this model. Please adjust your input and try again.","type":"invalid_request_error","param":"input","code":"context_length_exceeded"}})",
       0, 0},
      {"gemini", 400,
       R"({"error":{"code":400,"message":"The input token count (1300000) exceeds the maximum number of tokens allowed (1048575).","status":"INVALID_ARGUMENT"}})",
       1300000, 1048575},
      {"deepseek", 400,
       R"({"error":{"message":"This model's maximum context length is 131072 tokens. However, you requested 140000 tokens (140000 in the messages, 0 in the completion).","type":"invalid_request_error","param":null,"code":"invalid_request_error"}})",
       140000, 131072},
      {"openrouter", 400,
       R"({"error":{"message":"This endpoint's maximum context length is 262144 tokens. However, you requested about 300000 tokens (300000 of text input). Please reduce the length of either one.","code":400}})",
       300000, 262144},
      {"kimi", 400,
       R"({"error":{"message":"Invalid request: Your request exceeded model token limit: 262144","type":"invalid_request_error"}})",
       0, 262144},
      {"together", 400,
       R"({"error":{"message":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32769. Given: 40000 `inputs` tokens. input length is greater than the maximum allowed","type":"invalid_request_error"}})",
       0, 0},
      {"bedrock claude", 400, R"({"message":"Input is too long for requested model."})", 0, 0},
  };
  for (const Case& c : cases) {
    auto o = DetectContextOverflow(c.status, c.body);
    ASSERT_TRUE(o.has_value()) << c.who;
    EXPECT_EQ(o->tokens, c.tokens) << c.who;
    EXPECT_EQ(o->limit, c.limit) << c.who;
  }
}

TEST(ContextOverflowTest, OtherErrorsAreNot) {
  // Rate limits speak of tokens too.
  EXPECT_FALSE(DetectContextOverflow(
      429,
      R"({"error":{"message":"Rate limit reached for gpt-6 on tokens per min (TPM): Limit 30000","code":"rate_limit_exceeded"}})"));
  EXPECT_FALSE(DetectContextOverflow(
      413,
      R"({"error":{"message":"Request too large for model on tokens per minute (TPM): Limit 6000, Requested 9000","type":"tokens"}})"));
  EXPECT_FALSE(DetectContextOverflow(
      400,
      R"({"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 9999999 > 128000, which is the maximum allowed number of output tokens for claude-opus-5"}})"));
  EXPECT_FALSE(DetectContextOverflow(
      500,
      R"({"error":{"message":"maximum context length is 1 tokens","code":"context_length_exceeded"}})"));
  EXPECT_FALSE(DetectContextOverflow(200, R"({"choices":[]})"));
  EXPECT_FALSE(DetectContextOverflow(400, "not json at all"));
  EXPECT_FALSE(DetectContextOverflow(400, ""));
}

TEST(ContextOverflowTest, HostileNumbersDoNotOverflow) {
  auto o = DetectContextOverflow(
      400,
      R"({"error":{"message":"prompt is too long: 99999999999999999999999999 tokens > 1 maximum"}})");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->tokens, 0);
  EXPECT_EQ(o->limit, 1);
}

}  // namespace
}  // namespace agentgate::protocol
