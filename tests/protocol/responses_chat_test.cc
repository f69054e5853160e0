// Responses client (Codex) ↔ Chat Completions provider.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <set>

#include "services/protocol/chat_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"
#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using namespace test_util;

// Shaped like Codex 0.169's requests: developer messages, a finished tool round trip with
// reasoning carried in encrypted_content, a custom tool, hosted tools.
constexpr char kCodexRequest[] = R"({
  "model":"gpt-5-codex","stream":true,"instructions":"You are Codex.",
  "input":[
    {"type":"message","role":"developer","content":[{"type":"input_text","text":"sandbox: read-only"}]},
    {"type":"message","role":"user","content":[{"type":"input_text","text":"list files"},
      {"type":"input_image","image_url":"data:image/png;base64,AAAA"}]},
    {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"agentgate:I will run ls"},
    {"type":"function_call","call_id":"call_1","name":"exec_command","arguments":"{\"cmd\":\"ls\"}"},
    {"type":"function_call_output","call_id":"call_1","output":"a.txt\nb.txt"},
    {"type":"custom_tool_call","call_id":"call_2","name":"apply_patch","input":"*** Begin Patch"},
    {"type":"custom_tool_call_output","call_id":"call_2","output":"Done"},
    {"type":"message","role":"user","content":"thanks"}
  ],
  "tools":[
    {"type":"function","name":"exec_command","description":"run","strict":false,
     "parameters":{"type":"object","properties":{"cmd":{"type":"string"}}}},
    {"type":"custom","name":"apply_patch","description":"patch","format":{"type":"grammar","syntax":"lark","definition":"start: x"}},
    {"type":"web_search","external_web_access":false},
    {"type":"namespace","name":"multi_agent_v1","tools":[{"type":"web_search"}]}
  ],
  "tool_choice":"auto","parallel_tool_calls":true,"reasoning":{"effort":"high","summary":"auto"},
  "max_output_tokens":4000,"store":false,"include":["reasoning.encrypted_content"]})";

TEST(ResponsesToChat, RequestCarriesEverythingChatCan) {
  auto req = DecodeResponsesRequest(kCodexRequest);
  ASSERT_TRUE(req.ok()) << req.status();
  bj::value chat =
      J(EncodeChatRequest(*req, "deepseek-chat", ChatDialect::ForProviderType("deepseek")));
  const auto& m = chat.at("messages").as_array();
  ASSERT_EQ(m.size(), 7u) << bj::serialize(chat);
  EXPECT_EQ(m[0], J(R"({"role":"system","content":"You are Codex.\n\nsandbox: read-only"})"));
  EXPECT_EQ(m[1], J(R"({"role":"user","content":"list files"})"));  // DeepSeek: no images
  EXPECT_EQ(m[2].at("reasoning_content"), "I will run ls");
  EXPECT_EQ(m[2].at("tool_calls").at(0).at("function").at("arguments"), "{\"cmd\":\"ls\"}");
  EXPECT_EQ(m[3], J(R"({"role":"tool","tool_call_id":"call_1","content":"a.txt\nb.txt"})"));
  // The custom tool travels as a function with one string argument.
  EXPECT_EQ(m[4].at("tool_calls").at(0).at("function").at("arguments"),
            R"({"input":"*** Begin Patch"})");
  EXPECT_EQ(m[5], J(R"({"role":"tool","tool_call_id":"call_2","content":"Done"})"));
  EXPECT_EQ(m[6], J(R"({"role":"user","content":"thanks"})"));
  const auto& tools = chat.at("tools").as_array();
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[1].at("function").at("parameters").at("properties").at("input").at("type"),
            "string");
  EXPECT_EQ(chat.at("max_tokens"), 4000);
  EXPECT_EQ(ResponsesToolNames(*req).custom, std::set<std::string>{"apply_patch"});
  std::string losses;
  for (const auto& l : req->losses) losses += l + ";";
  EXPECT_NE(losses.find("web_search"), std::string::npos);
  EXPECT_NE(losses.find("multi_agent_v1"), std::string::npos);
  EXPECT_NE(losses.find("images"), std::string::npos);
}

