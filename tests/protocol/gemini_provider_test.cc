// Gemini as the provider: ir::Request → generateContent body, GenerateContentResponse and the
// alt=sse stream → ir::Response / ir::StreamEvents.
#include "services/protocol/gemini_provider.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "services/protocol/gemini_codec.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

// What Claude Code or Codex sends, decoded: system, images, a tool call and a custom tool call
// with their results, a system message mid-conversation, tools, tool_choice and thinking.
ir::Request ClientRequest() {
  ir::Request req;
  req.model = "gemini-2.5-pro";
  req.system = {"You are a coding agent.", "Be brief."};
  req.messages.push_back(
      {ir::Role::kUser,
       {Text("look"), Image("image/png", "AAAA"), Image("", "", "https://x.test/a.WEBP?s=1"),
        Image("", "", "data:image/gif;base64,R0lG")}});
  req.messages.push_back({ir::Role::kAssistant,
                          {Reasoning("the user wants a.txt", "sig"), Text("I will read it."),
                           ToolCall("toolu_1", "Read", R"({"path":"a.txt"})"),
                           ToolCall("call_p", "apply_patch", "*** Begin Patch", /*custom=*/true)}});
  req.messages.push_back(
      {ir::Role::kUser,
       {ToolResult("toolu_1", {Text("hello"), Text("world"), Image("image/jpeg", "BBBB")}),
        ToolResult("call_p", {Text("bad patch")}, /*is_error=*/true), Text("go on")}});
  req.messages.push_back({ir::Role::kSystem, {Text("Remember the rules.")}});
  req.messages.push_back({ir::Role::kUser, {Text("and?")}});
  ir::Tool read;
  read.name = "Read";
  read.description = "Reads a file";
  read.parameters = J(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
    "properties":{"path":{"type":"string"},"limit":{"type":"integer","exclusiveMinimum":0}},
    "required":["path"],"additionalProperties":false})");
  ir::Tool patch;
  patch.name = "apply_patch";
  patch.description = "Patch files";
  patch.custom = true;
  req.tools = {read, patch};
  req.tool_choice = {ir::ToolChoice::Mode::kSpecific, "Read", true};
  req.reasoning_effort = "high";
  req.temperature = 0.5;
  req.top_p = 0.9;
  req.top_k = 40;
  req.max_tokens = 1024;
  req.stop = {"END"};
  return req;
}

TEST(GeminiProvider, RequestGolden) {
  ir::Request req = ClientRequest();
  bj::value body = J(EncodeGeminiRequest(req));
  EXPECT_EQ(body, J(R"({
    "systemInstruction":{"parts":[{"text":"You are a coding agent."},{"text":"Be brief."}]},
    "contents":[
      {"role":"user","parts":[
        {"text":"look"},
        {"inlineData":{"mimeType":"image/png","data":"AAAA"}},
        {"fileData":{"mimeType":"image/webp","fileUri":"https://x.test/a.WEBP?s=1"}},
        {"inlineData":{"mimeType":"image/gif","data":"R0lG"}}]},
      {"role":"model","parts":[
        {"text":"I will read it."},
        {"functionCall":{"name":"Read","args":{"path":"a.txt"},"id":"toolu_1"}},
        {"functionCall":{"name":"apply_patch","args":{"input":"*** Begin Patch"},"id":"call_p"}}]},
      {"role":"user","parts":[
        {"functionResponse":{"name":"Read","response":{"output":"hello\nworld"},"id":"toolu_1"}},
        {"inlineData":{"mimeType":"image/jpeg","data":"BBBB"}},
        {"functionResponse":{"name":"apply_patch","response":{"error":"bad patch"},"id":"call_p"}},
        {"text":"go on"},
        {"text":"Remember the rules."},
        {"text":"and?"}]}],
    "tools":[{"functionDeclarations":[
      {"name":"Read","description":"Reads a file","parametersJsonSchema":{"type":"object",
        "properties":{"path":{"type":"string"},"limit":{"type":"integer","exclusiveMinimum":0}},
        "required":["path"],"additionalProperties":false}},
      {"name":"apply_patch","description":"Patch files","parametersJsonSchema":{"type":"object",
        "properties":{"input":{"type":"string"}},"required":["input"]}}]}],
    "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["Read"]}},
    "generationConfig":{"temperature":0.5,"topP":0.9,"topK":40,"maxOutputTokens":1024,
      "stopSequences":["END"],"thinkingConfig":{"thinkingBudget":24576,"includeThoughts":true}}
  })"))
      << bj::serialize(body);
  EXPECT_TRUE(req.losses.empty());
}

