// Chat Completions as the client side: request decoding (an OpenCode-shaped request, bad
// requests), the non-streaming answer, and the chunk stream: its contract, a Chat → ir → Chat
// round trip fed whole, byte by byte and in random splits, failures and the end.
#include "services/protocol/chat_client.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "services/protocol/chat_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;
using Kind = ir::Part::Kind;

// Shaped like what OpenCode sends through @ai-sdk/openai-compatible: a system prompt, a user
// turn with an image, an assistant turn with reasoning and two parallel tool calls, their two
// results, a follow-up, tools and a streamed answer.
constexpr char kOpenCodeRequest[] = R"({
  "model": "claude-sonnet-4-5", "stream": true, "stream_options": {"include_usage": true},
  "max_tokens": 4096, "max_completion_tokens": 32000, "temperature": 0.2, "top_p": 0.9,
  "stop": "STOP", "reasoning_effort": "minimal", "parallel_tool_calls": true,
  "messages": [
    {"role":"system","content":"You are opencode."},
    {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
    {"role":"user","content":[{"type":"text","text":"what is in the picture and in a.txt?"},
      {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR","detail":"auto"}},
      {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
      {"type":"input_audio","input_audio":{"data":"UklG","format":"wav"}}]},
    {"role":"assistant","content":null,"reasoning_content":"Two files to read.",
      "tool_calls":[
        {"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"filePath\":\"a.txt\"}"}},
        {"id":"call_2","type":"function","function":{"name":"bash","arguments":"{\"command\":\"ls\"}"}}]},
    {"role":"tool","tool_call_id":"call_1","content":"hello"},
    {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"a.txt"},{"type":"text","text":"b.txt"}]},
    {"role":"user","content":"thanks"},
    {"role":"system","content":"Reminder: stay in the repo."}
  ],
  "tools": [
    {"type":"function","function":{"name":"read","description":"Read a file",
      "parameters":{"type":"object","properties":{"filePath":{"type":"string"}},"required":["filePath"]}}},
    {"type":"function","function":{"name":"bash"}},
    {"type":"web_search"}
  ],
  "tool_choice": {"type":"function","function":{"name":"read"}}
})";

