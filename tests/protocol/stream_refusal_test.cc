#include "services/protocol/stream_refusal.h"

#include <gtest/gtest.h>

namespace agentgate::protocol {
namespace {

// The providers' own words, as users met them.
TEST(StreamRefusalTest, TheWordsOfEachProvider) {
  EXPECT_EQ(
      DetectStreamRefusal(
          400,
          R"({"error":{"code":"invalid_parameter_error","param":null,"message":"This model only support stream mode, please enable the stream parameter to access the model. ","type":"invalid_request_error"}})"),
      StreamRefusal::kNeedsStream);
  EXPECT_EQ(
      DetectStreamRefusal(
          400,
          R"({"error":{"message":"Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.","type":"invalid_request_error","param":"stream","code":"unsupported_value"}})"),
      StreamRefusal::kCannotStream);
  EXPECT_EQ(
      DetectStreamRefusal(
          400,
          R"({"error":{"message":"Unsupported value: 'stream' does not support true with this model. Only the default (false) value is supported.","type":"invalid_request_error","param":"stream","code":"unsupported_value"}})"),
      StreamRefusal::kCannotStream);
}

TEST(StreamRefusalTest, OtherErrorsAreNot) {
  EXPECT_EQ(DetectStreamRefusal(429, R"({"error":{"message":"only support stream mode"}})"),
            StreamRefusal::kNone);
  EXPECT_EQ(DetectStreamRefusal(400, R"({"error":{"message":"max_tokens is too large"}})"),
            StreamRefusal::kNone);
  EXPECT_EQ(DetectStreamRefusal(400, R"({"error":{"message":"stream_options needs stream"}})"),
            StreamRefusal::kNone);
  EXPECT_EQ(DetectStreamRefusal(400, "not json at all"), StreamRefusal::kNone);
}

}  // namespace
}  // namespace agentgate::protocol