TEST(GeminiProvider, RequestIsReadBackByTheGeminiClientSide) {
  ir::Request req = ClientRequest();
  auto back = DecodeGeminiRequest(EncodeGeminiRequest(req), "gemini-2.5-pro");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->system, req.system);
  ASSERT_EQ(back->messages.size(), 3u);
  const auto& calls = back->messages[1].parts;
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].call_id, "toolu_1");
  EXPECT_EQ(calls[1].arguments, R"({"path":"a.txt"})");
  const auto& results = back->messages[2].parts;
  EXPECT_EQ(results[0].call_id, "toolu_1");
  EXPECT_EQ(results[0].content[0].text, "hello\nworld");
  EXPECT_TRUE(results[2].is_error);
  ASSERT_EQ(back->tools.size(), 2u);
  EXPECT_EQ(back->tools[0].parameters.at("required"), J(R"(["path"])"));
  EXPECT_EQ(back->tool_choice.mode, ir::ToolChoice::Mode::kSpecific);
  EXPECT_EQ(back->thinking_budget, 24576);
  EXPECT_EQ(back->max_tokens, 1024);
}

TEST(GeminiProvider, SameRoleTurnsMergeAndResultsFindTheirCallByName) {
  ir::Request req;
  // Ids generated for id-less calls can repeat across turns: the newest call before wins.
  req.messages.push_back({ir::Role::kUser, {Text("a")}});
  req.messages.push_back({ir::Role::kAssistant, {ToolCall("call_1", "Glob", "")}});
  req.messages.push_back({ir::Role::kUser, {ToolResult("call_1", {Text("x")})}});
  req.messages.push_back({ir::Role::kUser, {Text("b")}});
  req.messages.push_back({ir::Role::kAssistant, {ToolCall("call_1", "Grep", "{}")}});
  req.messages.push_back({ir::Role::kAssistant, {Text("")}});  // nothing to send: dropped
  req.messages.push_back({ir::Role::kUser, {ToolResult("lost", {})}});
  req.messages.push_back({ir::Role::kUser, {ToolResult("call_1", {Text("y")})}});
  bj::value body = J(EncodeGeminiRequest(req));
  const auto& contents = body.at("contents").as_array();
  ASSERT_EQ(contents.size(), 5u) << bj::serialize(body);
  EXPECT_EQ(contents[1].at("parts").at(0), J(R"({"functionCall":{"name":"Glob","args":{},
    "id":"call_1"}})"));
  EXPECT_EQ(contents[2].at("parts").as_array().size(), 2u);
  EXPECT_EQ(contents[2].at("parts").at(0).at("functionResponse").at("name"), "Glob");
  const auto& last = contents[4].at("parts").as_array();
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].at("functionResponse").at("name"), "lost");  // its call is not there
  EXPECT_EQ(last[1].at("functionResponse").at("name"), "Grep");
  EXPECT_FALSE(body.as_object().contains("systemInstruction"));
  EXPECT_FALSE(body.as_object().contains("generationConfig"));
  EXPECT_FALSE(body.as_object().contains("tools"));
}