TEST(ChatClientRequest, OpenCodeRequestBecomesIr) {
  auto req = DecodeChatRequest(kOpenCodeRequest);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->model, "claude-sonnet-4-5");
  EXPECT_TRUE(req->stream);
  EXPECT_EQ(req->max_tokens, 32000);  // max_completion_tokens wins over max_tokens
  EXPECT_EQ(req->temperature, 0.2);
  EXPECT_EQ(req->top_p, 0.9);
  EXPECT_EQ(req->stop, std::vector<std::string>{"STOP"});
  EXPECT_EQ(req->reasoning_effort, "minimal");  // kept; each model's own levels apply later
  EXPECT_EQ(req->parallel_tool_calls, true);
  EXPECT_EQ(req->system, (std::vector<std::string>{"You are opencode.", "Be brief."}));

  ASSERT_EQ(req->messages.size(), 4u);
  const auto& user = req->messages[0];
  EXPECT_EQ(user.role, ir::Role::kUser);
  ASSERT_EQ(user.parts.size(), 3u);
  EXPECT_EQ(user.parts[0].text, "what is in the picture and in a.txt?");
  EXPECT_EQ(user.parts[1].kind, Kind::kImage);
  EXPECT_EQ(user.parts[1].image.media_type, "image/png");
  EXPECT_EQ(user.parts[1].image.data, "iVBOR");
  EXPECT_EQ(user.parts[1].image.url, "");
  EXPECT_EQ(user.parts[2].image.url, "https://example.com/cat.jpg");

  const auto& assistant = req->messages[1];
  EXPECT_EQ(assistant.role, ir::Role::kAssistant);
  ASSERT_EQ(assistant.parts.size(), 3u);
  EXPECT_EQ(assistant.parts[0].kind, Kind::kReasoning);
  EXPECT_EQ(assistant.parts[0].text, "Two files to read.");
  EXPECT_EQ(assistant.parts[1].kind, Kind::kToolCall);
  EXPECT_EQ(assistant.parts[1].call_id, "call_1");
  EXPECT_EQ(assistant.parts[1].name, "read");
  EXPECT_EQ(assistant.parts[1].arguments, R"({"filePath":"a.txt"})");
  EXPECT_EQ(assistant.parts[2].call_id, "call_2");

  // Both tool results and the words after them are one user turn, results first.
  const auto& results = req->messages[2];
  EXPECT_EQ(results.role, ir::Role::kUser);
  ASSERT_EQ(results.parts.size(), 3u);
  EXPECT_EQ(results.parts[0].kind, Kind::kToolResult);
  EXPECT_EQ(results.parts[0].call_id, "call_1");
  ASSERT_EQ(results.parts[0].content.size(), 1u);
  EXPECT_EQ(results.parts[0].content[0].text, "hello");
  EXPECT_EQ(results.parts[1].call_id, "call_2");
  ASSERT_EQ(results.parts[1].content.size(), 2u);
  EXPECT_EQ(results.parts[1].content[1].text, "b.txt");
  EXPECT_EQ(results.parts[2].kind, Kind::kText);
  EXPECT_EQ(results.parts[2].text, "thanks");

  // A system message after the conversation started stays where it is.
  EXPECT_EQ(req->messages[3].role, ir::Role::kSystem);
  EXPECT_EQ(req->messages[3].parts.at(0).text, "Reminder: stay in the repo.");

  ASSERT_EQ(req->tools.size(), 2u);
  EXPECT_EQ(req->tools[0].name, "read");
  EXPECT_EQ(req->tools[0].description, "Read a file");
  EXPECT_EQ(req->tools[0].parameters.at("required").at(0), "filePath");
  EXPECT_EQ(req->tools[1].parameters, J(R"({"type":"object","properties":{}})"));
  EXPECT_TRUE(req->tool_choice.set);
  EXPECT_EQ(req->tool_choice.mode, ir::ToolChoice::Mode::kSpecific);
  EXPECT_EQ(req->tool_choice.name, "read");

  // The audio part and the hosted tool could not be carried, and that is recorded.
  ASSERT_EQ(req->losses.size(), 2u);
  EXPECT_NE(req->losses[0].find("input_audio"), std::string::npos);
  EXPECT_NE(req->losses[1].find("web_search"), std::string::npos);
}

TEST(ChatClientRequest, SmallRequestsAndOptionVariants) {
  auto req = DecodeChatRequest(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":10,)"
      R"("stop":["a","b"],"tool_choice":"required","reasoning_effort":"high"})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_FALSE(req->stream);
  EXPECT_TRUE(req->system.empty());
  EXPECT_EQ(req->max_tokens, 10);
  EXPECT_EQ(req->stop, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(req->tool_choice.mode, ir::ToolChoice::Mode::kRequired);
  EXPECT_EQ(req->reasoning_effort, "high");
  ASSERT_EQ(req->messages.size(), 1u);
  EXPECT_EQ(req->messages[0].parts.at(0).text, "hi");

  auto none = DecodeChatRequest(R"({"model":"m","messages":[],"tool_choice":"none"})");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->tool_choice.mode, ir::ToolChoice::Mode::kNone);
  EXPECT_FALSE(none->max_tokens.has_value());
  auto untouched = DecodeChatRequest(R"({"model":"m","messages":[]})");
  ASSERT_TRUE(untouched.ok());
  EXPECT_FALSE(untouched->tool_choice.set);

  // DeepSeek-style clients send the reasoning back as "reasoning" too.
  auto reasoning = DecodeChatRequest(
      R"({"model":"m","messages":[{"role":"assistant","content":"ok","reasoning":"r"}]})");
  ASSERT_TRUE(reasoning.ok());
  ASSERT_EQ(reasoning->messages.at(0).parts.size(), 2u);
  EXPECT_EQ(reasoning->messages[0].parts[0].kind, Kind::kReasoning);
  EXPECT_EQ(reasoning->messages[0].parts[1].text, "ok");
}

TEST(ChatClientRequest, BadRequestsAreRefusedWithAReason) {
  auto expect_bad = [](std::string_view body, std::string_view mentions) {
    auto r = DecodeChatRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(r.status().message()).find(mentions), std::string::npos) << r.status();
  };
  expect_bad("{", "JSON");
  expect_bad("[1,2]", "object");
  expect_bad(R"({"model":"m"})", "messages");
  expect_bad(R"({"model":"m","messages":{}})", "messages");
  expect_bad(R"({"model":5,"messages":[]})", "model");
  expect_bad(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})", "messages[0].role");
  expect_bad(R"({"model":"m","messages":[{"content":"x"}]})", "role");
  expect_bad(R"({"model":"m","messages":["hi"]})", "messages[0]");
  expect_bad(
      R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":5}]})",
      "messages[1].content");
  expect_bad(R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]})",
             "url");
  expect_bad(R"({"model":"m","messages":[],"stream":"yes"})", "stream");
}

