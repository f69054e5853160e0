// Any client → Anthropic Messages provider: the request out, the answer and the stream back.
#include "services/protocol/messages_provider.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "services/protocol/messages_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

// A Codex-like turn: instructions, a question with an image, a signed thinking + two parallel
// calls (one to the freeform apply_patch), both results and a follow-up.
ir::Request CodexLikeRequest() {
  ir::Request req;
  req.model = "gpt-5-codex";
  req.system = {"You are Codex.", "Be brief."};
  req.messages.push_back(Msg(ir::Role::kUser, {Text("fix a.txt"), Image("image/jpeg", "AAAA")}));
  req.messages.push_back(
      Msg(ir::Role::kAssistant, {Reasoning("I should read it", "sig-1"),
                                 ToolCall("call_1", "shell", R"({"command":["cat","a.txt"]})"),
                                 ToolCall("call_2", "apply_patch", "*** Begin Patch", true)}));
  req.messages.push_back(Msg(ir::Role::kUser, {ToolResult("call_1", {Text("hello")})}));
  req.messages.push_back(
      Msg(ir::Role::kUser, {Text("go on"), ToolResult("call_2", {Text("Done!")})}));
  ir::Tool shell;
  shell.name = "shell";
  shell.description = "run";
  shell.parameters = J(R"({"type":"object","properties":{"command":{"type":"array"}}})");
  ir::Tool patch;
  patch.name = "apply_patch";
  patch.custom = true;
  req.tools = {shell, patch};
  req.tool_choice.set = true;
  req.tool_choice.mode = ir::ToolChoice::Mode::kRequired;
  req.parallel_tool_calls = false;
  req.reasoning_effort = "high";
  req.temperature = 0.3;
  req.stream = true;
  return req;
}

TEST(ToMessagesRequest, CarriesTheConversation) {
  ir::Request req = CodexLikeRequest();
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", MessagesDialect{}));
  EXPECT_EQ(out.at("model"), "claude-sonnet-4-5");
  EXPECT_EQ(out.at("stream"), true);
  EXPECT_EQ(out.at("system"), J(R"([{"type":"text","text":"You are Codex."},
                  {"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}])"));
  const auto& m = out.at("messages").as_array();
  ASSERT_EQ(m.size(), 3u) << out;
  EXPECT_EQ(m[0], J(R"({"role":"user","content":[{"type":"text","text":"fix a.txt"},
      {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AAAA"},
       "cache_control":{"type":"ephemeral"}}]})"));
  EXPECT_EQ(m[1], J(R"({"role":"assistant","content":[
      {"type":"thinking","thinking":"I should read it","signature":"sig-1"},
      {"type":"tool_use","id":"call_1","name":"shell","input":{"command":["cat","a.txt"]}},
      {"type":"tool_use","id":"call_2","name":"apply_patch","input":{"input":"*** Begin Patch"}}]})"));
  // The two user turns merge, tool results first, and the newest block is a cache breakpoint.
  EXPECT_EQ(m[2], J(R"({"role":"user","content":[
      {"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"hello"}]},
      {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"Done!"}]},
      {"type":"text","text":"go on","cache_control":{"type":"ephemeral"}}]})"));
  const auto& tools = out.at("tools").as_array();
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0].at("input_schema").at("properties").at("command").at("type"), "array");
  EXPECT_EQ(tools[1], J(R"({"name":"apply_patch","input_schema":{"type":"object",
      "properties":{"input":{"type":"string"}},"required":["input"]},
      "cache_control":{"type":"ephemeral"}})"));
  // Anthropic refuses a forced tool choice with thinking on ("Thinking may not be enabled when
  // tool_choice forces tool use."): auto, and named.
  EXPECT_EQ(out.at("tool_choice"), J(R"({"type":"auto","disable_parallel_tool_use":true})"));
  // High effort → a 16k thinking budget, room for the answer on top, no sampling settings.
  EXPECT_EQ(out.at("thinking"), J(R"({"type":"enabled","budget_tokens":16384})"));
  EXPECT_EQ(out.at("max_tokens"), 16384 + 8192);
  EXPECT_FALSE(out.as_object().contains("temperature"));
  ASSERT_EQ(req.losses.size(), 2u);
  EXPECT_EQ(req.losses[0], "temperature, top_p and top_k (not accepted with thinking)");
  EXPECT_EQ(req.losses[1],
            "the forced tool choice (claude-sonnet-4-5 refuses it with thinking on; sent as auto)");
}