TEST(GeminiProvider, ToolChoiceThinkingAndLosses) {
  ir::Request req;
  req.messages.push_back({ir::Role::kUser, {Text("hi")}});
  ir::Tool t;
  t.name = "f";
  req.tools.push_back(t);  // no schema: an empty object schema
  req.parallel_tool_calls = false;
  req.stop = {"1", "2", "3", "4", "5", "6"};
  req.thinking_budget = 1000;
  req.reasoning_effort = "high";
  req.tool_choice = {ir::ToolChoice::Mode::kRequired, "", true};
  bj::value body = J(EncodeGeminiRequest(req));
  EXPECT_EQ(body.at("tools").at(0).at("functionDeclarations").at(0),
            J(R"({"name":"f","parametersJsonSchema":{"type":"object","properties":{}}})"));
  EXPECT_EQ(body.at("toolConfig"), J(R"({"functionCallingConfig":{"mode":"ANY"}})"));
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig").at("thinkingBudget"), 1000);
  EXPECT_EQ(body.at("generationConfig").at("stopSequences").as_array().size(), 5u);
  EXPECT_EQ(req.losses.size(), 2u);

  ir::Request none;
  none.tools.push_back(t);
  none.tool_choice = {ir::ToolChoice::Mode::kNone, "", true};
  none.reasoning_effort = "low";
  body = J(EncodeGeminiRequest(none));
  EXPECT_EQ(body.at("toolConfig").at("functionCallingConfig").at("mode"), "NONE");
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig"),
            J(R"({"thinkingBudget":2048,"includeThoughts":true})"));
  none.tool_choice.mode = ir::ToolChoice::Mode::kAuto;
  none.reasoning_effort = "medium";
  body = J(EncodeGeminiRequest(none));
  EXPECT_EQ(body.at("toolConfig").at("functionCallingConfig").at("mode"), "AUTO");
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig").at("thinkingBudget"), 8192);
  EXPECT_TRUE(none.losses.empty());
}

// Gemini 3+ (ai.google.dev/gemini-api/docs/thought-signatures, 2026-12): each call goes back
// with its own thoughtSignature; a step whose first call has none gets the documented
// placeholder (and the loss is named); 2.5 gets none.
TEST(ToGeminiRequest, ThoughtSignaturesGoBackOnTheirCalls) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("two steps")}));
  ir::Part signed_call = ToolCall("fc_1", "Read", R"({"p":"a"})");
  signed_call.signature = "SIG-A";
  req.messages.push_back(Msg(ir::Role::kAssistant, {signed_call, ToolCall("fc_2", "Read", "{}")}));
  req.messages.push_back(
      Msg(ir::Role::kUser, {ToolResult("fc_1", {Text("a")}), ToolResult("fc_2", {Text("b")})}));
  req.messages.push_back(Msg(ir::Role::kAssistant, {ToolCall("fc_3", "Read", "{}")}));
  req.messages.push_back(Msg(ir::Role::kUser, {ToolResult("fc_3", {Text("c")})}));
  bj::value body = J(EncodeGeminiRequest(req, "gemini-3.1-pro-preview"));
  const auto& step1 = body.at("contents").at(1).at("parts").as_array();
  ASSERT_EQ(step1.size(), 2u) << body;
  EXPECT_EQ(step1[0].at("thoughtSignature"), "SIG-A");
  EXPECT_EQ(step1[0].at("functionCall").at("id"), "fc_1");
  EXPECT_FALSE(step1[1].as_object().contains("thoughtSignature"));  // only the first is checked
  const auto& step2 = body.at("contents").at(3).at("parts").as_array();
  ASSERT_EQ(step2.size(), 1u) << body;
  EXPECT_EQ(step2[0].at("thoughtSignature"), "skip_thought_signature_validator");
  ASSERT_EQ(req.losses.size(), 1u);
  EXPECT_NE(req.losses[0].find("placeholder"), std::string::npos);
  // Gemini 2.5 neither signs nor wants the placeholder.
  req.losses.clear();
  req.messages[1].parts[0].signature.clear();
  bj::value old = J(EncodeGeminiRequest(req, "gemini-2.5-pro"));
  EXPECT_FALSE(old.at("contents").at(1).at("parts").at(0).as_object().contains("thoughtSignature"));
  EXPECT_TRUE(req.losses.empty());
}