TEST(ChatClientResponse, Golden) {
  ir::Response r;
  ir::Part reasoning;
  reasoning.kind = Kind::kReasoning;
  reasoning.text = "Let me think.";
  ir::Part text;
  text.text = "Reading it.";
  ir::Part call;
  call.kind = Kind::kToolCall;
  call.call_id = "toolu_1";
  call.name = "read";
  call.arguments = R"({"filePath":"a.txt"})";
  r.output = {reasoning, text, call};
  r.finish = ir::FinishReason::kStop;  // Anthropic says end_turn even after tool_use sometimes
  r.usage = {.input = 100, .output = 20, .cached = 60, .reasoning = 5, .present = true};
  bj::value got = J(EncodeChatResponse(r, "claude-sonnet-4-5", {"chatcmpl-1", 1700000000}));
  EXPECT_EQ(got, J(R"({
    "id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-5",
    "choices":[{"index":0,"message":{"role":"assistant","content":"Reading it.",
      "reasoning_content":"Let me think.",
      "tool_calls":[{"id":"toolu_1","type":"function",
                     "function":{"name":"read","arguments":"{\"filePath\":\"a.txt\"}"}}]},
      "finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,
             "prompt_tokens_details":{"cached_tokens":60},
             "completion_tokens_details":{"reasoning_tokens":5}}})"));
}

TEST(ChatClientResponse, TextOnlyAndTruncated) {
  ir::Response r;
  r.finish = ir::FinishReason::kLength;
  bj::value empty = J(EncodeChatResponse(r, "m", {"chatcmpl-2", 1}));
  const auto& choice = empty.at("choices").at(0);
  EXPECT_EQ(choice.at("message"), J(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(choice.at("finish_reason"), "length");
  EXPECT_EQ(empty.at("usage").at("total_tokens"), 0);

  ir::Part text;
  text.text = "hi";
  r.output = {text};
  r.finish = ir::FinishReason::kNone;
  bj::value plain = J(EncodeChatResponse(r, "m", {"chatcmpl-3", 1}));
  EXPECT_EQ(plain.at("choices").at(0).at("message").at("content"), "hi");
  EXPECT_EQ(plain.at("choices").at(0).at("finish_reason"), "stop");
}

// ---- streaming --------------------------------------------------------------------------

// A Chat stream as a provider sends it: reasoning, text, two tool calls (the second whole in
// one fragment), finish, usage, [DONE].
std::string ChatStream() {
  return DataOnlySse({
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo \u00e9\n"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"file_"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"path\":\"a\"}"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"bash","arguments":"{\"command\":\"ls\"}"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
      R"({"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":9,"prompt_tokens_details":{"cached_tokens":10},"completion_tokens_details":{"reasoning_tokens":3}}})",
      "[DONE]",
  });
}

std::string Describe(const ir::StreamEvent& e) {
  const ir::Usage& u = e.usage;
  return std::to_string(static_cast<int>(e.kind)) + "|" + e.id + "|" + e.model + "|" + e.text +
         "|" + std::to_string(e.index) + "|" + e.call_id + "|" + e.name + "|" +
         std::to_string(static_cast<int>(e.finish)) + "|" + std::to_string(u.input) + "," +
         std::to_string(u.output) + "," + std::to_string(u.cached) + "," +
         std::to_string(u.reasoning) + "," + std::to_string(u.present);
}

std::vector<std::string> DecodeEvents(std::string_view chat_sse, bool* done = nullptr) {
  ChatStreamDecoder decoder;
  std::vector<std::string> out;
  decoder.Feed(chat_sse, [&](const ir::StreamEvent& e) { out.push_back(Describe(e)); });
  if (done != nullptr) *done = decoder.done();
  return out;
}

// The provider's Chat stream, fed in `chunks`, through ChatStreamDecoder and ChatStreamEncoder.
std::string Convert(const std::vector<std::string>& chunks) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<ChatStreamEncoder>("m", ChatIds{"c1", 1700000000}));
  return ConvertChunks(conv, chunks);
}

TEST(ChatClientStream, ChunksFollowTheChatContract) {
  std::vector<std::string> datas = Datas(Convert({ChatStream()}));
  ASSERT_EQ(datas.size(), 12u);
  EXPECT_EQ(datas.back(), "[DONE]");
  for (size_t i = 0; i + 1 < datas.size(); ++i) {
    bj::value c = J(datas[i]);
    EXPECT_EQ(c.at("id"), "c1");
    EXPECT_EQ(c.at("object"), "chat.completion.chunk");
    EXPECT_EQ(c.at("created"), 1700000000);
    EXPECT_EQ(c.at("model"), "m");
  }
  auto delta = [&](size_t i) { return J(datas[i]).at("choices").at(0).at("delta"); };
  EXPECT_EQ(delta(0), J(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(J(datas[0]).at("choices").at(0).at("finish_reason"), nullptr);
  EXPECT_EQ(delta(1), J(R"({"reasoning_content":"hmm"})"));
  EXPECT_EQ(delta(2), J(R"({"content":"Hel"})"));
  EXPECT_EQ(delta(3), J(R"({"content":"lo \u00e9\n"})"));
  // The first fragment of a call has id, type and name; later ones only index and arguments.
  EXPECT_EQ(
      delta(4),
      J(R"({"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}]})"));
  EXPECT_EQ(delta(5), J(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"file_"}}]})"));
  EXPECT_EQ(delta(7).at("tool_calls").at(0).at("id"), "call_b");
  EXPECT_EQ(delta(8),
            J(R"({"tool_calls":[{"index":1,"function":{"arguments":"{\"command\":\"ls\"}"}}]})"));
  EXPECT_EQ(J(datas[9]).at("choices"),
            J(R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}])"));
  bj::value usage = J(datas[10]);
  EXPECT_EQ(usage.at("choices"), bj::array{});
  EXPECT_EQ(usage.at("usage"), J(R"({"prompt_tokens":50,"completion_tokens":9,"total_tokens":59,
      "prompt_tokens_details":{"cached_tokens":10},
      "completion_tokens_details":{"reasoning_tokens":3}})"));
}

