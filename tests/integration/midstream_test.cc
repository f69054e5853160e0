// Mid-stream failover through the real services: a provider that cuts a stream after its first
// bytes, the route's choice to continue elsewhere, and what the client and the record see.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
using fakes::ScriptedResponse;

size_t Count(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string_view::npos;
       at = hay.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// "Hello, " then the connection drops.
ScriptedResponse CutAfterHello() {
  ScriptedResponse cut;
  cut.stream_chunks = fakes::ChatCompletionStream("m", {"Hel", "lo, ", "wor", "ld"}, false);
  cut.cut_after_chunks = 3;  // the role chunk, "Hel", "lo, "
  return cut;
}

ScriptedResponse World() {
  ScriptedResponse rest;
  rest.stream_chunks = fakes::ChatCompletionStream("m", {"world!"}, true);
  return rest;
}

class MidstreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("first", first_.base_url(), "k1", "m");
    stack_.AddProvider("second", second_.base_url(), "k2", "m");
  }
  void SetMidstream(const std::string& route, bool on) {
    admin::v1::RouteProfile r;
    {
      auto ctx = stack_.AdminContext();
      admin::v1::GetRouteRequest get;
      get.set_name(route);
      ASSERT_TRUE(stack_.Admin()->GetRoute(ctx.get(), get, &r).ok());
    }
    r.set_midstream_failover(on);
    admin::v1::RouteProfile updated;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->UpdateRoute(ctx.get(), r, &updated);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(updated.midstream_failover(), on);
    ASSERT_TRUE(stack_.SyncEdge());
  }
  // The record of the request with `id`, once the stats service has it.
  admin::v1::RequestLog Record(const std::string& id) {
    for (int i = 0; i < 200; ++i) {
      admin::v1::ListRequestLogsRequest req;
      req.set_limit(100);
      admin::v1::ListRequestLogsResponse resp;
      auto ctx = stack_.AdminContext();
      if (stack_.Admin()->ListRequestLogs(ctx.get(), req, &resp).ok()) {
        for (const auto& l : resp.logs()) {
          if (l.request_id() == id) return l;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no record for " << id;
    return {};
  }
  FakeUpstream first_, second_;
  Stack stack_;
};

TEST_F(MidstreamTest, OffByDefaultACutEndsTheStreamWithAnError) {
  first_.Enqueue(CutAfterHello());
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("stream_interrupted"), std::string::npos) << r.body;
  EXPECT_EQ(second_.ReceivedCount(), 0u);
}

// A Chat client (OpenCode) reads one completion: the text before the cut, then the next
// provider's continuation, one [DONE]; the second provider was asked to go on from "Hello, ".
TEST_F(MidstreamTest, ChatStreamContinuesOnTheNextProvider) {
  SetMidstream("chat", true);
  first_.Enqueue(CutAfterHello());
  second_.Enqueue(World());
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.body.find("stream_interrupted"), std::string::npos) << r.body;
  EXPECT_EQ(Count(r.body, "data: [DONE]"), 1u) << r.body;
  EXPECT_EQ(Count(r.body, "\"role\":\"assistant\""), 1u) << "one start: " << r.body;
  EXPECT_NE(r.body.find("Hel"), std::string::npos);
  EXPECT_LT(r.body.find("lo, "), r.body.find("world!")) << r.body;
  // One completion id throughout.
  std::string first_id = r.body.substr(r.body.find("\"id\":"), 30);
  EXPECT_EQ(Count(r.body, first_id), Count(r.body, "\"id\":")) << r.body;

  ASSERT_EQ(second_.ReceivedCount(), 1u);
  auto sent = boost::json::parse(second_.Received()[0].body).as_object();
  const auto& msgs = sent.at("messages").as_array();
  ASSERT_GE(msgs.size(), 3u);
  EXPECT_EQ(msgs[msgs.size() - 2].at("role"), "assistant");
  EXPECT_EQ(msgs[msgs.size() - 2].at("content"), "Hello, ");
  EXPECT_EQ(msgs.back().at("role"), "user");
  EXPECT_NE(std::string(msgs.back().at("content").as_string()).find("cut off"), std::string::npos);

  admin::v1::RequestLog rec = Record(r.headers["x-agentgate-request-id"]);
  EXPECT_EQ(rec.status(), 200);
  ASSERT_EQ(rec.tried_size(), 2) << rec.DebugString();
  EXPECT_EQ(rec.tried(0).provider(), "first");
  EXPECT_EQ(rec.tried(0).outcome(), "stream_cut");
  EXPECT_FALSE(rec.tried(0).continued());
  EXPECT_EQ(rec.tried(1).provider(), "second");
  EXPECT_TRUE(rec.tried(1).continued());
  EXPECT_EQ(rec.provider(), "second");
  EXPECT_EQ(rec.output_tokens(), 5);  // the continuation's usage
}