TEST(ToMessagesRequest, WithoutThinkingAForcedToolChoiceAndSamplingPassOnOlderModels) {
  ir::Request req = CodexLikeRequest();
  req.reasoning_effort.clear();
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", MessagesDialect{}));
  EXPECT_EQ(out.at("tool_choice"), J(R"({"type":"any","disable_parallel_tool_use":true})"));
  EXPECT_EQ(out.at("temperature"), 0.3);
  EXPECT_FALSE(out.as_object().contains("thinking"));
  EXPECT_TRUE(req.losses.empty());
}

// Sonnet 5.5 (platform.claude.com/docs/en/models/sonnet-5-5/migration-guide, 2026-12): adaptive
// thinking with an effort only, no sampling settings, no forced tool choice.
TEST(ToMessagesRequest, SonnetFiveFiveGetsAdaptiveThinkingAndNothingItRefuses) {
  ir::Request req = CodexLikeRequest();
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-5-5", MessagesDialect{}));
  EXPECT_EQ(out.at("thinking"), J(R"({"type":"adaptive","display":"summarized"})"));
  EXPECT_EQ(out.at("output_config"), J(R"({"effort":"high"})"));
  EXPECT_EQ(out.at("tool_choice"), J(R"({"type":"auto","disable_parallel_tool_use":true})"));
  for (const char* k : {"temperature", "top_p", "top_k"}) {
    EXPECT_FALSE(out.as_object().contains(k)) << k;
  }
  EXPECT_EQ(out.at("max_tokens"), 8192);
  ASSERT_EQ(req.losses.size(), 2u);
  EXPECT_EQ(req.losses[0], "temperature, top_p and top_k (claude-sonnet-5-5 refuses them)");
  EXPECT_EQ(req.losses[1], "the forced tool choice (claude-sonnet-5-5 refuses it; sent as auto)");
}

TEST(ToMessagesRequest, EffortsAndBudgetsBecomeTheModelsOwnLevels) {
  ir::Request req = CodexLikeRequest();
  req.reasoning_effort = "low";
  EXPECT_EQ(J(EncodeMessagesRequest(req, "claude-opus-5-5", {})).at("output_config"),
            J(R"({"effort":"low"})"));
  req = CodexLikeRequest();
  req.reasoning_effort.clear();
  req.thinking_budget = 31999;  // Gemini CLI and Claude Code send budgets
  EXPECT_EQ(J(EncodeMessagesRequest(req, "claude-opus-4-7", {})).at("output_config"),
            J(R"({"effort":"high"})"));
  req = CodexLikeRequest();
  req.max_tokens = 9999999;
  EXPECT_EQ(J(EncodeMessagesRequest(req, "claude-opus-5", {})).at("max_tokens"), 128000);
}

TEST(ToMessagesRequest, ThinkingLostByTheClientIsTurnedOffTheWayTheModelAllows) {
  ir::Request req = CodexLikeRequest();
  req.messages[1].parts.erase(req.messages[1].parts.begin());  // the client kept no thinking
  req.reasoning_effort.clear();
  // Sonnet 5 thinks when nothing is said: "disabled" turns it off.
  bj::value sonnet5 = J(EncodeMessagesRequest(req, "claude-sonnet-5", {}));
  EXPECT_EQ(sonnet5.at("thinking"), J(R"({"type":"disabled"})"));
  // Opus 4.7 is off when omitted.
  req.reasoning_effort = "high";
  req.losses.clear();
  bj::value opus47 = J(EncodeMessagesRequest(req, "claude-opus-4-7", {}));
  EXPECT_FALSE(opus47.as_object().contains("thinking"));
  EXPECT_EQ(req.losses[0], "thinking for this turn (the earlier turn's thinking is unsigned)");
  // Sonnet 5.5 cannot turn thinking off: what was lost is named.
  req.losses.clear();
  bj::value sonnet55 = J(EncodeMessagesRequest(req, "claude-sonnet-5-5", {}));
  EXPECT_EQ(sonnet55.at("thinking").at("type"), "adaptive");
  EXPECT_EQ(req.losses[0],
            "the earlier turn's thinking (not kept by the client; claude-sonnet-5-5 cannot turn "
            "thinking off)");
}

TEST(ToMessagesRequest, APrefillIsDroppedForModelsThatRefuseIt) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("name a colour")}));
  req.messages.push_back(Msg(ir::Role::kAssistant, {Text("The colour is")}));
  bj::value opus5 = J(EncodeMessagesRequest(req, "claude-opus-5", {}));
  EXPECT_EQ(opus5.at("messages").as_array().size(), 1u);
  EXPECT_EQ(req.losses[0], "the assistant prefill (claude-opus-5 refuses it)");
  req.losses.clear();
  bj::value sonnet5 = J(EncodeMessagesRequest(req, "claude-sonnet-5", {}));
  EXPECT_EQ(sonnet5.at("messages").as_array().size(), 2u);
}

