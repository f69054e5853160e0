// Any client → Chat Completions provider: the provider quirks of the Chat request and answer.
#include "services/protocol/chat_codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

std::vector<std::string> Roles(const bj::value& body) {
  std::vector<std::string> out;
  for (const auto& m : body.at("messages").as_array()) {
    std::string role(m.at("role").as_string());
    if (role == "tool") role += ":" + std::string(m.at("tool_call_id").as_string());
    out.push_back(role);
  }
  return out;
}

TEST(ToChatRequest, ToolResultsFollowTheirCallsWhateverCameBetween) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("go")}));
  req.messages.push_back(Msg(
      ir::Role::kAssistant,
      {ToolCall("a", "shell", "{}"), ToolCall("b", "shell", "{}"), ToolCall("c", "shell", "{}")}));
  // Claude Code puts a system reminder between a call and its results; Codex may lose the
  // result of an interrupted call; a stray result answers nothing.
  req.messages.push_back(Msg(ir::Role::kSystem, {Text("reminder")}));
  req.messages.push_back(
      Msg(ir::Role::kUser, {ToolResult("b", {Text("B")}), ToolResult("zz", {Text("stray")}),
                            ToolResult("a", {Text("A")})}));
  req.messages.push_back(Msg(ir::Role::kAssistant, {Text("done")}));
  bj::value out = J(EncodeChatRequest(req, "m", ChatDialect{}));
  EXPECT_EQ(Roles(out), (std::vector<std::string>{"user", "assistant", "tool:a", "tool:b", "tool:c",
                                                  "system", "user", "assistant"}));
  const auto& m = out.at("messages").as_array();
  EXPECT_EQ(m[2].at("content"), "A");
  EXPECT_EQ(m[4].at("content"), "(no result: the call did not complete)");
  EXPECT_EQ(m[6].at("content"), "(result of tool call zz)\nstray");
}

TEST(ToChatRequest, ToolSchemasAreObjectSchemas) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("go")}));
  ir::Tool empty;
  empty.name = "terminal_last_command";
  empty.parameters = bj::object{};
  ir::Tool with_schema;
  with_schema.name = "read";
  with_schema.parameters =
      J(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object",)"
        R"("properties":{"path":{"type":"string"}},"additionalProperties":false})");
  req.tools = {empty, with_schema};
  bj::value out = J(EncodeChatRequest(req, "m", ChatDialect::ForProviderType("deepseek")));
  const auto& tools = out.at("tools").as_array();
  EXPECT_EQ(tools[0].at("function").at("parameters"), J(R"({"type":"object","properties":{}})"));
  EXPECT_EQ(tools[1].at("function").at("parameters"),
            J(R"({"type":"object","properties":{"path":{"type":"string"}},)"
              R"("additionalProperties":false})"));
  EXPECT_EQ(tools[1].at("type"), "function");
}

// Request bodies are written without building ChatAssistantMessage (which answers to Chat
// clients use): an assistant turn must come out as that message, byte for byte.
TEST(ToChatRequest, AssistantTurnsAreChatAssistantMessages) {
  const std::vector<std::vector<ir::Part>> turns = {
      {Text("a"), Text("b\n\"c\"")},
      {ToolCall("c1", "f", ""), ToolCall("c2", "g", R"({"x":1})"),
       ToolCall("c3", "apply_patch", "*** Begin Patch\n\"q\"\n", /*custom=*/true)},
      {Reasoning("think", "sig"), Text(""), ToolCall("c4", "f", "{}")},
      {Reasoning("r1", ""), Text("t"), Reasoning("r2", "")},
      {},
  };
  for (bool with_reasoning : {false, true}) {
    ChatDialect dialect;
    dialect.reasoning_content = with_reasoning;
    for (const auto& parts : turns) {
      ir::Request req;
      req.messages.push_back(Msg(ir::Role::kAssistant, parts));
      std::string body = EncodeChatRequest(req, "m", dialect);
      std::string message = bj::serialize(ChatAssistantMessage(parts, with_reasoning));
      EXPECT_NE(body.find(R"("messages":[)" + message), std::string::npos) << body;
    }
  }
}

TEST(ToChatRequest, KimiGetsThinkingControlAndMiniMaxNoReasoningEffort) {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("go")}));
  req.reasoning_effort = "high";
  bj::value kimi = J(EncodeChatRequest(req, "kimi-k2.5", ChatDialect::ForProviderType("kimi")));
  EXPECT_EQ(kimi.at("thinking"), J(R"({"type":"enabled"})"));
  EXPECT_FALSE(kimi.as_object().contains("reasoning_effort"));
  bj::value minimax =
      J(EncodeChatRequest(req, "MiniMax-M2", ChatDialect::ForProviderType("minimax")));
  EXPECT_FALSE(minimax.as_object().contains("reasoning_effort"));
  EXPECT_FALSE(minimax.as_object().contains("thinking"));
  bj::value openai = J(EncodeChatRequest(req, "gpt-5", ChatDialect::ForProviderType("openai")));
  EXPECT_EQ(openai.at("reasoning_effort"), "high");
}