// Codex 0.169 sends a known model's tools (namespaces, its "code mode" exec tool) in an
// additional_tools input item: they are the request's tools, not a dropped item.
TEST(ResponsesToChat, AdditionalToolsInTheInputAreTools) {
  auto req = DecodeResponsesRequest(
      R"({"model":"gpt-6-astra","input":[{"type":"additional_tools","role":"developer","tools":[)"
      R"({"type":"namespace","name":"functions","description":"","tools":[)"
      R"({"type":"custom","name":"exec","description":"Run JavaScript"},)"
      R"({"type":"function","name":"wait","parameters":{"type":"object","properties":{}}}]}]},)"
      R"({"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}],)"
      R"("tools":[{"type":"function","name":"shell","parameters":{"type":"object"}}]})");
  ASSERT_TRUE(req.ok()) << req.status();
  std::set<std::string> names;
  for (const auto& t : req->tools) names.insert(t.name);
  EXPECT_TRUE(names.count("functions__exec")) << req->tools.size();
  EXPECT_TRUE(names.count("functions__wait"));
  EXPECT_TRUE(names.count("shell"));
  for (const auto& l : req->losses) EXPECT_EQ(l.find("additional_tools"), std::string::npos) << l;
  ASSERT_EQ(req->messages.size(), 1u);
}

TEST(ResponsesToChat, StringInputAndErrors) {
  auto req = DecodeResponsesRequest(R"({"model":"m","input":"hi"})");
  ASSERT_TRUE(req.ok());
  ASSERT_EQ(req->messages.size(), 1u);
  EXPECT_EQ(req->messages[0].parts[0].text, "hi");
  EXPECT_FALSE(DecodeResponsesRequest(R"({"model":"m"})").ok());
  EXPECT_FALSE(DecodeResponsesRequest("nope").ok());
  EXPECT_FALSE(
      DecodeResponsesRequest(R"({"model":"m","input":[{"role":"tool","content":"x"}]})").ok());
}

std::string ChatStream(bool custom, const char* finish = "tool_calls") {
  std::vector<std::string> chunks = {
      R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"content":"Run"}}]})",
      R"({"id":"c","choices":[{"index":0,"delta":{"content":"ning."}}]})",
  };
  if (custom) {
    chunks.push_back(
        R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_p","function":{"name":"apply_patch","arguments":"{\"input\":"}}]}}]})");
    chunks.push_back(
        R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"*** Begin Patch\"}"}}]}}]})");
  } else {
    chunks.push_back(
        R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","function":{"name":"exec_command","arguments":"{\"cmd\":"}}]}}]})");
    chunks.push_back(
        R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"ls\"}"}}]}}]})");
  }
  chunks.push_back(std::string(R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":")") +
                   finish + "\"}]}");
  chunks.push_back(
      R"({"id":"c","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":5},"completion_tokens_details":{"reasoning_tokens":2}}})");
  chunks.push_back("[DONE]");
  return DataOnlySse(chunks);
}

std::string Convert(const std::vector<std::string>& chunks, std::set<std::string> custom = {}) {
  StreamConverter conv(
      std::make_unique<ChatStreamDecoder>(),
      std::make_unique<ResponsesStreamEncoder>("gpt-5-codex", ResponsesIds{"resp_1", 1700000000},
                                               ResponsesTools{std::move(custom), {}}));
  return ConvertChunks(conv, chunks);
}

