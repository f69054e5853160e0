// Messages client ↔ Chat Completions provider: request conversion, non-streaming answers, and
// the stream converter fed whole, byte by byte and in random splits.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "services/protocol/chat_codec.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

// A request shaped like Claude Code's: system blocks with the billing header, a tool-use
// round trip, an image, adaptive thinking, and a hosted tool.
constexpr char kClaudeRequest[] = R"({
  "model": "claude-sonnet-4-5", "max_tokens": 32000, "stream": true,
  "system": [{"type":"text","text":"x-anthropic-billing-header: cc_version=2"},
             {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
  "thinking": {"type":"adaptive"},
  "metadata": {"user_id":"u"},
  "tools": [
    {"name":"Read","description":"Read a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}},
    {"type":"web_search_20250305","name":"web_search"}
  ],
  "tool_choice": {"type":"any","disable_parallel_tool_use":true},
  "messages": [
    {"role":"user","content":[{"type":"text","text":"read a.txt"},
      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]},
    {"role":"assistant","content":[{"type":"thinking","thinking":"I should read it","signature":"sig"},
      {"type":"text","text":"Reading."},
      {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"a.txt"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"hello world"}]},
      {"type":"text","text":"what does it say?"}]}
  ]})";

TEST(MessagesToChat, RequestCarriesEverythingChatCan) {
  auto req = DecodeMessagesRequest(kClaudeRequest);
  ASSERT_TRUE(req.ok()) << req.status();
  std::string body = EncodeChatRequest(*req, "deepseek-chat", ChatDialect{});
  bj::value chat = J(body);
  EXPECT_EQ(chat.at("model"), "deepseek-chat");
  EXPECT_EQ(chat.at("stream"), true);
  EXPECT_EQ(chat.at("stream_options").at("include_usage"), true);
  EXPECT_EQ(chat.at("max_tokens"), 32000);
  EXPECT_EQ(chat.at("tool_choice"), "required");
  EXPECT_EQ(chat.at("parallel_tool_calls"), false);
  EXPECT_EQ(chat.at("reasoning_effort"), "medium");
  const auto& msgs = chat.at("messages").as_array();
  ASSERT_EQ(msgs.size(), 5u);
  // The billing header is gone; the real system prompt stays.
  EXPECT_EQ(msgs[0], J(R"({"role":"system","content":"You are Claude Code."})"));
  EXPECT_EQ(msgs[1].at("role"), "user");
  EXPECT_EQ(msgs[1].at("content").at(1).at("image_url").at("url"), "data:image/png;base64,iVBOR");
  EXPECT_EQ(msgs[2].at("role"), "assistant");
  EXPECT_EQ(msgs[2].at("content"), "Reading.");
  EXPECT_EQ(
      msgs[2].at("tool_calls").at(0),
      J(R"({"id":"toolu_1","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"a.txt\"}"}})"));
  // The tool result comes first in the user turn, as a tool message.
  EXPECT_EQ(msgs[3], J(R"({"role":"tool","tool_call_id":"toolu_1","content":"hello world"})"));
  EXPECT_EQ(msgs[4], J(R"({"role":"user","content":"what does it say?"})"));
  const auto& tools = chat.at("tools").as_array();
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].at("function").at("name"), "Read");
  EXPECT_EQ(tools[0].at("function").at("parameters").at("required").at(0), "file_path");
  // The hosted tool could not be carried, and that is recorded.
  ASSERT_EQ(req->losses.size(), 1u);
  EXPECT_NE(req->losses[0].find("web_search"), std::string::npos);
}

TEST(MessagesToChat, DeepSeekGetsReasoningBackAndNoImages) {
  auto req = DecodeMessagesRequest(kClaudeRequest);
  ASSERT_TRUE(req.ok());
  bj::value chat =
      J(EncodeChatRequest(*req, "deepseek-chat", ChatDialect::ForProviderType("deepseek")));
  const auto& msgs = chat.at("messages").as_array();
  EXPECT_EQ(msgs[1].at("content"), "read a.txt");  // image stripped
  EXPECT_EQ(msgs[2].at("reasoning_content"), "I should read it");
  EXPECT_FALSE(chat.as_object().contains("reasoning_effort"));
  // Claude Code asks for 32000 output tokens; DeepSeek's chat model takes at most 8192.
  EXPECT_EQ(chat.at("max_tokens"), 8192);
  bj::value reasoner =
      J(EncodeChatRequest(*req, "deepseek-reasoner", ChatDialect::ForProviderType("deepseek")));
  EXPECT_EQ(reasoner.at("max_tokens"), 32000);
  bool image_loss = false;
  for (const auto& l : req->losses) image_loss |= l.find("images") != std::string::npos;
  EXPECT_TRUE(image_loss);
}

