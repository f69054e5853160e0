#include "services/protocol/stream_refusal.h"

#include <gtest/gtest.h>

#include "services/protocol/ir.h"

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

// A stream's events gathered back into the answer they came from.
TEST(ResponseBuilderTest, EventsBackIntoTheWholeAnswer) {
  ir::Response r;
  r.id = "resp_1";
  r.model = "m";
  ir::Part thought;
  thought.kind = ir::Part::Kind::kReasoning;
  thought.text = "think";
  thought.signature = "sig";
  r.output.push_back(thought);
  ir::Part text;
  text.text = "hello";
  r.output.push_back(text);
  for (int i = 0; i < 2; ++i) {
    ir::Part call;
    call.kind = ir::Part::Kind::kToolCall;
    call.call_id = "c" + std::to_string(i);
    call.name = "read";
    call.arguments = R"({"path":"a"})";
    call.signature = i == 0 ? "gsig" : "";
    r.output.push_back(call);
  }
  r.finish = ir::FinishReason::kToolCalls;
  r.usage.present = true;
  r.usage.input = 10;
  r.usage.output = 3;
  ir::ResponseBuilder b;
  for (const auto& ev : ir::EventsOf(r)) b.OnEvent(ev);
  ASSERT_FALSE(b.error());
  ir::Response back = b.Take();
  EXPECT_EQ(back.id, "resp_1");
  EXPECT_EQ(back.model, "m");
  ASSERT_EQ(back.output.size(), 4u);
  EXPECT_EQ(back.output[0].kind, ir::Part::Kind::kReasoning);
  EXPECT_EQ(back.output[0].text, "think");
  EXPECT_EQ(back.output[0].signature, "sig");
  EXPECT_EQ(back.output[1].text, "hello");
  EXPECT_EQ(back.output[2].call_id, "c0");
  EXPECT_EQ(back.output[2].arguments, R"({"path":"a"})");
  EXPECT_EQ(back.output[2].signature, "gsig");
  EXPECT_EQ(back.output[3].call_id, "c1");
  EXPECT_EQ(back.finish, ir::FinishReason::kToolCalls);
  EXPECT_EQ(back.usage.input, 10);
}

TEST(ResponseBuilderTest, PiecesJoinAndHostileIndexesAreIgnored) {
  ir::ResponseBuilder b;
  using K = ir::StreamEvent::Kind;
  auto ev = [](K k, std::string text, int index = 0) {
    ir::StreamEvent e(k);
    e.text = std::move(text);
    e.index = index;
    return e;
  };
  b.OnEvent(ev(K::kTextDelta, "hel"));
  b.OnEvent(ev(K::kTextDelta, "lo"));
  b.OnEvent(ev(K::kToolCallDelta, "{}", 7));  // no such call
  b.OnEvent(ev(K::kToolCallStart, "", -3));   // a negative index
  b.OnEvent(ev(K::kToolCallDelta, "x", -3));
  b.OnEvent(ev(K::kToolCallStart, "", 1 << 30));  // absurdly large
  b.OnEvent(ev(K::kError, "overloaded"));
  ASSERT_TRUE(b.error());
  EXPECT_EQ(*b.error(), "overloaded");
  ir::Response r = b.Take();
  ASSERT_EQ(r.output.size(), 3u);
  EXPECT_EQ(r.output[0].text, "hello");
  EXPECT_EQ(r.output[1].arguments, "");
}

}  // namespace
}  // namespace agentgate::protocol
