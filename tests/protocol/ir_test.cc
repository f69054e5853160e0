#include "services/protocol/ir.h"

#include <gtest/gtest.h>

namespace agentgate::protocol {
namespace {

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

TEST(StripImagesTest, EveryImageOutAndNamed) {
  ir::Request req;
  ir::Message m;
  ir::Part text;
  text.text = "look";
  ir::Part image;
  image.kind = ir::Part::Kind::kImage;
  image.image.media_type = "image/png";
  image.image.data = "AAAA";
  ir::Part result;
  result.kind = ir::Part::Kind::kToolResult;
  result.call_id = "c1";
  result.content = {text, image};
  m.parts = {text, image, result};
  req.messages.push_back(m);
  EXPECT_TRUE(ir::HasImages(req));
  EXPECT_EQ(ir::StripImages(req), 2);
  EXPECT_FALSE(ir::HasImages(req));
  EXPECT_EQ(req.messages[0].parts[1].kind, ir::Part::Kind::kText);
  EXPECT_NE(req.messages[0].parts[1].text.find("text only"), std::string::npos);
  EXPECT_EQ(req.messages[0].parts[2].content[1].kind, ir::Part::Kind::kText);
  ASSERT_EQ(req.losses.size(), 1u);
  EXPECT_EQ(ir::StripImages(req), 0);
  EXPECT_EQ(req.losses.size(), 1u) << "nothing taken: no second loss";
}

}  // namespace
}  // namespace agentgate::protocol