TEST(MessagesToChat, SystemMessagesBetweenTurnsStayInPlace) {
  // Claude Code 2.x puts a role "system" message after the user's turn.
  auto req = DecodeMessagesRequest(
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},)"
      R"({"role":"system","content":"agent types: ..."}]})");
  ASSERT_TRUE(req.ok()) << req.status();
  bj::value chat = J(EncodeChatRequest(*req, "m", ChatDialect{}));
  EXPECT_EQ(chat.at("messages").at(1), J(R"({"role":"system","content":"agent types: ..."})"));
}

TEST(MessagesToChat, BadRequestsAreRefusedWithAReason) {
  EXPECT_FALSE(DecodeMessagesRequest("{").ok());
  EXPECT_FALSE(DecodeMessagesRequest(R"({"model":"m","max_tokens":5})").ok());
  EXPECT_FALSE(DecodeMessagesRequest(R"({"model":"m","messages":[]})").ok());  // no max_tokens
  EXPECT_TRUE(DecodeMessagesRequest(R"({"model":"m","messages":[]})", true).ok());
  auto bad_role = DecodeMessagesRequest(
      R"({"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"x"}]})");
  EXPECT_FALSE(bad_role.ok());
  EXPECT_FALSE(DecodeMessagesRequest(R"({"model":5,"max_tokens":5,"messages":[]})").ok());
}

TEST(ChatToMessages, NonStreamingAnswerWithToolCall) {
  auto r = DecodeChatResponse(R"({"id":"c1","model":"deepseek-chat","choices":[{"index":0,
    "message":{"role":"assistant","content":"Let me look.","reasoning_content":"thinking...",
    "tool_calls":[{"id":"call_9","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"a\"}"}}]},
    "finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":60}}})");
  ASSERT_TRUE(r.ok());
  bj::value m = J(EncodeMessagesResponse(*r, "claude-sonnet-4-5"));
  EXPECT_EQ(m.at("type"), "message");
  EXPECT_EQ(m.at("role"), "assistant");
  EXPECT_EQ(m.at("model"), "claude-sonnet-4-5");
  EXPECT_EQ(m.at("stop_reason"), "tool_use");
  const auto& content = m.at("content").as_array();
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[0].at("type"), "thinking");
  EXPECT_EQ(content[1], J(R"({"type":"text","text":"Let me look."})"));
  EXPECT_EQ(content[2],
            J(R"({"type":"tool_use","id":"call_9","name":"Read","input":{"file_path":"a"}})"));
  // Anthropic's input_tokens exclude cache reads.
  EXPECT_EQ(m.at("usage").at("input_tokens"), 40);
  EXPECT_EQ(m.at("usage").at("cache_read_input_tokens"), 60);
  EXPECT_EQ(m.at("usage").at("output_tokens"), 20);
}

TEST(ChatToMessages, ErrorsInAnthropicShape) {
  bj::value e = J(MessagesErrorBody(429, "slow down"));
  EXPECT_EQ(e, J(R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})"));
  EXPECT_EQ(UpstreamErrorMessage(R"({"error":{"message":"bad key","type":"x"}})"), "bad key");
  EXPECT_EQ(UpstreamErrorMessage("plain text"), "plain text");
}

// A Chat stream with reasoning, text, two tool calls whose arguments arrive in pieces, the
// finish chunk, the usage chunk and [DONE].
std::string ChatStream() {
  return DataOnlySse({
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Read","arguments":""}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"file_"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"path\":\"a\"}"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"ls\"}"}}]}}]})",
      R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
      R"({"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":9,"prompt_tokens_details":{"cached_tokens":10}}})",
      "[DONE]",
  });
}

std::string Convert(const std::vector<std::string>& chunks) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<MessagesStreamEncoder>("claude-x", 42));
  return ConvertChunks(conv, chunks);
}

