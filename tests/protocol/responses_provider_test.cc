#include "services/protocol/responses_provider.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/protocol/responses_codec.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using ir::Part;

Part Text(std::string t) {
  Part p;
  p.text = std::move(t);
  return p;
}
Part Call(std::string id, std::string name, std::string args, bool custom = false) {
  Part p;
  p.kind = Part::Kind::kToolCall;
  p.call_id = std::move(id);
  p.name = std::move(name);
  p.arguments = std::move(args);
  p.custom = custom;
  return p;
}
Part Result(std::string id, std::string text) {
  Part p;
  p.kind = Part::Kind::kToolResult;
  p.call_id = std::move(id);
  p.content.push_back(Text(std::move(text)));
  return p;
}
Part Reasoning(std::string text, std::string signature) {
  Part p;
  p.kind = Part::Kind::kReasoning;
  p.text = std::move(text);
  p.signature = std::move(signature);
  return p;
}

// A Claude Code-like tool loop.
ir::Request ToolLoop() {
  ir::Request req;
  req.system = {"You are Claude Code.", "Be brief."};
  req.messages.push_back({ir::Role::kUser, {Text("read a.txt")}});
  req.messages.push_back(
      {ir::Role::kAssistant,
       {Reasoning("I should read it", "gAAAAB-encrypted"), Reasoning("claude thinking", "agentgate:x"),
        Text("Reading."), Call("call_1", "Read", R"({"file_path":"a.txt"})"),
        Call("call_2", "apply_patch", "*** Begin Patch", /*custom=*/true)}});
  req.messages.push_back(
      {ir::Role::kUser, {Result("call_1", "hello"), Result("call_2", "done"), Text("thanks")}});
  ir::Tool read;
  read.name = "Read";
  read.description = "Reads a file";
  read.parameters = bj::parse(R"({"type":"object","properties":{"file_path":{"type":"string"}}})");
  req.tools = {read};
  req.stream = true;
  req.max_tokens = 32000;
  req.temperature = 1;
  req.reasoning_effort = "high";
  return req;
}

TEST(ResponsesProviderTest, EncodesATurnForTheOfficialBackend) {
  ir::Request req = ToolLoop();
  bj::value v = bj::parse(EncodeResponsesRequest(req, "gpt-6-astra", ResponsesDialect::ForProviderType("chatgpt")));
  EXPECT_EQ(v.at("model"), "gpt-6-astra");
  EXPECT_EQ(v.at("instructions"), "You are Claude Code.\n\nBe brief.");
  EXPECT_EQ(v.at("store"), false);
  EXPECT_EQ(v.at("stream"), true);
  EXPECT_EQ(v.at("include").at(0), "reasoning.encrypted_content");
  EXPECT_EQ(v.at("reasoning").at("effort"), "high");
  EXPECT_FALSE(v.as_object().contains("max_output_tokens"));
  EXPECT_FALSE(v.as_object().contains("temperature"));
  const auto& in = v.at("input").as_array();
  ASSERT_EQ(in.size(), 8u) << v;
  EXPECT_EQ(in[0].at("role"), "user");
  EXPECT_EQ(in[0].at("content").at(0).at("type"), "input_text");
  EXPECT_EQ(in[1].at("type"), "reasoning");  // its own encrypted reasoning goes back
  EXPECT_EQ(in[1].at("encrypted_content"), "gAAAAB-encrypted");
  EXPECT_EQ(in[2].at("role"), "assistant");
  EXPECT_EQ(in[2].at("content").at(0).at("type"), "output_text");
  EXPECT_EQ(in[3].at("type"), "function_call");
  EXPECT_EQ(in[3].at("call_id"), "call_1");
  EXPECT_EQ(in[4].at("type"), "custom_tool_call");
  EXPECT_EQ(in[4].at("input"), "*** Begin Patch");
  EXPECT_EQ(in[5].at("type"), "function_call_output");
  EXPECT_EQ(in[5].at("output"), "hello");
  EXPECT_EQ(in[6].at("type"), "custom_tool_call_output");
  EXPECT_EQ(in[7].at("content").at(0).at("text"), "thanks");
  EXPECT_EQ(v.at("tools").at(0).at("type"), "function");
  EXPECT_EQ(v.at("tools").at(0).at("name"), "Read");
  // What the backend cannot take is named.
  std::string losses;
  for (const auto& l : req.losses) losses += l + "|";
  EXPECT_NE(losses.find("max_tokens"), std::string::npos) << losses;
  EXPECT_NE(losses.find("temperature"), std::string::npos) << losses;
  EXPECT_NE(losses.find("another provider's"), std::string::npos) << losses;
  // The public API keeps the limit and the sampling.
  ir::Request pub = ToolLoop();
  bj::value p = bj::parse(EncodeResponsesRequest(pub, "gpt-6", ResponsesDialect::ForProviderType("openai")));
  EXPECT_EQ(p.at("max_output_tokens"), 32000);
  EXPECT_EQ(p.at("temperature"), 1.0);
}