TEST(ChatToResponsesStream, EventsFollowTheResponsesContract) {
  auto ev = JsonEvents(Convert({ChatStream(false)}));
  std::vector<std::string> names;
  for (const auto& e : ev) names.push_back(e.name);
  std::vector<std::string> expected = {"response.created",
                                       "response.in_progress",
                                       "response.output_item.added",
                                       "response.reasoning_summary_part.added",
                                       "response.reasoning_summary_text.delta",
                                       "response.reasoning_summary_text.done",
                                       "response.reasoning_summary_part.done",
                                       "response.output_item.done",
                                       "response.output_item.added",
                                       "response.content_part.added",
                                       "response.output_text.delta",
                                       "response.output_text.delta",
                                       "response.output_text.done",
                                       "response.content_part.done",
                                       "response.output_item.done",
                                       "response.output_item.added",
                                       "response.function_call_arguments.delta",
                                       "response.function_call_arguments.delta",
                                       "response.function_call_arguments.done",
                                       "response.output_item.done",
                                       "response.completed"};
  ASSERT_EQ(names, expected);
  // Every payload names its type and the sequence numbers rise from 0.
  for (size_t i = 0; i < ev.size(); ++i) {
    EXPECT_EQ(ev[i].data.at("type").as_string(), ev[i].name);
    EXPECT_EQ(ev[i].data.at("sequence_number"), static_cast<int64_t>(i));
  }
  // The reasoning item carries the text back through encrypted_content.
  EXPECT_EQ(ev[7].data.at("item").at("encrypted_content"), "agentgate:think");
  EXPECT_EQ(ev[14].data.at("item").at("content").at(0).at("text"), "Running.");
  const auto& call = ev[19].data.at("item");
  EXPECT_EQ(call.at("type"), "function_call");
  EXPECT_EQ(call.at("call_id"), "call_x");
  EXPECT_EQ(call.at("arguments"), "{\"cmd\":\"ls\"}");
  const auto& done = ev.back().data.at("response");
  EXPECT_EQ(done.at("id"), "resp_1");
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("output").as_array().size(), 3u);
  EXPECT_EQ(done.at("usage").at("input_tokens"), 30);
  EXPECT_EQ(done.at("usage").at("input_tokens_details").at("cached_tokens"), 5);
  EXPECT_EQ(done.at("usage").at("output_tokens_details").at("reasoning_tokens"), 2);
}

TEST(ChatToResponsesStream, CustomToolCallComesBackAsCustomToolCall) {
  auto ev = JsonEvents(Convert({ChatStream(true)}, {"apply_patch"}));
  const JsonEvent* done = nullptr;
  for (const auto& e : ev) {
    if (e.name == "response.output_item.done" &&
        e.data.at("item").at("type") == "custom_tool_call") {
      done = &e;
    }
    EXPECT_NE(e.name, "response.function_call_arguments.delta");
  }
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->data.at("item").at("input"), "*** Begin Patch");
  EXPECT_EQ(done->data.at("item").at("name"), "apply_patch");
}

TEST(ChatToResponsesStream, TruncationIsACompletedResponseWithStatusIncomplete) {
  auto ev = JsonEvents(Convert({ChatStream(false, "length")}));
  EXPECT_EQ(ev.back().name, "response.completed");
  EXPECT_EQ(ev.back().data.at("response").at("status"), "incomplete");
  EXPECT_EQ(ev.back().data.at("response").at("incomplete_details").at("reason"),
            "max_output_tokens");
}

TEST(ChatToResponsesStream, OutputIsTheSameHoweverTheInputIsSplit) {
  std::string input = ChatStream(false);
  std::string whole = Convert({input});
  EXPECT_EQ(Convert(ByteByByte(input)), whole);
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    EXPECT_EQ(Convert(SplitAtRandomCuts(input, rng, 10)), whole);
  }
}