TEST(FromGeminiAnswer, ACallsThoughtSignatureIsRead) {
  constexpr char kAnswer[] =
      R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"fc_9",)"
      R"("name":"Read","args":{}},"thoughtSignature":"SIG-9"}]},"finishReason":"STOP"}]})";
  auto r = DecodeGeminiResponse(kAnswer);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->output.size(), 1u);
  EXPECT_EQ(r->output[0].call_id, "fc_9");
  EXPECT_EQ(r->output[0].signature, "SIG-9");
  GeminiStreamDecoder d;
  std::string sig;
  d.Feed(std::string("data: ") + kAnswer + "\n\n", [&](const ir::StreamEvent& ev) {
    if (ev.kind == ir::StreamEvent::Kind::kToolCallStart) sig = ev.signature;
  });
  EXPECT_EQ(sig, "SIG-9");
}

// Gemini 3+ (ai.google.dev/gemini-api/docs/generate-content/latest-model, 2026-12): a
// thinkingLevel from the model's own levels, never a budget; output within the model's limit.
TEST(ToGeminiRequest, GeminiThreeAndLaterGetALevelOfTheirOwn) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("hi")}));
  req.reasoning_effort = "high";
  req.max_tokens = 1'000'000;
  bj::value body = J(EncodeGeminiRequest(req, "gemini-3.1-pro-preview"));
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig"),
            J(R"({"thinkingLevel":"high","includeThoughts":true})"));
  EXPECT_EQ(body.at("generationConfig").at("maxOutputTokens"), 65536);
  req.reasoning_effort.clear();
  req.thinking_budget = 1024;  // Gemini CLI's budgets become levels
  body = J(EncodeGeminiRequest(req, "gemini-3.6-flash"));
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig").at("thinkingLevel"), "low");
  // 2.5 keeps the budget.
  body = J(EncodeGeminiRequest(req, "gemini-2.5-flash"));
  EXPECT_EQ(body.at("generationConfig").at("thinkingConfig").at("thinkingBudget"), 1024);
}

TEST(GeminiProvider, ResponseWithToolCallsAndUsage) {
  auto r = DecodeGeminiResponse(R"({"candidates":[{"content":{"role":"model","parts":[
      {"text":"plan","thought":true},{"text":"Reading."},
      {"functionCall":{"name":"Read","args":{"path":"a"}},"thoughtSignature":"c2ln"},
      {"functionCall":{"id":"fc-9","name":"Glob","args":{"pattern":"*"}}}]},
    "finishReason":"STOP","index":0}],
    "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"thoughtsTokenCount":5,
      "cachedContentTokenCount":40,"totalTokenCount":125},
    "modelVersion":"gemini-2.5-pro","responseId":"resp/1"})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id, "resp/1");
  EXPECT_EQ(r->model, "gemini-2.5-pro");
  ASSERT_EQ(r->output.size(), 4u);
  EXPECT_EQ(r->output[0].kind, ir::Part::Kind::kReasoning);
  EXPECT_EQ(r->output[0].text, "plan");
  EXPECT_EQ(r->output[1].text, "Reading.");
  EXPECT_EQ(r->output[2].kind, ir::Part::Kind::kToolCall);
  EXPECT_EQ(r->output[2].call_id, "call_resp1_1");  // generated, unique to this answer
  EXPECT_EQ(r->output[2].name, "Read");
  EXPECT_EQ(J(r->output[2].arguments), J(R"({"path":"a"})"));
  EXPECT_EQ(r->output[3].call_id, "fc-9");
  EXPECT_EQ(r->finish, ir::FinishReason::kToolCalls);
  EXPECT_TRUE(r->usage.present);
  EXPECT_EQ(r->usage.input, 100);
  EXPECT_EQ(r->usage.output, 25);
  EXPECT_EQ(r->usage.reasoning, 5);
  EXPECT_EQ(r->usage.cached, 40);
}

