// Stream ↔ whole-answer fallback through the real services: a provider that answers only
// streams, one that cannot stream, and one that streams when asked for a whole answer; the client
// always gets the mode it asked for.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
using fakes::ScriptedResponse;

class StreamModesTest : public ::testing::Test {
 protected:
  void SetUp() override { stack_.Start(); }
  FakeUpstream upstream_;
  Stack stack_;
};

// DashScope's QwQ refuses a whole-answer request (the strict fake says so in its words): the
// gateway asks again for a stream and gives OpenCode-style Chat clients the whole answer.
TEST_F(StreamModesTest, AStreamOnlyModelStillGivesAWholeAnswer) {
  stack_.AddProvider("qwen", upstream_.base_url(), "k", "qwq-plus");
  HttpResponse r = stack_.Chat(ChatBody("qwq-plus"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("application/json", 0), 0u);
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "pong from qwq-plus") << r.body;
  EXPECT_EQ(v.at("usage").at("completion_tokens"), 5) << r.body;
  auto got = upstream_.Received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(boost::json::parse(got[0].body).as_object().contains("stream"));
  EXPECT_EQ(boost::json::parse(got[1].body).at("stream"), true);
}

// OpenAI refuses to stream o3 to an unverified organization: asked again for a whole answer,
// which reaches the streaming client as its stream.
TEST_F(StreamModesTest, AModelThatCannotStreamStillGivesAStream) {
  stack_.AddProvider("openai", upstream_.base_url(), "k", "o3");
  ScriptedResponse refused;
  refused.status = 400;
  refused.body =
      R"({"error":{"message":"Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.","type":"invalid_request_error","param":"stream","code":"unsupported_value"}})";
  upstream_.Enqueue(refused);
  HttpResponse r = stack_.Chat(ChatBody("o3", true));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_NE(r.body.find("pong from o3"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos) << r.body;
  auto got = upstream_.Received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(boost::json::parse(got[1].body).as_object().contains("stream"));
}

// A provider that streams although asked for a whole answer: Claude Code's non-streaming
// request still gets one Messages JSON.
TEST_F(StreamModesTest, AStreamToAWholeAnswerRequestIsReadWhole) {
  stack_.AddProvider("local", upstream_.base_url(), "k", "m");
  ScriptedResponse streamed;
  streamed.stream_chunks = fakes::ChatCompletionStream("m", {"all ", "in ", "one"}, true);
  upstream_.Enqueue(streamed);
  HttpResponse r = stack_.Messages(
      R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("type"), "message");
  EXPECT_EQ(v.at("content").at(0).at("text"), "all in one") << r.body;
  EXPECT_EQ(v.at("usage").at("output_tokens"), 5) << r.body;
}

// A stream cut before its end, to a whole-answer request: never half an answer — the provider
// is asked again, as after any dropped connection.
TEST_F(StreamModesTest, AStreamCutBeforeItsEndIsAskedAgain) {
  stack_.AddProvider("local", upstream_.base_url(), "k", "m");
  ScriptedResponse cut;
  cut.stream_chunks = fakes::ChatCompletionStream("m", {"half ", "an ", "answer"}, false);
  cut.cut_after_chunks = 2;
  upstream_.Enqueue(cut);
  HttpResponse r = stack_.Messages(
      R"({"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(boost::json::parse(r.body).at("content").at(0).at("text"), "pong from m") << r.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 2u);
}

}  // namespace
}  // namespace agentgate::testing
