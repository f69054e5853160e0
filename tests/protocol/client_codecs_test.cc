#include "services/protocol/client_codecs.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace agentgate::protocol {
namespace {

using routing::Protocol;

constexpr Protocol kAll[] = {Protocol::kOpenAiChat, Protocol::kAnthropicMessages,
                             Protocol::kOpenAiResponses, Protocol::kGemini};

// Deterministic ids: prefix + a counter, and a fixed clock.
struct CountingEnv {
  int next = 0;
  EncoderEnv env{
      [this](std::string_view prefix) { return std::string(prefix) + std::to_string(++next); },
      [] { return int64_t{1700000000}; }};
};

ir::Response Answer() {
  ir::Response r;
  r.model = "upstream-model";
  ir::Part p;
  p.text = "hello back";
  r.output.push_back(p);
  r.finish = ir::FinishReason::kStop;
  r.usage.present = true;
  r.usage.input = 5;
  r.usage.output = 2;
  return r;
}

std::string_view BodyOf(Protocol p) {
  switch (p) {
    case Protocol::kOpenAiChat:
      return R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    case Protocol::kAnthropicMessages:
      return R"({"model":"m","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})";
    case Protocol::kOpenAiResponses:
      return R"({"model":"m","input":"hi"})";
    case Protocol::kGemini:
      return R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})";
  }
  return {};
}

TEST(ClientCodecsTest, EveryClientProtocolHasItsOwnCodec) {
  for (Protocol p : kAll) EXPECT_EQ(ClientCodecFor(p).protocol, p);
  // Gemini names its model in the path: nothing to inspect in the body.
  EXPECT_EQ(ClientCodecFor(Protocol::kGemini).inspect, nullptr);
  EXPECT_NE(ClientCodecFor(Protocol::kOpenAiChat).inspect, nullptr);
}

TEST(ClientCodecsTest, DecodesAPlainTurnInEachProtocol) {
  for (Protocol p : kAll) {
    auto req = ClientCodecFor(p).decode(BodyOf(p), "path-model");
    ASSERT_TRUE(req.ok()) << static_cast<int>(p) << ": " << req.status();
    // Gemini takes the model from the path; the others from the body.
    EXPECT_EQ(req->model, p == Protocol::kGemini ? "path-model" : "m");
    ASSERT_EQ(req->messages.size(), 1u);
  }
}

TEST(ClientCodecsTest, RefusesDuplicateMembersInEveryProtocol) {
  for (Protocol p : kAll) {
    std::string body(BodyOf(p));
    body.insert(1, R"("mod\u0065l":"x","model":"y",)");
    EXPECT_FALSE(ClientCodecFor(p).decode(body, "path-model").ok()) << static_cast<int>(p);
  }
}

TEST(ClientCodecsTest, AnswerIsWrittenInTheClientsShapeWithTheClientsModel) {
  CountingEnv ids;
  for (Protocol p : kAll) {
    const ClientCodec& codec = ClientCodecFor(p);
    auto req = codec.decode(BodyOf(p), "m");
    ASSERT_TRUE(req.ok());
    auto enc = codec.encoder(*req, ids.env);
    auto v = boost::json::parse(enc->Body(Answer())).as_object();
    switch (p) {
      case Protocol::kOpenAiChat:
        EXPECT_EQ(v.at("model").as_string(), "m");
        EXPECT_EQ(v.at("object").as_string(), "chat.completion");
        EXPECT_EQ(v.at("created").as_int64(), 1700000000);
        EXPECT_EQ(std::string_view(v.at("id").as_string()).substr(0, 9), "chatcmpl-");
        break;
      case Protocol::kAnthropicMessages:
        EXPECT_EQ(v.at("model").as_string(), "m");
        EXPECT_EQ(v.at("type").as_string(), "message");
        break;
      case Protocol::kOpenAiResponses:
        EXPECT_EQ(v.at("model").as_string(), "m");
        EXPECT_EQ(v.at("object").as_string(), "response");
        EXPECT_EQ(v.at("created_at").as_int64(), 1700000000);
        break;
      case Protocol::kGemini:
        EXPECT_TRUE(v.at("candidates").is_array());
        break;
    }
  }
}

