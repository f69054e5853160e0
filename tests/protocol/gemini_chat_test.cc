// Gemini client (Gemini CLI) ↔ Chat Completions provider.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "services/protocol/chat_codec.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

constexpr char kGeminiRequest[] = R"({
  "systemInstruction":{"parts":[{"text":"You are Gemini CLI."}]},
  "contents":[
    {"role":"user","parts":[{"text":"read a.txt"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]},
    {"role":"model","parts":[{"text":"thinking","thought":true},{"functionCall":{"name":"read_file","args":{"file_path":"a.txt"}}}]},
    {"role":"user","parts":[{"functionResponse":{"name":"read_file","response":{"output":"hello"}}}]}
  ],
  "tools":[{"functionDeclarations":[
     {"name":"read_file","description":"read","parametersJsonSchema":{"type":"object","properties":{"file_path":{"type":"string"}}}},
     {"name":"old_style","parameters":{"type":"OBJECT","properties":{"x":{"type":"STRING"}}}}]},
    {"googleSearch":{}}],
  "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["read_file"]}},
  "generationConfig":{"temperature":1,"topP":0.95,"topK":64,"maxOutputTokens":800,
    "thinkingConfig":{"includeThoughts":true,"thinkingBudget":20000}}})";

TEST(GeminiToChat, RequestCarriesEverythingChatCan) {
  auto req = DecodeGeminiRequest(kGeminiRequest, "gemini-2.5-pro");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_FALSE(req->stream);
  bj::value chat = J(EncodeChatRequest(*req, "gpt-4.1", ChatDialect{}));
  const auto& m = chat.at("messages").as_array();
  ASSERT_EQ(m.size(), 4u) << bj::serialize(chat);
  EXPECT_EQ(m[0], J(R"({"role":"system","content":"You are Gemini CLI."})"));
  EXPECT_EQ(m[1].at("content").at(1).at("image_url").at("url"), "data:image/png;base64,AAAA");
  // A call without an id gets a stable one, and the response without an id is matched to it.
  std::string id(m[2].at("tool_calls").at(0).at("id").as_string());
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(m[3].at("tool_call_id").as_string(), id);
  EXPECT_EQ(m[3].at("content"), "hello");
  const auto& tools = chat.at("tools").as_array();
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[1].at("function").at("parameters"),
            J(R"({"type":"object","properties":{"x":{"type":"string"}}})"));
  EXPECT_EQ(chat.at("tool_choice"), J(R"({"type":"function","function":{"name":"read_file"}})"));
  EXPECT_EQ(chat.at("max_tokens"), 800);
  EXPECT_EQ(chat.at("reasoning_effort"), "high");
  ASSERT_EQ(req->losses.size(), 1u);
  EXPECT_NE(req->losses[0].find("googleSearch"), std::string::npos);
}

TEST(GeminiToChat, BadRequests) {
  EXPECT_FALSE(DecodeGeminiRequest("{", "m").ok());
  EXPECT_FALSE(DecodeGeminiRequest("{}", "m").ok());
  EXPECT_FALSE(DecodeGeminiRequest(R"({"contents":[{"role":"bot","parts":[]}]})", "m").ok());
}

std::string ChatStream() {
  return DataOnlySse({
      R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"content":"Let me"}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"content":" read."}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"read_file","arguments":"{\"file_"}}]}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","function":{"name":"glob","arguments":"{\"pattern\":\"*\"}"}}]}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"path\":\"a\"}"}}]}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
      R"({"id":"c","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":6}})",
      "[DONE]",
  });
}

std::string Convert(const std::vector<std::string>& chunks) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<GeminiStreamEncoder>("gemini-2.5-pro"));
  return ConvertChunks(conv, chunks);
}

// The JSON of every frame of a data-only SSE stream.
std::vector<bj::value> Chunks(const std::string& sse) {
  std::vector<bj::value> out;
  for (const auto& d : Datas(sse)) out.push_back(J(d));
  return out;
}

TEST(ChatToGeminiStream, TextStreamsAndCallsArriveWholeOnTheLastChunk) {
  std::string sse = Convert({ChatStream()});
  EXPECT_EQ(sse.find("[DONE]"), std::string::npos);
  // Nothing after the last delimiter (the SDK throws on trailing bytes).
  EXPECT_EQ(sse.substr(sse.size() - 2), "\n\n");
  auto chunks = Chunks(sse);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].at("candidates").at(0).at("content").at("parts").at(0).at("text"), "Let me");
  const auto& last = chunks[2].at("candidates").at(0);
  EXPECT_EQ(last.at("finishReason"), "STOP");
  const auto& parts = last.at("content").at("parts").as_array();
  ASSERT_EQ(parts.size(), 2u);
  // Interleaved argument pieces are reassembled, calls in index order.
  EXPECT_EQ(parts[0],
            J(R"({"functionCall":{"name":"read_file","args":{"file_path":"a"},"id":"call_1"}})"));
  EXPECT_EQ(parts[1].at("functionCall").at("name"), "glob");
  EXPECT_EQ(chunks[2].at("usageMetadata").at("promptTokenCount"), 20);
  EXPECT_EQ(chunks[2].at("usageMetadata").at("totalTokenCount"), 26);
}

TEST(ChatToGeminiStream, OutputIsTheSameHoweverTheInputIsSplit) {
  std::string input = ChatStream();
  std::string whole = Convert({input});
  EXPECT_EQ(Convert(ByteByByte(input)), whole);
  std::mt19937 rng(5);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Convert(SplitAtRandomCuts(input, rng, 10)), whole);
  }
}

TEST(ChatToGeminiStream, CutStreamEndsWithAnErrorChunk) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<GeminiStreamEncoder>("m"));
  std::string out = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  out += conv.End();
  auto chunks = Chunks(out);
  EXPECT_EQ(chunks.back().at("error").at("status"), "INTERNAL");
}

TEST(ChatToGemini, NonStreamingAnswerAndErrors) {
  auto r = DecodeChatResponse(R"({"id":"c","choices":[{"index":0,"message":{"role":"assistant",
    "content":"done"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4}})");
  ASSERT_TRUE(r.ok());
  bj::value v = J(EncodeGeminiResponse(*r, "gemini-x"));
  EXPECT_EQ(v.at("candidates").at(0).at("content").at("parts").at(0).at("text"), "done");
  EXPECT_EQ(v.at("candidates").at(0).at("finishReason"), "MAX_TOKENS");
  EXPECT_EQ(J(GeminiErrorBody(429, "slow")),
            J(R"({"error":{"code":429,"message":"slow","status":"RESOURCE_EXHAUSTED"}})"));
}

}  // namespace
}  // namespace agentgate::protocol

namespace agentgate::protocol {
namespace {

// Gemini CLI on a Gemini 3 model asks for a level, not a budget.
TEST(GeminiClientRequest, AThinkingLevelIsTheClientsEffort) {
  auto req = DecodeGeminiRequest(
      R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}],)"
      R"("generationConfig":{"thinkingConfig":{"thinkingLevel":"HIGH","includeThoughts":true}}})",
      "gemini-3.1-pro");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->reasoning_effort, "high");
  EXPECT_FALSE(req->thinking_budget.has_value());
}

}  // namespace
}  // namespace agentgate::protocol