TEST(ToMessagesRequest, UnsignedReasoningIsDroppedAndThinkingStaysOffForThatToolLoop) {
  ir::Request req = CodexLikeRequest();
  // Reasoning that came from a Chat provider (DeepSeek) through Codex: no Anthropic signature.
  req.messages[1].parts[0] = Reasoning("deepseek thoughts", "");
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", MessagesDialect{}));
  const auto& assistant = out.at("messages").at(1).at("content").as_array();
  EXPECT_EQ(assistant.at(0).at("type"), "tool_use");
  EXPECT_FALSE(out.as_object().contains("thinking"));
  EXPECT_EQ(out.at("temperature"), 0.3);
  ASSERT_EQ(req.losses.size(), 2u);
  EXPECT_NE(req.losses[0].find("not signed"), std::string::npos);
}

TEST(ToMessagesRequest, OlderModelsGetNoThinkingAndMaxTokensDefaults) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("hi")}));
  req.reasoning_effort = "medium";
  req.top_k = 5;
  req.stop = {"END", " "};
  bj::value out = J(EncodeMessagesRequest(req, "claude-3-5-haiku-latest", MessagesDialect{}));
  EXPECT_FALSE(out.as_object().contains("thinking"));
  EXPECT_EQ(out.at("max_tokens"), 8192);
  EXPECT_EQ(out.at("top_k"), 5);
  EXPECT_EQ(out.at("stop_sequences"), J(R"(["END"])"));  // whitespace-only stops are refused
  EXPECT_FALSE(out.as_object().contains("tool_choice"));
  EXPECT_FALSE(out.as_object().contains("system"));

  EXPECT_TRUE(SupportsThinking("claude-3-7-sonnet-latest"));
  EXPECT_TRUE(SupportsThinking("claude-opus-4-1"));
  EXPECT_FALSE(SupportsThinking("claude-3-opus-20240229"));
}

TEST(ToMessagesRequest, ASmallMaxTokensShrinksTheBudgetOrTurnsThinkingOff) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("hi")}));
  req.thinking_budget = 10000;
  req.max_tokens = 6000;
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", MessagesDialect{}));
  EXPECT_EQ(out.at("thinking").at("budget_tokens"), 3000);
  EXPECT_EQ(out.at("max_tokens"), 6000);
  req.max_tokens = 1500;
  out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", MessagesDialect{}));
  EXPECT_FALSE(out.as_object().contains("thinking"));
}

TEST(ToMessagesRequest, MidConversationSystemTextAndEmptyTextNeverMakeEmptyBlocks) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("hi"), Text("")}));
  req.messages.push_back(Msg(ir::Role::kSystem, {Text("be terse")}));
  req.messages.push_back(Msg(ir::Role::kAssistant, {Text("")}));
  MessagesDialect no_cache;
  no_cache.cache_control = false;
  bj::value out = J(EncodeMessagesRequest(req, "claude-sonnet-4-5", no_cache));
  EXPECT_EQ(out.at("messages"), J(R"([{"role":"user","content":[
      {"type":"text","text":"hi"},{"type":"text","text":"be terse"}]}])"));
}

TEST(FromMessagesResponse, ReadsContentStopReasonAndUsage) {
  auto r = DecodeMessagesResponse(R"({"id":"msg_1","type":"message","model":"claude-sonnet-4-5",
      "content":[{"type":"thinking","thinking":"hmm","signature":"s"},
                 {"type":"text","text":"Reading."},
                 {"type":"tool_use","id":"toolu_1","name":"shell","input":{"command":["ls"]}}],
      "stop_reason":"tool_use",
      "usage":{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":5,
               "output_tokens":7}})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id, "msg_1");
  ASSERT_EQ(r->output.size(), 3u);
  EXPECT_EQ(r->output[0].kind, ir::Part::Kind::kReasoning);
  EXPECT_EQ(r->output[0].signature, "s");
  EXPECT_EQ(r->output[2].call_id, "toolu_1");
  EXPECT_EQ(J(r->output[2].arguments), J(R"({"command":["ls"]})"));
  EXPECT_EQ(r->finish, ir::FinishReason::kToolCalls);
  EXPECT_EQ(r->usage.input, 115);  // OpenAI convention: cache reads and writes included
  EXPECT_EQ(r->usage.cached, 100);
  EXPECT_EQ(r->usage.cache_creation, 5);
  EXPECT_EQ(r->usage.output, 7);

  auto len = DecodeMessagesResponse(R"({"content":[],"stop_reason":"max_tokens"})");
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(len->finish, ir::FinishReason::kLength);
  EXPECT_FALSE(DecodeMessagesResponse("not json").ok());
  EXPECT_FALSE(DecodeMessagesResponse(R"({"type":"error"})").ok());
}

