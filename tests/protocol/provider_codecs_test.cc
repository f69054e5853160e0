#include "services/protocol/provider_codecs.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace agentgate::protocol {
namespace {

ir::Request Hello() {
  ir::Request req;
  req.model = "client-model";
  req.system.push_back("be brief");
  ir::Message m;
  m.role = ir::Role::kUser;
  ir::Part p;
  p.text = "hello";
  m.parts.push_back(p);
  req.messages.push_back(m);
  req.max_tokens = 64;
  return req;
}

TEST(EventsOfTest, AWholeAnswerBecomesTheEventsOfItsStream) {
  ir::Response r;
  r.id = "x";
  r.model = "m";
  ir::Part think;
  think.kind = ir::Part::Kind::kReasoning;
  think.text = "hmm";
  think.signature = "S";
  ir::Part text;
  text.text = "hi";
  ir::Part call;
  call.kind = ir::Part::Kind::kToolCall;
  call.call_id = "c";
  call.name = "f";
  call.arguments = "{}";
  r.output = {think, text, call};
  r.finish = ir::FinishReason::kToolCalls;
  r.usage.present = true;
  using K = ir::StreamEvent::Kind;
  std::vector<K> kinds;
  for (const auto& e : ir::EventsOf(r)) kinds.push_back(e.kind);
  EXPECT_EQ(kinds,
            (std::vector<K>{K::kStart, K::kReasoningDelta, K::kReasoningSignature, K::kTextDelta,
                            K::kToolCallStart, K::kToolCallDelta, K::kFinish, K::kUsage}));
}

TEST(ProviderCodecsTest, EveryProtocolHasOne) {
  for (auto p : {routing::Protocol::kOpenAiChat, routing::Protocol::kAnthropicMessages,
                 routing::Protocol::kGemini, routing::Protocol::kOpenAiResponses}) {
    const ProviderCodec* c = ProviderCodecFor(p);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->protocol, p);
    EXPECT_NE(c->stream_decoder("custom_openai_compatible"), nullptr);
  }
}

TEST(ProviderCodecsTest, EachWritesItsOwnShape) {
  ir::Request req = Hello();
  auto chat = boost::json::parse(
      ProviderCodecFor(routing::Protocol::kOpenAiChat)->encode(req, "up-model", "deepseek"));
  EXPECT_EQ(chat.at("model").as_string(), "up-model");
  EXPECT_TRUE(chat.at("messages").is_array());
  auto messages = boost::json::parse(ProviderCodecFor(routing::Protocol::kAnthropicMessages)
                                         ->encode(req, "claude-x", "anthropic"));
  EXPECT_EQ(messages.at("model").as_string(), "claude-x");
  EXPECT_TRUE(messages.at("max_tokens").is_number());
  auto gemini = boost::json::parse(
      ProviderCodecFor(routing::Protocol::kGemini)->encode(req, "gemini-x", "google_gemini"));
  EXPECT_FALSE(gemini.as_object().contains("model"));  // the model is in the URL
  EXPECT_TRUE(gemini.at("contents").is_array());
}

TEST(ProviderCodecsTest, DecodeReadsAWholeAnswer) {
  auto r = ProviderCodecFor(routing::Protocol::kOpenAiChat)
               ->decode(R"({"choices":[{"message":{"role":"assistant","content":"hi"},)"
                        R"("finish_reason":"stop"}],"usage":{"prompt_tokens":3,)"
                        R"("completion_tokens":1}})",
                        "custom_openai_compatible");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->usage.input, 3);
  EXPECT_FALSE(ProviderCodecFor(routing::Protocol::kAnthropicMessages)
                   ->decode(R"({"content":[],"content":[]})", "anthropic")
                   .ok());
}

}  // namespace
}  // namespace agentgate::protocol