// A Gemini CLI-like tool loop whose client kept no reasoning.
ir::Request ToolLoopWithoutReasoning() {
  ir::Request req;
  req.messages.push_back(Msg(ir::Role::kUser, {Text("list files")}));
  req.messages.push_back(Msg(ir::Role::kAssistant, {ToolCall("c1", "shell", R"({"cmd":"ls"})")}));
  req.messages.push_back(Msg(ir::Role::kUser, {ToolResult("c1", {Text("a.txt")})}));
  ir::Tool shell;
  shell.name = "shell";
  shell.parameters = J(R"({"type":"object"})");
  req.tools = {shell};
  req.reasoning_effort = "medium";
  req.temperature = 0.7;
  return req;
}

// DeepSeek thinking mode (api-docs.deepseek.com/guides/thinking_mode, 2026-12): every earlier
// assistant message with tool_calls keeps its reasoning_content, even "".
TEST(ToChatRequest, DeepSeekV4GetsThinkingOnAndEveryToolTurnItsReasoning) {
  ir::Request req = ToolLoopWithoutReasoning();
  bj::value out =
      J(EncodeChatRequest(req, "deepseek-v4-pro", ChatDialect::ForProviderType("deepseek")));
  EXPECT_EQ(out.at("thinking"), J(R"({"type":"enabled"})"));
  EXPECT_EQ(out.at("reasoning_effort"), "high");  // high|max only
  const auto& msgs = out.at("messages").as_array();
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[1].at("reasoning_content"), "");
  EXPECT_TRUE(msgs[1].at("content").is_null());
  EXPECT_EQ(req.losses,
            std::vector<std::string>{
                "the reasoning of earlier tool turns (not kept by the client; sent empty)"});

  // Kept reasoning goes back as it was, and nothing is named.
  req = ToolLoopWithoutReasoning();
  req.messages[1].parts.insert(req.messages[1].parts.begin(), Reasoning("look first", ""));
  out = J(EncodeChatRequest(req, "deepseek-v4-pro", ChatDialect::ForProviderType("deepseek")));
  EXPECT_EQ(out.at("messages").as_array()[1].at("reasoning_content"), "look first");
  EXPECT_TRUE(req.losses.empty());
}

// The same model on a generic OpenAI-compatible host (a custom base URL, vLLM, a proxy): its
// tool turns still carry their reasoning. Found running Codex through the gateway against one.
TEST(ToChatRequest, DeepSeekV4OnAnyHostGetsItsReasoningBack) {
  ir::Request req = ToolLoopWithoutReasoning();
  req.messages[1].parts.insert(req.messages[1].parts.begin(), Reasoning("look first", ""));
  for (const char* type : {"custom_openai_compatible", "openrouter", "siliconflow"}) {
    bj::value out =
        J(EncodeChatRequest(req, "deepseek-v4-flash", ChatDialect::ForProviderType(type)));
    EXPECT_EQ(out.at("messages").as_array()[1].at("reasoning_content"), "look first") << type;
  }
  // A model that does not want it back does not get it from a generic host.
  bj::value other =
      J(EncodeChatRequest(req, "llama-4", ChatDialect::ForProviderType("custom_openai_compatible")));
  EXPECT_FALSE(other.at("messages").as_array()[1].as_object().contains("reasoning_content"));
}

TEST(ToChatRequest, KimiFixesSamplingAndKimiCodeRefusesForcedTools) {
  ir::Request req = ToolLoopWithoutReasoning();
  req.tool_choice.set = true;
  req.tool_choice.mode = ir::ToolChoice::Mode::kRequired;
  bj::value out = J(EncodeChatRequest(req, "kimi-k2.7-code", ChatDialect::ForProviderType("kimi")));
  EXPECT_FALSE(out.as_object().contains("temperature"));
  EXPECT_EQ(out.at("tool_choice"), "auto");
  EXPECT_EQ(out.at("messages").as_array()[1].at("reasoning_content"), "");
  EXPECT_EQ(req.losses.size(), 3u);
  bj::value k3 = J(EncodeChatRequest(req, "kimi-k3", ChatDialect::ForProviderType("kimi")));
  EXPECT_EQ(k3.at("reasoning_effort"), "medium");
  EXPECT_FALSE(k3.as_object().contains("thinking"));
}

TEST(ToChatRequest, OpenAiReasoningModelsGetToolsAtEffortNone) {
  ir::Request req = ToolLoopWithoutReasoning();
  bj::value out = J(EncodeChatRequest(req, "gpt-6-luna", ChatDialect::ForProviderType("openai")));
  EXPECT_EQ(out.at("reasoning_effort"), "none");
  EXPECT_EQ(out.at("temperature"), 0.7);  // accepted at effort none
  ASSERT_EQ(req.losses.size(), 1u);
  EXPECT_NE(req.losses[0].find("only at effort none"), std::string::npos);
  // Without tools the effort is the client's, and temperature is refused beside it.
  req = ToolLoopWithoutReasoning();
  req.tools.clear();
  out = J(EncodeChatRequest(req, "gpt-6-luna", ChatDialect::ForProviderType("openai")));
  EXPECT_EQ(out.at("reasoning_effort"), "medium");
  EXPECT_FALSE(out.as_object().contains("temperature"));
  EXPECT_EQ(req.losses, std::vector<std::string>{
                            "temperature and top_p (not accepted with a reasoning effort)"});
}