TEST(GeminiProvider, FinishReasonsBlockedPromptAndBadBodies) {
  auto finish = [](std::string_view reason) {
    auto r = DecodeGeminiResponse(
        R"({"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":")" +
        std::string(reason) + R"("}]})");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->finish : ir::FinishReason::kNone;
  };
  EXPECT_EQ(finish("STOP"), ir::FinishReason::kStop);
  EXPECT_EQ(finish("MAX_TOKENS"), ir::FinishReason::kLength);
  EXPECT_EQ(finish("SAFETY"), ir::FinishReason::kContentFilter);
  EXPECT_EQ(finish("RECITATION"), ir::FinishReason::kContentFilter);
  EXPECT_EQ(finish("PROHIBITED_CONTENT"), ir::FinishReason::kContentFilter);

  auto blocked = DecodeGeminiResponse(
      R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}})");
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->finish, ir::FinishReason::kContentFilter);
  EXPECT_TRUE(blocked->output.empty());
  EXPECT_EQ(blocked->usage.input, 7);

  EXPECT_FALSE(DecodeGeminiResponse("not json").ok());
  EXPECT_FALSE(DecodeGeminiResponse("[]").ok());
  EXPECT_FALSE(DecodeGeminiResponse("{}").ok());
  EXPECT_FALSE(DecodeGeminiResponse(R"({"error":{"code":400,"message":"bad"}})").ok());
}

// A Gemini alt=sse stream (Google frames it with CRLF): thoughts, text in two chunks, then two
// function calls with the finish reason and the final usage.
std::string GeminiStream() {
  const char* chunks[] = {
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true}]},"index":0}],"usageMetadata":{"promptTokenCount":50,"totalTokenCount":50},"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"I'll read "}]},"index":0}],"usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":3,"totalTokenCount":53},"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"text":"the file."}]},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
      R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Read","args":{"path":"a.txt"}}},{"functionCall":{"id":"g1","name":"Glob","args":{"pattern":"*"}}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":12,"thoughtsTokenCount":4,"totalTokenCount":66},"modelVersion":"gemini-2.5-flash","responseId":"r1"})",
  };
  std::string s;
  for (const char* c : chunks) s += "data: " + std::string(c) + "\r\n\r\n";
  return s;
}

std::string Describe(const ir::StreamEvent& e) {
  using Kind = ir::StreamEvent::Kind;
  switch (e.kind) {
    case Kind::kStart:
      return "start " + e.id + " " + e.model;
    case Kind::kTextDelta:
      return "text " + e.text;
    case Kind::kReasoningDelta:
      return "reasoning " + e.text;
    case Kind::kReasoningSignature:
      return "signature " + e.text;
    case Kind::kToolCallStart:
      return "call " + std::to_string(e.index) + " " + e.call_id + " " + e.name;
    case Kind::kToolCallDelta:
      return "args " + std::to_string(e.index) + " " + e.text;
    case Kind::kFinish:
      return "finish " + std::to_string(static_cast<int>(e.finish));
    case Kind::kUsage:
      return "usage " + std::to_string(e.usage.input) + "/" + std::to_string(e.usage.output) + "/" +
             std::to_string(e.usage.reasoning);
    case Kind::kError:
      return "error " + e.text;
  }
  return "?";
}

struct Decoded {
  std::vector<std::string> events;
  bool done = false;
};

Decoded Decode(const std::vector<std::string>& chunks) {
  GeminiStreamDecoder d;
  Decoded out;
  auto emit = [&](const ir::StreamEvent& e) { out.events.push_back(Describe(e)); };
  for (const auto& c : chunks) d.Feed(c, emit);
  out.done = d.done();
  return out;
}

TEST(GeminiProviderStream, Events) {
  Decoded d = Decode({GeminiStream()});
  EXPECT_TRUE(d.done);
  std::vector<std::string> want = {
      "start r1 gemini-2.5-flash",
      "reasoning Let me think",
      "usage 50/0/0",
      "text I'll read ",
      "usage 50/3/0",
      "text the file.",
      "call 0 call_r1_1 Read",
      R"(args 0 {"path":"a.txt"})",
      "call 1 g1 Glob",
      R"(args 1 {"pattern":"*"})",
      "finish " + std::to_string(static_cast<int>(ir::FinishReason::kToolCalls)),
      "usage 50/16/4",
  };
  EXPECT_EQ(d.events, want);
}