std::string Frame(std::string_view event, std::string_view data) { return SseFrame(event, data); }

// What the Anthropic API streams for thinking, text and two tool calls (one without input).
std::string AnthropicStream() {
  std::string s;
  s += Frame("message_start",
             R"({"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5",
             "content":[],"usage":{"input_tokens":10,"cache_read_input_tokens":100,
             "cache_creation_input_tokens":0,"output_tokens":1}}})");
  s += Frame("ping", R"({"type":"ping"})");
  s += Frame(
      "content_block_start",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})");
  s += Frame(
      "content_block_delta",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me look"}})");
  s += Frame(
      "content_block_delta",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}})");
  s += Frame("content_block_stop", R"({"type":"content_block_stop","index":0})");
  s += Frame(
      "content_block_start",
      R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})");
  s += Frame(
      "content_block_delta",
      R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Reading é"}})");
  s += Frame("content_block_stop", R"({"type":"content_block_stop","index":1})");
  s += Frame(
      "content_block_start",
      R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_a","name":"shell","input":{}}})");
  s += Frame(
      "content_block_delta",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"command\":"}})");
  s += Frame(
      "content_block_delta",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"[\"ls\"]}"}})");
  s += Frame("content_block_stop", R"({"type":"content_block_stop","index":2})");
  s += Frame(
      "content_block_start",
      R"({"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_b","name":"list","input":{}}})");
  s += Frame("content_block_stop", R"({"type":"content_block_stop","index":3})");
  s += Frame(
      "message_delta",
      R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}})");
  s += Frame("message_stop", R"({"type":"message_stop"})");
  return s;
}

// The decoded events, one line each, so two decodings can be compared.
std::string Events(const std::vector<std::string>& chunks, bool* done = nullptr) {
  MessagesStreamDecoder d;
  std::string out;
  for (const auto& c : chunks) {
    d.Feed(c, [&](const ir::StreamEvent& e) {
      out += std::to_string(static_cast<int>(e.kind)) + "|" + e.id + "|" + e.text + "|" +
             std::to_string(e.index) + "|" + e.call_id + "|" + e.name + "|" +
             std::to_string(static_cast<int>(e.finish)) + "|" + std::to_string(e.usage.input) +
             "/" + std::to_string(e.usage.cached) + "/" + std::to_string(e.usage.output) + "\n";
    });
  }
  if (done != nullptr) *done = d.done();
  return out;
}

TEST(FromMessagesStream, DecodesEveryKindOfBlock) {
  bool done = false;
  std::string ev = Events({AnthropicStream()}, &done);
  EXPECT_TRUE(done);
  using K = ir::StreamEvent::Kind;
  auto line = [](K k, std::string rest) {
    return std::to_string(static_cast<int>(k)) + "|" + rest;
  };
  std::string expected =
      line(K::kStart, "msg_1||0|||0|0/0/0\n") + line(K::kUsage, "||0|||0|110/100/1\n") +
      line(K::kReasoningDelta, "|Let me look|0|||0|0/0/0\n") +
      line(K::kReasoningSignature, "|EqQB|0|||0|0/0/0\n") +
      line(K::kTextDelta, "|Reading é|0|||0|0/0/0\n") +
      line(K::kToolCallStart, "||0|toolu_a|shell|0|0/0/0\n") +
      line(K::kToolCallDelta, "|{\"command\":|0|||0|0/0/0\n") +
      line(K::kToolCallDelta, "|[\"ls\"]}|0|||0|0/0/0\n") +
      line(K::kToolCallStart, "||1|toolu_b|list|0|0/0/0\n") +
      line(K::kToolCallDelta, "|{}|1|||0|0/0/0\n") + line(K::kFinish, "||0|||3|0/0/0\n") +
      line(K::kUsage, "||0|||0|110/100/42\n");
  EXPECT_EQ(ev, expected);
}

TEST(FromMessagesStream, SameEventsHoweverTheInputIsSplit) {
  std::string s = AnthropicStream();
  std::string whole = Events({s});
  EXPECT_EQ(Events(ByteByByte(s)), whole);
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Events(RandomSplits(s, rng, 40)), whole) << "round " << round;
  }
}