TEST(ChatClientStream, RoundTripKeepsEveryEvent) {
  std::string input = ChatStream();
  bool done = false;
  std::vector<std::string> again = DecodeEvents(Convert({input}), &done);
  EXPECT_TRUE(done);
  EXPECT_EQ(again, DecodeEvents(input));
}

TEST(ChatClientStream, OutputIsTheSameHoweverTheInputIsSplit) {
  std::string input = ChatStream();
  std::string whole = Convert({input});
  EXPECT_EQ(Convert(ByteByByte(input)), whole);
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Convert(SplitAtRandomCuts(input, rng, 12)), whole) << "round " << round;
  }
}

// Events as a Messages or Gemini provider produces them: sparse provider indexes, a call with no
// argument piece, a signature Chat cannot carry, no usage.
TEST(ChatClientStream, ProviderEventsBecomeDenseToolCalls) {
  using EK = ir::StreamEvent::Kind;
  ChatStreamEncoder enc("claude-x", {"chatcmpl-9", 5});
  std::string out;
  ir::StreamEvent start(EK::kStart);
  start.id = "msg_1";
  enc.OnEvent(start, &out);
  ir::StreamEvent sig(EK::kReasoningSignature);
  sig.text = "sig";
  enc.OnEvent(sig, &out);
  ir::StreamEvent call(EK::kToolCallStart);
  call.index = 3;
  call.call_id = "toolu_a";
  call.name = "todoread";
  enc.OnEvent(call, &out);
  ir::StreamEvent stray(EK::kToolCallDelta);
  stray.index = 7;  // never started: dropped
  stray.text = "{}";
  enc.OnEvent(stray, &out);
  ir::StreamEvent finish(EK::kFinish);
  finish.finish = ir::FinishReason::kStop;
  enc.OnEvent(finish, &out);
  enc.End(&out);
  std::vector<std::string> datas = Datas(out);
  ASSERT_EQ(datas.size(), 5u);
  EXPECT_EQ(J(datas[0]).at("choices").at(0).at("delta"), J(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(J(datas[1]).at("choices").at(0).at("delta").at("tool_calls").at(0).at("index"), 0);
  // "" arguments are not JSON to the client: a call without pieces gets "{}".
  EXPECT_EQ(J(datas[2]).at("choices").at(0).at("delta"),
            J(R"({"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]})"));
  EXPECT_EQ(J(datas[3]).at("choices").at(0).at("finish_reason"), "tool_calls");
  EXPECT_EQ(datas[4], "[DONE]");  // no usage chunk without usage
}

TEST(ChatClientStream, FailMidStreamIsOneErrorAndThenNothing) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<ChatStreamEncoder>("m", ChatIds{"c1", 1}));
  std::string out = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  out += conv.Fail("connection reset");
  std::vector<std::string> datas = Datas(out);
  ASSERT_EQ(datas.size(), 3u);
  EXPECT_EQ(J(datas[1]).at("choices").at(0).at("delta").at("content"), "Hi");
  EXPECT_EQ(J(datas[2]), J(R"({"error":{"message":"connection reset","type":"upstream_error",
      "param":null,"code":"stream_interrupted"}})"));
  EXPECT_EQ(conv.Feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n"), "");
  EXPECT_EQ(conv.End(), "");
  EXPECT_EQ(conv.Fail("again"), "");
}