TEST(ClientCodecsTest, ChatMakesAFreshIdPerAnswerResponsesKeepsOnePerRequest) {
  CountingEnv ids;
  auto chat_req = ClientCodecFor(Protocol::kOpenAiChat).decode(BodyOf(Protocol::kOpenAiChat), "");
  auto chat = ClientCodecFor(Protocol::kOpenAiChat).encoder(*chat_req, ids.env);
  EXPECT_EQ(ids.next, 0);  // nothing made until an answer is written
  auto a = boost::json::parse(chat->Body(Answer())).at("id").as_string();
  auto b = boost::json::parse(chat->Body(Answer())).at("id").as_string();
  EXPECT_NE(a, b);

  auto resp_req =
      ClientCodecFor(Protocol::kOpenAiResponses).decode(BodyOf(Protocol::kOpenAiResponses), "");
  auto resp = ClientCodecFor(Protocol::kOpenAiResponses).encoder(*resp_req, ids.env);
  auto c = boost::json::parse(resp->Body(Answer())).at("id").as_string();
  auto d = boost::json::parse(resp->Body(Answer())).at("id").as_string();
  EXPECT_EQ(c, d);  // a failover's second attempt answers with the same response id
  EXPECT_EQ(std::string_view(c).substr(0, 5), "resp_");
}

TEST(ClientCodecsTest, StreamsEndInEachProtocolsOwnWay) {
  CountingEnv ids;
  for (Protocol p : kAll) {
    const ClientCodec& codec = ClientCodecFor(p);
    auto req = codec.decode(BodyOf(p), "m");
    ASSERT_TRUE(req.ok());
    auto s = codec.encoder(*req, ids.env)->Stream();
    std::string out;
    ir::StreamEvent start(ir::StreamEvent::Kind::kStart);
    s->OnEvent(start, &out);
    ir::StreamEvent text(ir::StreamEvent::Kind::kTextDelta);
    text.text = "hi";
    s->OnEvent(text, &out);
    ir::StreamEvent fin(ir::StreamEvent::Kind::kFinish);
    fin.finish = ir::FinishReason::kStop;
    s->OnEvent(fin, &out);
    s->End(&out);
    EXPECT_NE(out.find("hi"), std::string::npos) << out;
    switch (p) {
      case Protocol::kOpenAiChat:
        EXPECT_NE(out.find("data: [DONE]"), std::string::npos) << out;
        break;
      case Protocol::kAnthropicMessages:
        EXPECT_NE(out.find("event: message_stop"), std::string::npos) << out;
        break;
      case Protocol::kOpenAiResponses:
        EXPECT_NE(out.find("event: response.completed"), std::string::npos) << out;
        break;
      case Protocol::kGemini:
        EXPECT_NE(out.find("\"finishReason\":\"STOP\""), std::string::npos) << out;
        break;
    }
  }
}