TEST(FromMessagesStream, ErrorsAndCutsAreNotASuccessfulEnd) {
  bool done = true;
  std::string ev = Events(
      {Frame("error",
             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")},
      &done);
  EXPECT_FALSE(done);
  EXPECT_NE(ev.find("|Overloaded|"), std::string::npos);
  std::string cut = AnthropicStream();
  cut.resize(cut.find("event: message_delta"));
  Events({cut}, &done);
  EXPECT_FALSE(done);
  Events({"data: {not json\n\n",
          "event: content_block_delta\ndata: "
          "{\"type\":\"content_block_delta\",\"index\":9,\"delta\":{\"type\":\"input_json_delta\","
          "\"partial_json\":\"x\"}}\n\n"},
         &done);
  EXPECT_FALSE(done);
}

// Codex on an Anthropic provider: the thinking's signature travels in encrypted_content and comes
// back on the next turn as signed thinking.
TEST(MessagesToResponses, SignatureRoundTripsThroughCodex) {
  StreamConverter conv(std::make_unique<MessagesStreamDecoder>(),
                       std::make_unique<ResponsesStreamEncoder>(
                           "gpt-5-codex", ResponsesIds{"resp_1", 1}, ResponsesTools{}));
  std::string out = ConvertChunks(conv, {AnthropicStream()});
  EXPECT_NE(out.find("event: response.completed"), std::string::npos);
  EXPECT_EQ(conv.usage().input, 110);
  EXPECT_EQ(conv.usage().output, 42);
  // Find the reasoning item as Codex would store it.
  std::string item;
  SseParser parser;
  parser.Feed(out, [&](const SseEvent& e) {
    if (e.event != "response.output_item.done") return;
    bj::value v = J(e.data);
    if (v.at("item").at("type") == "reasoning") item = bj::serialize(v.at("item"));
  });
  ASSERT_FALSE(item.empty()) << out;
  EXPECT_EQ(J(item).at("encrypted_content"), "EqQB");
  auto next = DecodeResponsesRequest(R"({"model":"m","input":[)" + item +
                                     R"(,{"type":"message","role":"user","content":"go"}]})");
  ASSERT_TRUE(next.ok()) << next.status();
  bj::value body = J(EncodeMessagesRequest(*next, "claude-sonnet-4-5", MessagesDialect{}));
  EXPECT_EQ(body.at("messages").at(0).at("content").at(0),
            J(R"({"type":"thinking","thinking":"Let me look","signature":"EqQB"})"));
}

// Claude Code dropped the thinking block of its tool turn: the kept signed one goes back in
// front; a turn that has its own, or one nothing was kept for, is left alone.
TEST(AddToolTurnThinking, KeptBlocksGoBackInFront) {
  const std::string body =
      R"({"model":"fake-model","max_tokens":100,"messages":[)"
      R"({"role":"user","content":"read a"},)"
      R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}]},)"
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]},)"
      R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_2","name":"Read","input":{}}]},)"
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_2","content":"y"}]}]})";
  int missing = 0;
  auto out = AddToolTurnThinking(
      body, "claude-sonnet-5-5",
      [](const std::string& id) {
        std::vector<ir::Part> parts;
        if (id != "toolu_1") return parts;
        ir::Part p;
        p.kind = ir::Part::Kind::kReasoning;
        p.text = "let me read";
        p.signature = "sig-1";
        parts.push_back(p);
        return parts;
      },
      &missing);
  ASSERT_TRUE(out.has_value());
  auto v = boost::json::parse(*out);
  EXPECT_EQ(v.at("model"), "claude-sonnet-5-5");
  const auto& first = v.at("messages").at(1).at("content").as_array();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].at("type"), "thinking");
  EXPECT_EQ(first[0].at("signature"), "sig-1");
  EXPECT_EQ(first[1].at("type"), "tool_use");
  EXPECT_EQ(v.at("messages").at(3).at("content").as_array().size(), 1u);
  EXPECT_EQ(missing, 1);

  // Thinking turned off, or nothing to add: the body passes unchanged.
  EXPECT_FALSE(AddToolTurnThinking(
      R"({"model":"m","thinking":{"type":"disabled"},"messages":[]})", "claude-sonnet-5-5",
      [](const std::string&) { return std::vector<ir::Part>{}; }, nullptr));
  EXPECT_FALSE(AddToolTurnThinking(
      "not json", "m", [](const std::string&) { return std::vector<ir::Part>{}; }, nullptr));
}

}  // namespace
}  // namespace agentgate::protocol
