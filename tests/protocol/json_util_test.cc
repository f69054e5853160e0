// Hostile numbers and shapes the fuzzers found: no undefined casts, overflows or non-JSON output.
#include "services/protocol/json_util.h"

#include <gtest/gtest.h>

#include "services/protocol/chat_codec.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/openai_chat.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

TEST(JsonUtil, IntRejectsDoublesThatDoNotFit) {
  bj::value v = bj::parse(R"({"a":1e300,"b":-1e300,"c":42.9,"d":18446744073709551615})");
  EXPECT_FALSE(json::Int(v, "a").has_value());
  EXPECT_FALSE(json::Int(v, "b").has_value());
  EXPECT_EQ(json::Int(v, "c"), 42);
  EXPECT_EQ(json::Int(v, "d"), INT64_MAX);
}

TEST(JsonUtil, CountsAreClamped) {
  bj::value v = bj::parse(R"({"neg":-5,"huge":9223372036854775807,"ok":7})");
  EXPECT_EQ(json::Count(v, "neg"), 0);
  EXPECT_EQ(json::Count(v, "huge"), 1000000000000);
  EXPECT_EQ(json::Count(v, "ok"), 7);
  EXPECT_EQ(json::Count(v, "missing"), 0);
}

TEST(JsonUtil, NonFiniteNumbersAreRefusedNotForwarded) {
  auto req = DecodeMessagesRequest(
      R"({"model":"m","max_tokens":5,"temperature":1e999,"messages":[{"role":"user","content":"x"}]})");
  EXPECT_FALSE(req.ok());
  bj::value v = bj::parse(R"({"t":1e999})");
  EXPECT_FALSE(json::Double(v, "t").has_value());
}

TEST(JsonUtil, NumbersNoDoubleCarriesAreRefused) {
  EXPECT_FALSE(json::Parse(R"({"a":[1,{"b":1e400}]})").has_value());
  EXPECT_TRUE(json::Parse(R"({"a":[1,{"b":1e300}]})").has_value());
  auto chat = ParseChatRequest(R"({"model":"m","messages":[],"temperature":1e400})");
  EXPECT_FALSE(chat.ok());
  // Pass-through leaves a body it cannot rewrite as it was.
  std::string body = R"({"model":"m","x":1e400})";
  EXPECT_EQ(json::ReplaceModel(body, "n"), body);
}

TEST(JsonUtil, HugeUsageDoesNotOverflow) {
  ir::Usage u = UsageFromJson(bj::parse(
      R"({"usage":{"input_tokens":9223372036854775807,"cache_read_input_tokens":9223372036854775807,
          "cache_creation_input_tokens":9223372036854775807,"output_tokens":1}})"));
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 3000000000000);
  std::string gemini =
      EncodeGeminiResponse(ir::Response{"", "", {}, ir::FinishReason::kStop, u}, "m");
  EXPECT_TRUE(json::Parse(gemini).has_value());
}

TEST(JsonUtil, GeminiToolsThatAreNotObjectsAreRefused) {
  auto req = DecodeGeminiRequest(R"({"contents":[],"tools":[1]})", "m");
  EXPECT_FALSE(req.ok());
}

}  // namespace
}  // namespace agentgate::protocol