// Claude Code reads one message: one message_start, one text block, one message_stop.
TEST_F(MidstreamTest, ClaudeCodeReadsOneMessage) {
  SetMidstream("claude", true);
  first_.Enqueue(CutAfterHello());
  second_.Enqueue(World());
  HttpResponse r = stack_.Messages(
      R"({"model":"m","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Count(r.body, "event: message_start"), 1u) << r.body;
  EXPECT_EQ(Count(r.body, "event: content_block_start"), 1u) << r.body;
  EXPECT_EQ(Count(r.body, "event: message_stop"), 1u) << r.body;
  EXPECT_EQ(r.body.find("event: error"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("world!"), std::string::npos);
}

// Codex (Responses, converted to Chat): sequence numbers go on counting.
TEST_F(MidstreamTest, CodexSequenceNumbersCarryOn) {
  SetMidstream("codex", true);
  first_.Enqueue(CutAfterHello());
  second_.Enqueue(World());
  HttpResponse r = stack_.Responses(R"({"model":"m","stream":true,"input":"hi"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Count(r.body, "event: response.created"), 1u) << r.body;
  EXPECT_EQ(Count(r.body, "event: response.completed"), 1u) << r.body;
  EXPECT_EQ(r.body.find("event: response.failed"), std::string::npos) << r.body;
  int expect = 0;
  for (size_t at = r.body.find("\"sequence_number\":"); at != std::string::npos;
       at = r.body.find("\"sequence_number\":", at + 1)) {
    EXPECT_EQ(std::atoi(r.body.c_str() + at + 18), expect++) << r.body;
  }
}

// With one provider, the cut answer is continued on that provider itself.
TEST_F(MidstreamTest, TheOnlyProviderContinuesItsOwnCut) {
  admin::v1::DeleteProviderRequest del;
  del.set_name("second");
  admin::v1::DeleteProviderResponse resp;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->DeleteProvider(ctx.get(), del, &resp).ok());
  }
  SetMidstream("chat", true);
  first_.Enqueue(CutAfterHello());
  first_.Enqueue(World());
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Count(r.body, "data: [DONE]"), 1u) << r.body;
  EXPECT_NE(r.body.find("world!"), std::string::npos) << r.body;
  EXPECT_EQ(first_.ReceivedCount(), 2u);
}

// A cut inside a tool call cannot be taken back: the client is told, nothing else is asked.
TEST_F(MidstreamTest, ACutInsideAToolCallIsNotContinued) {
  SetMidstream("chat", true);
  ScriptedResponse cut;
  cut.stream_chunks =
      fakes::ChatToolCallStream("m", "call_1", "read", R"({"path":"a.txt"})", false);
  cut.cut_after_chunks = 2;
  first_.Enqueue(cut);
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("stream_interrupted"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(second_.ReceivedCount(), 0u);
}

// The next provider fails before its first byte and none is left: the stream the client has
// open ends with the error in-band, and the record says 502.
TEST_F(MidstreamTest, WhenTheContinuationFailsTooTheStreamEndsInBand) {
  SetMidstream("chat", true);
  first_.Enqueue(CutAfterHello());
  ScriptedResponse down;
  down.status = 400;  // not worth a retry: the last word
  down.body = R"({"error":{"message":"bad things","type":"invalid_request_error"}})";
  second_.Enqueue(down);
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.error.empty()) << "the stream still ends cleanly: " << r.error;
  EXPECT_NE(r.body.find("Hel"), std::string::npos);
  EXPECT_NE(r.body.find("stream_interrupted"), std::string::npos) << r.body;
  EXPECT_EQ(Count(r.body, "\"role\":\"assistant\""), 1u) << r.body;
  admin::v1::RequestLog rec = Record(r.headers["x-agentgate-request-id"]);
  EXPECT_EQ(rec.status(), 502);
  EXPECT_EQ(rec.tried_size(), 2);
  // The edge keeps working.
  EXPECT_EQ(stack_.Chat(ChatBody("m")).status, 200);
}

}  // namespace
}  // namespace agentgate::testing