TEST(ChatClientStream, StreamThatStopsShortOrErrsInBandFails) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<ChatStreamEncoder>("m", ChatIds{"c1", 1}));
  std::string out = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  out += conv.End();  // no finish reason, no [DONE]
  std::vector<std::string> datas = Datas(out);
  EXPECT_EQ(J(datas.back()).at("error").at("code"), "stream_interrupted");

  std::string in_band =
      Convert({"data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
               "data: {\"error\":{\"message\":\"overloaded\"}}\n\n"});
  datas = Datas(in_band);
  EXPECT_EQ(J(datas.back()).at("error").at("message"), "overloaded");
  EXPECT_EQ(datas.size(), 3u);  // role chunk, text, error: no [DONE] after the error
}

TEST(ChatClientStream, NothingAfterEnd) {
  ChatStreamEncoder enc("m", {"c1", 1});
  std::string out;
  enc.End(&out);
  std::vector<std::string> datas = Datas(out);
  ASSERT_EQ(datas.size(), 3u);  // role chunk, finish, [DONE]
  EXPECT_EQ(J(datas[1]).at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(datas[2], "[DONE]");
  std::string after;
  ir::StreamEvent text(ir::StreamEvent::Kind::kTextDelta);
  text.text = "late";
  enc.OnEvent(text, &after);
  enc.End(&after);
  enc.Fail("late", &after);
  EXPECT_EQ(after, "");
}

}  // namespace
}  // namespace agentgate::protocol
