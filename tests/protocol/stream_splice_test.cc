#include "services/protocol/stream_splice.h"

#include <gtest/gtest.h>

#include "services/protocol/client_codecs.h"

namespace agentgate::protocol {
namespace {

using Kind = ir::StreamEvent::Kind;

struct CountingEnv {
  int next = 0;
  EncoderEnv env{
      [this](std::string_view prefix) { return std::string(prefix) + std::to_string(++next); },
      [] { return int64_t{1700000000}; }};
};

ir::StreamEvent Ev(Kind k, std::string text = {}) {
  ir::StreamEvent e(k);
  e.text = std::move(text);
  if (k == Kind::kStart) e.model = "m";
  if (k == Kind::kFinish) e.finish = ir::FinishReason::kStop;
  return e;
}

size_t Count(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string_view::npos;
       at = hay.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

class SplicedStreamTest : public ::testing::Test {
 protected:
  std::unique_ptr<SplicedStream> For(routing::Protocol p, std::string_view body) {
    const ClientCodec& codec = ClientCodecFor(p);
    auto req = codec.decode(body, "m");
    EXPECT_TRUE(req.ok()) << req.status();
    encoder_ = codec.encoder(*req, ids_.env);
    return std::make_unique<SplicedStream>(encoder_->Stream());
  }
  CountingEnv ids_;
  std::unique_ptr<ClientEncoder> encoder_;
};

// Claude Code reads one message: one message_start, one text block at index 0 that goes on
// across the cut, one message_stop.
TEST_F(SplicedStreamTest, MessagesClientReadsOneAnswerAcrossACut) {
  auto s = For(routing::Protocol::kAnthropicMessages,
               R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"}]})");
  std::string out;
  {
    auto first = s->Attach();
    first->OnEvent(Ev(Kind::kStart), &out);
    first->OnEvent(Ev(Kind::kTextDelta, "Hello, wor"), &out);
  }
  ASSERT_TRUE(s->continuable());
  s->Cut();
  EXPECT_TRUE(s->continuing());
  EXPECT_EQ(s->text(), "Hello, wor");
  {
    auto second = s->Attach();
    second->OnEvent(Ev(Kind::kStart), &out);
    second->OnEvent(Ev(Kind::kTextDelta, "ld!"), &out);
    second->OnEvent(Ev(Kind::kFinish), &out);
    second->End(&out);
  }
  EXPECT_EQ(Count(out, "event: message_start"), 1u) << out;
  EXPECT_EQ(Count(out, "event: content_block_start"), 1u) << out;
  EXPECT_EQ(Count(out, "event: message_stop"), 1u) << out;
  EXPECT_NE(out.find("Hello, wor"), std::string::npos);
  EXPECT_NE(out.find("ld!"), std::string::npos);
  EXPECT_EQ(s->text(), "Hello, world!");
  EXPECT_FALSE(s->continuable());  // ended
}

// Codex reads sequence numbers that keep counting and one response.created.
TEST_F(SplicedStreamTest, ResponsesSequenceNumbersCarryOn) {
  auto s = For(routing::Protocol::kOpenAiResponses, R"({"model":"m","input":"hi","stream":true})");
  std::string out;
  auto first = s->Attach();
  first->OnEvent(Ev(Kind::kStart), &out);
  first->OnEvent(Ev(Kind::kTextDelta, "a"), &out);
  s->Cut();
  auto second = s->Attach();
  second->OnEvent(Ev(Kind::kStart), &out);
  second->OnEvent(Ev(Kind::kTextDelta, "b"), &out);
  second->OnEvent(Ev(Kind::kFinish), &out);
  second->End(&out);
  EXPECT_EQ(Count(out, "event: response.created"), 1u) << out;
  EXPECT_EQ(Count(out, "event: response.completed"), 1u) << out;
  // Every sequence number appears once, in order.
  int expect = 0;
  for (size_t at = out.find("\"sequence_number\":"); at != std::string::npos;
       at = out.find("\"sequence_number\":", at + 1)) {
    EXPECT_EQ(std::atoi(out.c_str() + at + 18), expect) << out;
    ++expect;
  }
  EXPECT_GT(expect, 4);
}

TEST_F(SplicedStreamTest, NotContinuableOnceAToolCallBegan) {
  auto s = For(routing::Protocol::kOpenAiChat,
               R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true})");
  std::string out;
  auto a = s->Attach();
  EXPECT_FALSE(s->continuable());  // nothing sent yet: a plain retry, not a continuation
  a->OnEvent(Ev(Kind::kStart), &out);
  EXPECT_TRUE(s->continuable());
  a->OnEvent(Ev(Kind::kTextDelta, "let me look"), &out);
  EXPECT_TRUE(s->continuable());
  ir::StreamEvent call(Kind::kToolCallStart);
  call.call_id = "call_1";
  call.name = "read";
  a->OnEvent(call, &out);
  EXPECT_FALSE(s->continuable());
}

TEST_F(SplicedStreamTest, AnAnswerTooLongToSendBackIsNotContinued) {
  auto s = For(routing::Protocol::kOpenAiChat,
               R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true})");
  std::string out;
  s->OnEvent(Ev(Kind::kStart), &out);
  const std::string piece(64 * 1024, 'x');
  for (int i = 0; i < 15; ++i) s->OnEvent(Ev(Kind::kTextDelta, piece), &out);
  EXPECT_TRUE(s->continuable());
  for (int i = 0; i < 2; ++i) s->OnEvent(Ev(Kind::kTextDelta, piece), &out);
  EXPECT_FALSE(s->continuable()) << "over 1 MiB of text";
  EXPECT_TRUE(s->text().empty()) << "and not held either";
}

TEST_F(SplicedStreamTest, AFailureEndsIt) {
  auto s = For(routing::Protocol::kOpenAiChat,
               R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true})");
  std::string out;
  s->OnEvent(Ev(Kind::kStart), &out);
  s->OnEvent(Ev(Kind::kTextDelta, "x"), &out);
  s->Fail("upstream failed: cut", &out);
  EXPECT_FALSE(s->continuable());
  EXPECT_NE(out.find("upstream failed: cut"), std::string::npos) << out;
  std::string after;
  s->OnEvent(Ev(Kind::kTextDelta, "y"), &after);
  EXPECT_TRUE(after.empty());
}

TEST(AddContinuationTest, PartialAndAskOrPrefill) {
  ir::Request req;
  req.messages.resize(1);
  EXPECT_EQ(AddContinuation(req, "", false), 0);
  EXPECT_EQ(req.messages.size(), 1u);

  EXPECT_EQ(AddContinuation(req, "The answer is", false), 2);
  ASSERT_EQ(req.messages.size(), 3u);
  EXPECT_EQ(req.messages[1].role, ir::Role::kAssistant);
  EXPECT_EQ(req.messages[1].parts.at(0).text, "The answer is");
  EXPECT_EQ(req.messages[2].role, ir::Role::kUser);
  EXPECT_EQ(req.messages[2].parts.at(0).text, kContinueInstruction);

  req.messages.resize(1);
  EXPECT_EQ(AddContinuation(req, "The answer is", true), 1);
  ASSERT_EQ(req.messages.size(), 2u);
  EXPECT_EQ(req.messages.back().role, ir::Role::kAssistant);
}

}  // namespace
}  // namespace agentgate::protocol