TEST(GeminiProviderStream, SameEventsHoweverTheInputIsSplit) {
  std::string input = GeminiStream();
  Decoded whole = Decode({input});
  Decoded bytewise = Decode(ByteByByte(input));
  EXPECT_EQ(bytewise.events, whole.events);
  EXPECT_TRUE(bytewise.done);
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Decode(SplitAtRandomCuts(input, rng, 12)).events, whole.events);
  }
}

TEST(GeminiProviderStream, ConvertsToAMessagesStream) {
  StreamConverter conv(std::make_unique<GeminiStreamDecoder>(),
                       std::make_unique<MessagesStreamEncoder>("claude-sonnet-4-5", 40));
  std::string out = ConvertChunks(conv, {GeminiStream()});
  std::vector<std::string> types;
  std::string input_json;
  bj::value last_delta;
  SseParser p;
  p.Feed(out, [&](const SseEvent& e) {
    types.emplace_back(e.event);
    bj::value v = bj::parse(e.data);
    if (e.event == "content_block_delta" && v.at("delta").at("type") == "input_json_delta") {
      input_json = std::string(v.at("delta").at("partial_json").as_string());
    }
    if (e.event == "message_delta") last_delta = v;
  });
  std::vector<std::string> want = {
      "message_start",       "content_block_start", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_stop",  "content_block_start",
      "content_block_delta", "content_block_stop",  "message_delta",       "message_stop"};
  EXPECT_EQ(types, want) << out;
  EXPECT_EQ(J(input_json), J(R"({"pattern":"*"})"));
  EXPECT_EQ(last_delta.at("delta").at("stop_reason"), "tool_use");
  EXPECT_EQ(last_delta.at("usage").at("output_tokens"), 16);
}

TEST(GeminiProviderStream, ErrorFrame) {
  Decoded d =
      Decode({"data: {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
              "\"status\":\"RESOURCE_EXHAUSTED\"}}\r\n\r\n"});
  EXPECT_EQ(d.events, std::vector<std::string>{"error Resource has been exhausted"});
  EXPECT_FALSE(d.done);
}

TEST(GeminiProviderStream, WithoutAFinishReasonTheStreamIsNotDone) {
  std::string input = GeminiStream();
  input.resize(input.rfind("data: "));  // cut before the last chunk
  Decoded d = Decode({input});
  EXPECT_FALSE(d.done);
  EXPECT_EQ(d.events.back(), "text the file.");

  StreamConverter conv(std::make_unique<GeminiStreamDecoder>(),
                       std::make_unique<GeminiStreamEncoder>("gemini-2.5-flash"));
  conv.Feed(input);
  EXPECT_NE(conv.End().find("\"error\""), std::string::npos);
}

TEST(GeminiProviderStream, BlockedPromptFinishesWithContentFilter) {
  Decoded d =
      Decode({"data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},"
              "\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},\"responseId\":"
              "\"b\"}\n\n"});
  EXPECT_TRUE(d.done);
  std::vector<std::string> want = {
      "start b ", "finish " + std::to_string(static_cast<int>(ir::FinishReason::kContentFilter)),
      "usage 9/0/0"};
  EXPECT_EQ(d.events, want);
}

TEST(GeminiProviderStream, HostileFramesAreIgnored) {
  Decoded d = Decode(
      {"data: [DONE]\n\ndata: {\"candidates\":\"x\"}\n\ndata: {\"candidates\":[{\"content\":"
       "{\"parts\":[{\"functionCall\":{\"name\":7,\"args\":[1]}},{\"text\":5},{}]},"
       "\"finishReason\":3}]}\n\ndata: {\"usageMetadata\":{\"promptTokenCount\":1e999}}\n\n"});
  EXPECT_FALSE(d.done);
  std::vector<std::string> want = {"start  ", "call 0 call_1 ", "args 0 {}"};
  EXPECT_EQ(d.events, want);
}

}  // namespace
}  // namespace agentgate::protocol