TEST(ChatToMessagesStream, EventsFollowTheMessagesContract) {
  std::vector<JsonEvent> ev = JsonEvents(Convert({ChatStream()}));
  std::vector<std::string> names;
  for (const auto& e : ev) names.push_back(e.name);
  std::vector<std::string> expected = {"message_start",       "content_block_start",
                                       "content_block_delta", "content_block_stop",  // thinking
                                       "content_block_start", "content_block_delta",
                                       "content_block_delta", "content_block_stop",  // text
                                       "content_block_start", "content_block_delta",
                                       "content_block_delta", "content_block_stop",  // Read
                                       "content_block_start", "content_block_delta",
                                       "content_block_stop",  // Bash
                                       "message_delta",       "message_stop"};
  ASSERT_EQ(names, expected);
  // message_start carries usage with a non-zero estimate.
  EXPECT_EQ(ev[0].data.at("message").at("usage").at("input_tokens"), 42);
  EXPECT_EQ(ev[0].data.at("message").at("model"), "claude-x");
  // Indexes are contiguous from 0; each delta matches its block's type.
  int expected_index = -1;
  std::string block_type;
  std::map<int, std::string> joined_json;
  for (const auto& e : ev) {
    if (e.name == "content_block_start") {
      EXPECT_EQ(e.data.at("index"), ++expected_index);
      block_type = std::string(e.data.at("content_block").at("type").as_string());
    } else if (e.name == "content_block_delta") {
      EXPECT_EQ(e.data.at("index"), expected_index);
      std::string dt(e.data.at("delta").at("type").as_string());
      if (block_type == "text") {
        EXPECT_EQ(dt, "text_delta");
      }
      if (block_type == "thinking") {
        EXPECT_EQ(dt, "thinking_delta");
      }
      if (block_type == "tool_use") {
        EXPECT_EQ(dt, "input_json_delta");
        joined_json[expected_index] +=
            std::string(e.data.at("delta").at("partial_json").as_string());
      }
    }
  }
  EXPECT_EQ(ev[8].data.at("content_block").at("id"), "call_a");
  EXPECT_EQ(ev[8].data.at("content_block").at("name"), "Read");
  // The joined partial_json of every tool call parses.
  EXPECT_EQ(bj::parse(joined_json[2]), J(R"({"file_path":"a"})"));
  EXPECT_EQ(bj::parse(joined_json[3]), J(R"({"command":"ls"})"));
  const auto& delta = ev[15].data;
  EXPECT_EQ(delta.at("delta").at("stop_reason"), "tool_use");
  EXPECT_EQ(delta.at("usage").at("input_tokens"), 40);
  EXPECT_EQ(delta.at("usage").at("cache_read_input_tokens"), 10);
  EXPECT_EQ(delta.at("usage").at("output_tokens"), 9);
}

TEST(ChatToMessagesStream, OutputIsTheSameHoweverTheInputIsSplit) {
  std::string input = ChatStream();
  std::string whole = Convert({input});
  EXPECT_EQ(Convert(ByteByByte(input)), whole);
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Convert(SplitAtRandomCuts(input, rng, 12)), whole) << "round " << round;
  }
}

TEST(ChatToMessagesStream, FirstEventIsEmittedAsSoonAsTheFirstChunkArrives) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<MessagesStreamEncoder>("m", 1));
  std::string first = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  auto ev = JsonEvents(first);
  ASSERT_EQ(ev.size(), 3u);  // message_start, content_block_start, the text delta
  EXPECT_EQ(ev[2].data.at("delta").at("text"), "Hi");
}

TEST(ChatToMessagesStream, AStreamThatStopsShortEndsWithAnErrorEvent) {
  StreamConverter conv(std::make_unique<ChatStreamDecoder>(),
                       std::make_unique<MessagesStreamEncoder>("m", 1));
  std::string out = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  out += conv.End();  // no finish reason, no [DONE]
  auto ev = JsonEvents(out);
  EXPECT_EQ(ev.back().name, "error");
  EXPECT_EQ(ev.back().data.at("error").at("type"), "api_error");
}

TEST(ChatToMessagesStream, InBandProviderErrorBecomesAnErrorEvent) {
  std::string out =
      Convert({"data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
               "data: {\"error\":{\"message\":\"overloaded\"}}\n\n"});
  auto ev = JsonEvents(out);
  EXPECT_EQ(ev.back().name, "error");
  EXPECT_EQ(ev.back().data.at("error").at("message"), "overloaded");
}

}  // namespace
}  // namespace agentgate::protocol