TEST(ChatToResponsesStream, CutStreamEndsWithResponseFailed) {
  StreamConverter conv(
      std::make_unique<ChatStreamDecoder>(),
      std::make_unique<ResponsesStreamEncoder>("m", ResponsesIds{"resp_2", 1}, ResponsesTools{}));
  std::string out = conv.Feed(
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
  out += conv.End();
  auto ev = JsonEvents(out);
  EXPECT_EQ(ev.back().name, "response.failed");
  EXPECT_EQ(ev.back().data.at("response").at("id"), "resp_2");
}

TEST(ChatToResponses, NonStreamingAnswer) {
  auto r = DecodeChatResponse(R"({"id":"c","choices":[{"index":0,"message":{"role":"assistant",
    "content":"ok","tool_calls":[{"id":"call_9","type":"function","function":{"name":"apply_patch","arguments":"{\"input\":\"P\"}"}}]},
    "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":4}})");
  ASSERT_TRUE(r.ok());
  bj::value v = J(EncodeResponsesResponse(*r, "gpt-5", ResponsesIds{"resp_3", 5},
                                          ResponsesTools{{"apply_patch"}, {}}));
  EXPECT_EQ(v.at("object"), "response");
  EXPECT_EQ(v.at("status"), "completed");
  EXPECT_EQ(v.at("output").at(0).at("content").at(0).at("text"), "ok");
  EXPECT_EQ(v.at("output").at(1).at("type"), "custom_tool_call");
  EXPECT_EQ(v.at("output").at(1).at("input"), "P");
  EXPECT_EQ(v.at("usage").at("total_tokens"), 7);
}

}  // namespace
}  // namespace agentgate::protocol

namespace agentgate::protocol {
namespace {

// Codex ≥ 0.152 groups MCP tools in namespaces and puts its code-mode exec, a custom tool, in
// one named "functions" (provider-rules.md, "Codex CLI request features").
constexpr char kNamespacedRequest[] = R"({"model":"gpt-5-codex","stream":true,
  "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"find docs"}]},
    {"type":"function_call","namespace":"mcp__docs__","name":"search","call_id":"call_1",
     "arguments":"{\"q\":\"asio\"}"},
    {"type":"function_call_output","call_id":"call_1","output":"3 hits"}],
  "tools":[{"type":"namespace","name":"mcp__docs__","description":"Docs server","tools":[
      {"type":"function","name":"search","description":"search docs",
       "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}]},
    {"type":"namespace","name":"functions","tools":[
      {"type":"custom","name":"exec","description":"run code",
       "format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}}]},
    {"type":"function","name":"shell","parameters":{"type":"object"}}]})";

TEST(ResponsesNamespaces, ToolsAreFlattenedForProvidersWithReversibleNames) {
  auto req = DecodeResponsesRequest(kNamespacedRequest);
  ASSERT_TRUE(req.ok()) << req.status();
  ASSERT_EQ(req->tools.size(), 3u);
  EXPECT_EQ(req->tools[0].name, "mcp__docs__search");
  EXPECT_EQ(req->tools[0].group, "mcp__docs__");
  EXPECT_EQ(req->tools[0].group_member, "search");
  EXPECT_EQ(req->tools[1].name, "functions__exec");
  EXPECT_TRUE(req->tools[1].custom);
  EXPECT_EQ(req->tools[2].name, "shell");
  EXPECT_TRUE(req->losses.empty()) << req->losses[0];
  // The replayed call goes to the provider under the same flat name as its tool.
  bj::value chat = J(EncodeChatRequest(*req, "some-model", ChatDialect{}));
  EXPECT_EQ(chat.at("messages").at(1).at("tool_calls").at(0).at("function").at("name"),
            "mcp__docs__search");
  EXPECT_EQ(chat.at("tools").at(1).at("function").at("name"), "functions__exec");
}

TEST(ResponsesNamespaces, CallsGoBackWithTheirNamespaceAndOwnName) {
  auto req = DecodeResponsesRequest(kNamespacedRequest);
  ASSERT_TRUE(req.ok());
  const ResponsesTools tools = ResponsesToolNames(*req);
  StreamConverter conv(
      std::make_unique<ChatStreamDecoder>(),
      std::make_unique<ResponsesStreamEncoder>("gpt-5-codex", ResponsesIds{"resp_ns", 1}, tools));
  std::string out = ConvertChunks(
      conv,
      {DataOnlySse(
          {R"({"id":"c","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_9","function":{"name":"mcp__docs__search","arguments":"{\"q\":\"beast\"}"}}]}}]})",
           R"({"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_10","function":{"name":"functions__exec","arguments":"{\"input\":\"print(1)\"}"}}]}}]})",
           R"({"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
           "[DONE]"})});
  bool saw_search = false, saw_exec = false;
  for (const auto& ev : JsonEvents(out)) {
    if (ev.name != "response.output_item.done") continue;
    const auto& item = ev.data.at("item");
    if (item.at("call_id") == "call_9") {
      saw_search = true;
      EXPECT_EQ(item.at("type"), "function_call");
      EXPECT_EQ(item.at("namespace"), "mcp__docs__");
      EXPECT_EQ(item.at("name"), "search");
    } else if (item.at("call_id") == "call_10") {
      saw_exec = true;
      EXPECT_EQ(item.at("type"), "custom_tool_call");
      EXPECT_EQ(item.at("namespace"), "functions");
      EXPECT_EQ(item.at("name"), "exec");
      EXPECT_EQ(item.at("input"), "print(1)");
    }
  }
  EXPECT_TRUE(saw_search) << out;
  EXPECT_TRUE(saw_exec) << out;
  // A whole answer too.
  ir::Response r;
  ir::Part call;
  call.kind = ir::Part::Kind::kToolCall;
  call.call_id = "call_11";
  call.name = "mcp__docs__search";
  call.arguments = "{}";
  r.output.push_back(call);
  bj::value whole = J(EncodeResponsesResponse(r, "gpt-5-codex", {"resp_w", 1}, tools));
  EXPECT_EQ(whole.at("output").at(0).at("namespace"), "mcp__docs__");
  EXPECT_EQ(whole.at("output").at(0).at("name"), "search");
}