TEST(ResponsesProviderTest, DecodesAWholeAnswer) {
  auto r = DecodeResponsesResponse(
      R"({"id":"resp_1","model":"gpt-6-astra","status":"completed","output":[)"
      R"({"type":"reasoning","summary":[{"type":"summary_text","text":"think"}],"encrypted_content":"enc"},)"
      R"({"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi "},{"type":"output_text","text":"there"}]},)"
      R"({"type":"function_call","call_id":"c1","name":"Read","arguments":"{\"x\":1}"}],)"
      R"("usage":{"input_tokens":10,"output_tokens":5,"input_tokens_details":{"cached_tokens":4}}})");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->output.size(), 3u);
  EXPECT_EQ(r->output[0].signature, "enc");
  EXPECT_EQ(r->output[1].text, "Hi there");
  EXPECT_EQ(r->output[2].arguments, R"({"x":1})");
  EXPECT_EQ(r->finish, ir::FinishReason::kToolCalls);
  EXPECT_EQ(r->usage.input, 10);
  EXPECT_EQ(r->usage.cached, 4);
  auto cut = DecodeResponsesResponse(
      R"({"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]})");
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->finish, ir::FinishReason::kLength);
  EXPECT_FALSE(DecodeResponsesResponse(R"({"choices":[]})").ok());
  EXPECT_FALSE(DecodeResponsesResponse("not json").ok());
}

// What the gateway's own Responses encoder writes (as Codex reads it), the decoder reads back
// as the same events: the two halves agree on the wire format.
TEST(ResponsesProviderTest, ReadsBackWhatTheResponsesEncoderWrites) {
  using EK = ir::StreamEvent::Kind;
  std::vector<ir::StreamEvent> in;
  in.emplace_back(EK::kStart);
  in.back().id = "resp_9";
  in.emplace_back(EK::kReasoningDelta);
  in.back().text = "thinking";
  in.emplace_back(EK::kTextDelta);
  in.back().text = "Hello";
  in.emplace_back(EK::kToolCallStart);
  in.back().call_id = "call_7";
  in.back().name = "Read";
  in.emplace_back(EK::kToolCallDelta);
  in.back().text = R"({"file_path":)";
  in.emplace_back(EK::kToolCallDelta);
  in.back().text = R"("a.txt"})";
  in.emplace_back(EK::kFinish);
  in.back().finish = ir::FinishReason::kToolCalls;
  in.emplace_back(EK::kUsage);
  in.back().usage.input = 12;
  in.back().usage.output = 3;
  in.back().usage.present = true;
  ResponsesStreamEncoder enc("gpt-6-astra", ResponsesIds{"resp_9", 1}, ResponsesTools{});
  std::string sse;
  for (const auto& e : in) enc.OnEvent(e, &sse);
  enc.End(&sse);

  ResponsesStreamDecoder dec;
  std::vector<ir::StreamEvent> out;
  // In small pieces, as a network delivers it.
  for (size_t i = 0; i < sse.size(); i += 7) {
    dec.Feed(std::string_view(sse).substr(i, 7), [&](const ir::StreamEvent& e) { out.push_back(e); });
  }
  EXPECT_TRUE(dec.done());
  std::string text, reasoning, args, name, call_id;
  ir::FinishReason finish = ir::FinishReason::kNone;
  int64_t input = 0;
  for (const auto& e : out) {
    if (e.kind == EK::kTextDelta) text += e.text;
    if (e.kind == EK::kReasoningDelta) reasoning += e.text;
    if (e.kind == EK::kToolCallDelta) args += e.text;
    if (e.kind == EK::kToolCallStart) {
      name = e.name;
      call_id = e.call_id;
    }
    if (e.kind == EK::kFinish) finish = e.finish;
    if (e.kind == EK::kUsage) input = e.usage.input;
  }
  EXPECT_EQ(out.front().kind, EK::kStart);
  EXPECT_EQ(text, "Hello");
  EXPECT_EQ(reasoning, "thinking");
  EXPECT_EQ(name, "Read");
  EXPECT_EQ(call_id, "call_7");
  EXPECT_EQ(args, R"({"file_path":"a.txt"})") << "the arguments once, not again at the item's end";
  EXPECT_EQ(finish, ir::FinishReason::kToolCalls);
  EXPECT_EQ(input, 12);
}

TEST(ResponsesProviderTest, FailuresAndHostileEvents) {
  using EK = ir::StreamEvent::Kind;
  ResponsesStreamDecoder dec;
  std::vector<ir::StreamEvent> out;
  auto emit = [&](const ir::StreamEvent& e) { out.push_back(e); };
  dec.Feed("data: not json\n\ndata: [1,2]\n\ndata: {\"type\":5}\n\n", emit);
  dec.Feed("data: {\"type\":\"response.function_call_arguments.delta\",\"output_index\":9,"
           "\"delta\":\"x\"}\n\n", emit);  // a call never started
  dec.Feed("data: {\"type\":\"response.failed\",\"response\":{\"error\":{\"message\":"
           "\"The usage limit has been reached\"}}}\n\n", emit);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back().kind, EK::kError);
  EXPECT_EQ(out.back().text, "The usage limit has been reached");
  EXPECT_TRUE(dec.done());
  for (const auto& e : out) EXPECT_NE(e.kind, EK::kToolCallDelta);
  // Nothing after the end.
  const size_t n = out.size();
  dec.Feed("data: {\"type\":\"response.output_text.delta\",\"delta\":\"late\"}\n\n", emit);
  EXPECT_EQ(out.size(), n);
}

}  // namespace
}  // namespace agentgate::protocol