TEST(ToChatRequest, AnotherProviderTypeServingTheModelGetsOnlyItsOwnControls) {
  // DeepSeek's model through OpenRouter: no DeepSeek thinking object, effort as the dialect says.
  ir::Request req = ToolLoopWithoutReasoning();
  bj::value out = J(EncodeChatRequest(req, "deepseek/deepseek-v4-pro",
                                      ChatDialect::ForProviderType("openrouter")));
  EXPECT_FALSE(out.as_object().contains("thinking"));
  EXPECT_EQ(out.at("reasoning_effort"), "medium");
}

TEST(ToolTurnReasoning, APassedThroughBodyGetsWhatDeepSeekWantsBackAndNothingElseChanges) {
  constexpr char kBody[] =
      R"({"model":"x","messages":[{"role":"user","content":"go"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",)"
      R"("function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"},)"
      R"({"role":"assistant","content":null,"reasoning_content":"mine","tool_calls":[{"id":"c2",)"
      R"("type":"function","function":{"name":"f","arguments":"{}"}}]}],"x_extra":1})";
  int emptied = 0;
  auto out = AddToolTurnReasoning(
      kBody, "deepseek-v4-pro", [](const std::string& id) { return id == "c1" ? "kept" : ""; },
      &emptied);
  ASSERT_TRUE(out.has_value());
  bj::value v = J(*out);
  EXPECT_EQ(v.at("model"), "deepseek-v4-pro");
  EXPECT_EQ(v.at("messages").at(1).at("reasoning_content"), "kept");
  EXPECT_EQ(v.at("messages").at(3).at("reasoning_content"), "mine");  // the client's stays
  EXPECT_EQ(v.at("x_extra"), 1);
  EXPECT_EQ(emptied, 0);
  // Unknown reasoning: empty, counted. Thinking off, or nothing missing: the body passes as it is.
  auto unknown = AddToolTurnReasoning(
      kBody, "m", [](const std::string&) { return ""; }, &emptied);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(emptied, 1);
  std::string off = kBody;
  off.insert(1, R"("thinking":{"type":"disabled"},)");
  EXPECT_FALSE(AddToolTurnReasoning(
      off, "m", [](const std::string&) { return ""; }, nullptr));
  EXPECT_FALSE(AddToolTurnReasoning(R"({"messages":[{"role":"user","content":"hi"}]})", "m",
                                    [](const std::string&) { return ""; }, nullptr));
}

TEST(FromChatAnswer, MiniMaxThinkTagsBecomeReasoning) {
  constexpr char kBody[] =
      R"({"id":"x","choices":[{"message":{"role":"assistant",)"
      R"("content":"<think>\nplan it\n</think>\n\nThe answer."},"finish_reason":"stop"}]})";
  auto r = DecodeChatResponse(kBody, /*think_tags=*/true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->output.size(), 2u);
  EXPECT_EQ(r->output[0].kind, ir::Part::Kind::kReasoning);
  EXPECT_EQ(r->output[0].text, "\nplan it\n");
  EXPECT_EQ(r->output[1].text, "The answer.");
  auto plain = DecodeChatResponse(kBody);
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->output.size(), 1u);  // other providers: the content is left alone

  // Streamed, with the tags split across chunks.
  ChatStreamDecoder d(/*think_tags=*/true);
  std::string reasoning, text;
  auto chunk = [](std::string content) {
    return SseFrame(
        "", bj::serialize(bj::object{
                {"choices", bj::array{bj::object{{"delta", bj::object{{"content", content}}}}}}}));
  };
  for (const char* piece : {"<thi", "nk>plan", " it</th", "ink>\n\nThe ", "answer <th"}) {
    d.Feed(chunk(piece), [&](const ir::StreamEvent& e) {
      if (e.kind == ir::StreamEvent::Kind::kReasoningDelta) reasoning += e.text;
      if (e.kind == ir::StreamEvent::Kind::kTextDelta) text += e.text;
    });
  }
  EXPECT_EQ(text, "The answer ");  // "<th" might start a tag: held until more comes
  d.Feed("data: [DONE]\n\n", [&](const ir::StreamEvent& e) {
    if (e.kind == ir::StreamEvent::Kind::kTextDelta) text += e.text;
  });
  EXPECT_EQ(reasoning, "plan it");
  EXPECT_EQ(text, "The answer <th");
  EXPECT_TRUE(d.done());
}

}  // namespace
}  // namespace agentgate::protocol