TEST(ClientCodecsTest, ErrorsInEachProtocolsShape) {
  auto chat = boost::json::parse(
      ClientCodecFor(Protocol::kOpenAiChat).error_body(429, "slow down", "rate_limited"));
  EXPECT_EQ(chat.at("error").at("message").as_string(), "slow down");
  EXPECT_EQ(chat.at("error").at("code").as_string(), "rate_limited");
  auto messages =
      boost::json::parse(ClientCodecFor(Protocol::kAnthropicMessages).error_body(429, "slow", ""));
  EXPECT_EQ(messages.at("type").as_string(), "error");
  EXPECT_EQ(messages.at("error").at("type").as_string(), "rate_limit_error");
  auto gemini = boost::json::parse(ClientCodecFor(Protocol::kGemini).error_body(429, "slow", ""));
  EXPECT_EQ(gemini.at("error").at("code").as_int64(), 429);
  EXPECT_EQ(gemini.at("error").at("status").as_string(), "RESOURCE_EXHAUSTED");
  // The encoder's error is the codec's, for answers converted from another protocol.
  CountingEnv ids;
  auto req =
      ClientCodecFor(Protocol::kAnthropicMessages).decode(BodyOf(Protocol::kAnthropicMessages), "");
  auto enc = ClientCodecFor(Protocol::kAnthropicMessages).encoder(*req, ids.env);
  EXPECT_EQ(enc->Error(429, "slow"),
            ClientCodecFor(Protocol::kAnthropicMessages).error_body(429, "slow", ""));
}

TEST(ClientCodecsTest, APassedThroughStreamThatBreaksEndsInTheClientsOwnErrorEvent) {
  EXPECT_EQ(
      ClientCodecFor(Protocol::kAnthropicMessages).stream_failure("cut").rfind("event: error\n", 0),
      0u);
  EXPECT_EQ(ClientCodecFor(Protocol::kOpenAiResponses)
                .stream_failure("cut")
                .rfind("event: response.failed\n", 0),
            0u);
  for (Protocol p : {Protocol::kOpenAiChat, Protocol::kGemini}) {
    std::string frame = ClientCodecFor(p).stream_failure("cut");
    ASSERT_EQ(frame.rfind("data: ", 0), 0u) << frame;
    auto v = boost::json::parse(frame.substr(6));
    EXPECT_EQ(v.at("error").at("message").as_string(), "cut");
  }
}

TEST(ClientCodecsTest, AContextOverflowIsWrittenTheWayEachClientActsOnIt) {
  const ContextOverflow o{150000, 128000};
  Reply messages = ClientCodecFor(Protocol::kAnthropicMessages).context_overflow(o, "x", true);
  EXPECT_EQ(messages.status, 400);
  EXPECT_EQ(boost::json::parse(messages.body).at("error").at("message").as_string(),
            "prompt is too long: 150000 tokens > 128000 maximum");
  Reply chat = ClientCodecFor(Protocol::kOpenAiChat).context_overflow(o, "x", false);
  EXPECT_EQ(chat.status, 400);
  EXPECT_EQ(boost::json::parse(chat.body).at("error").at("code").as_string(),
            "context_length_exceeded");
  Reply gemini = ClientCodecFor(Protocol::kGemini).context_overflow(o, "x", false);
  EXPECT_EQ(
      boost::json::parse(gemini.body).at("error").at("message").as_string(),
      "The input token count (150000) exceeds the maximum number of tokens allowed (128000).");
  EXPECT_EQ(boost::json::parse(gemini.body).at("error").at("status").as_string(),
            "INVALID_ARGUMENT");
  Reply streamed = ClientCodecFor(Protocol::kOpenAiResponses).context_overflow(o, "x", true);
  EXPECT_EQ(streamed.status, 200);
  EXPECT_EQ(streamed.content_type, "text/event-stream");
  EXPECT_NE(streamed.body.find("event: response.failed\n"), std::string::npos);
  EXPECT_NE(streamed.body.find("\"code\":\"context_length_exceeded\""), std::string::npos);
  Reply whole = ClientCodecFor(Protocol::kOpenAiResponses).context_overflow(o, "x", false);
  EXPECT_EQ(whole.status, 400);
  // Numbers the provider did not give are not made up.
  Reply vague = ClientCodecFor(Protocol::kAnthropicMessages)
                    .context_overflow({}, "Input is too long for requested model.", false);
  EXPECT_EQ(boost::json::parse(vague.body).at("error").at("message").as_string(),
            "prompt is too long: Input is too long for requested model.");
}

}  // namespace
}  // namespace agentgate::protocol