TEST(ResponsesNamespaces, FlatNamesAreWhatEveryProviderAccepts) {
  EXPECT_EQ(NamespacedToolName("mcp__docs__", "search"), "mcp__docs__search");
  EXPECT_EQ(NamespacedToolName("functions", "exec"), "functions__exec");
  EXPECT_EQ(NamespacedToolName("my server", "do.it"), "my_server__do_it");
  std::string a = NamespacedToolName(std::string(80, 'n'), "one");
  std::string b = NamespacedToolName(std::string(80, 'n'), "two");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);                                                // the hash keeps long names apart
  EXPECT_EQ(a, NamespacedToolName(std::string(80, 'n'), "one"));  // and stable
}

TEST(ResponsesToChat, APreviousResponseIdAndStoreAreRead) {
  auto req = DecodeResponsesRequest(
      R"({"model":"m","previous_response_id":"resp_abc","input":"and then?"})");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->previous_response_id, "resp_abc");
  EXPECT_TRUE(req->store) << "Responses stores by default";
  EXPECT_TRUE(req->losses.empty());
  req = DecodeResponsesRequest(R"({"model":"m","store":false,"input":"hi"})");
  ASSERT_TRUE(req.ok());
  EXPECT_FALSE(req->store);
  EXPECT_TRUE(req->previous_response_id.empty());
}

TEST(ResponsesNamespaces, AMemberWhoseFlatNameIsTakenIsNamedAsALoss) {
  auto req = DecodeResponsesRequest(
      R"({"model":"m","input":"hi","tools":[{"type":"function","name":"mcp__a__b"},)"
      R"({"type":"namespace","name":"mcp__a__","tools":[{"type":"function","name":"b"}]}]})");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->tools.size(), 1u);
  ASSERT_EQ(req->losses.size(), 1u);
  EXPECT_NE(req->losses[0].find("its name is taken"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::protocol
