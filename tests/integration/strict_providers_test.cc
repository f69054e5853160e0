// The clients' multi-turn tool loops through the gateway against a fake that refuses what the
// real providers refuse (tests/fakes/strict_rules.h): Gemini 3 thought signatures, Claude 5.5
// adaptive thinking, DeepSeek V4's reasoning in thinking mode. Each second turn is what a client
// sends after running the tool: the call as the gateway gave it, and the tool's result.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "tests/fakes/fake_upstream.h"
#include "tests/fakes/strict_rules.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;

boost::json::value Json(const std::string& s) { return boost::json::parse(s); }

class StrictProvidersTest : public ::testing::Test {
 protected:
  void SetUp() override { stack_.Start(); }
  void Add(const std::string& type, const std::string& model) {
    admin::v1::CreateProviderRequest req;
    auto* p = req.mutable_provider();
    p->set_name("up");
    p->set_type(type);
    p->set_base_url(upstream_.base_url());
    p->set_default_model(model);
    req.set_api_key("sk-upstream");
    admin::v1::Provider resp;
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->CreateProvider(ctx.get(), req, &resp).ok());
    ASSERT_TRUE(stack_.SyncEdge());
  }
  HttpResponse Messages(const std::string& body) {
    return HttpRequest(stack_.edge_port(), "POST", "/v1/messages", body,
                       {{"x-api-key", stack_.token()}, {"anthropic-version", "2023-06-01"}});
  }
  HttpResponse Responses(const std::string& body) {
    return HttpRequest(stack_.edge_port(), "POST", "/v1/responses", body,
                       {{"authorization", "Bearer " + stack_.token()}});
  }
  std::vector<std::string> Losses() {
    admin::v1::ListRequestLogsResponse logs;
    WaitFor([&] {
      logs.Clear();
      auto ctx = stack_.AdminContext();
      return stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() && logs.logs_size() > 0;
    });
    std::vector<std::string> out;
    if (logs.logs_size() > 0) {
      for (const auto& l : logs.logs(0).conversion_losses()) out.push_back(l);
    }
    return out;
  }
  FakeUpstream upstream_;
  Stack stack_;
};

constexpr char kReadTool[] =
    R"({"name":"Read","description":"read a file","input_schema":{"type":"object",)"
    R"("properties":{"file_path":{"type":"string"}},"required":["file_path"]}})";

// Claude Code through Gemini 3.1 Pro: the signature of the call comes back to Gemini although
// Claude Code has nowhere to keep it.
TEST_F(StrictProvidersTest, ClaudeCodeToolLoopOnGemini3CarriesTheThoughtSignature) {
  Add("google_gemini", "gemini-3.1-pro-preview");
  const std::string first =
      std::string(R"({"model":"claude-sonnet-5-5","max_tokens":4096,"tools":[)") + kReadTool +
      R"(],"messages":[{"role":"user","content":"read the file notes.txt"}]})";
  HttpResponse r1 = Messages(first);
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto a1 = Json(r1.body);
  const auto& block = a1.at("content").at(0);
  ASSERT_EQ(block.at("type"), "tool_use") << r1.body;
  const std::string call_id(block.at("id").as_string());
  ASSERT_FALSE(call_id.empty());
  // What Gemini sent: a signed call with an id (the fake plays Gemini 3).
  auto answer1 = Json(upstream_.Received().at(0).body);
  EXPECT_FALSE(answer1.as_object().contains("generationConfig") &&
               answer1.at("generationConfig").as_object().contains("topP"));

  const std::string second =
      std::string(R"({"model":"claude-sonnet-5-5","max_tokens":4096,"tools":[)") + kReadTool +
      R"(],"messages":[{"role":"user","content":"read the file notes.txt"},)"
      R"({"role":"assistant","content":[{"type":"tool_use","id":")" +
      call_id +
      R"(","name":"Read","input":{"file_path":"notes.txt"}}]},)"
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":")" +
      call_id + R"(","content":"hello from the file"}]}]})";
  HttpResponse r2 = Messages(second);
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_NE(r2.body.find("The tool returned: hello from the file"), std::string::npos) << r2.body;
  ASSERT_GE(upstream_.Received().size(), 2u);
  auto sent = Json(upstream_.Received().at(1).body);
  SCOPED_TRACE(upstream_.Received().at(1).body);
  const auto& call_part = sent.at("contents").at(1).at("parts").at(0);
  EXPECT_EQ(call_part.at("functionCall").at("id").as_string(), call_id);
  EXPECT_EQ(call_part.at("thoughtSignature").as_string(),
            fakes::GeminiSignature("gemini-3.1-pro-preview", call_id));
}

// A history the gateway never saw (another edge, or before a restart): Gemini's documented
// placeholder goes instead, named as a loss, and the loop goes on.
TEST_F(StrictProvidersTest, ACallTheEdgeNeverSawGetsThePlaceholderAndALoss) {
  Add("google_gemini", "gemini-3.1-pro-preview");
  const std::string body =
      std::string(R"({"model":"claude-sonnet-5-5","max_tokens":4096,"tools":[)") + kReadTool +
      R"(],"messages":[{"role":"user","content":"read the file a.txt"},)"
      R"({"role":"assistant","content":[{"type":"tool_use","id":"toolu_old","name":"Read",)"
      R"("input":{"file_path":"a.txt"}}]},{"role":"user","content":[{"type":"tool_result",)"
      R"("tool_use_id":"toolu_old","content":"old"}]}]})";
  HttpResponse r = Messages(body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto sent = Json(upstream_.Received().at(0).body);
  SCOPED_TRACE(upstream_.Received().at(0).body);
  EXPECT_EQ(sent.at("contents").at(1).at("parts").at(0).at("thoughtSignature"),
            "skip_thought_signature_validator");
  auto losses = Losses();
  EXPECT_TRUE(std::any_of(losses.begin(), losses.end(), [](const std::string& l) {
    return l.find("thought signatures") != std::string::npos;
  })) << ::testing::PrintToString(losses);
}

// Codex with a reasoning effort through Claude Sonnet 5.5: adaptive thinking, no sampling, and
// the thinking block comes back (in encrypted_content) for the tool loop's second turn.
TEST_F(StrictProvidersTest, CodexToolLoopOnSonnet55WithReasoningEffort) {
  Add("anthropic", "claude-sonnet-5-5");
  const std::string tools =
      R"("tools":[{"type":"function","name":"read_file","parameters":{"type":"object",)"
      R"("properties":{"path":{"type":"string"}}}}])";
  HttpResponse r1 = Responses(R"({"model":"gpt-5-codex","reasoning":{"effort":"high"},)"
                              R"("temperature":0.2,"include":["reasoning.encrypted_content"],)" +
                              tools + R"(,"input":"read the file plan.md"})");
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto sent1 = Json(upstream_.Received().at(0).body);
  EXPECT_EQ(sent1.at("thinking").at("type"), "adaptive");
  EXPECT_EQ(sent1.at("output_config").at("effort"), "high");
  auto out = Json(r1.body).at("output").as_array();
  boost::json::array input{boost::json::object{
      {"type", "message"}, {"role", "user"}, {"content", "read the file plan.md"}}};
  std::string call_id;
  for (const auto& item : out) {
    if (item.at("type") == "function_call") call_id = std::string(item.at("call_id").as_string());
    input.push_back(item);
  }
  ASSERT_FALSE(call_id.empty()) << r1.body;
  input.push_back(boost::json::object{
      {"type", "function_call_output"}, {"call_id", call_id}, {"output", "step one"}});
  HttpResponse r2 = Responses(R"({"model":"gpt-5-codex","reasoning":{"effort":"high"},)" + tools +
                              R"(,"input":)" + boost::json::serialize(input) + "}");
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_NE(r2.body.find("The tool returned: step one"), std::string::npos) << r2.body;
}

// After a failover from OpenAI (pass-through) to Anthropic, Codex's history holds OpenAI's
// encrypted_content: Anthropic refuses a signature it did not make, so it never reaches it.
TEST_F(StrictProvidersTest, AnotherProvidersReasoningBlobNeverReachesAnthropic) {
  Add("anthropic", "claude-sonnet-5-5");
  const std::string input =
      R"([{"type":"message","role":"user","content":"hello"},)"
      R"({"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"greet"}],)"
      R"("encrypted_content":"gAAAAABopenai-encrypted-reasoning"},)"
      R"({"type":"message","role":"assistant","content":[{"type":"output_text","text":"hi!"}]},)"
      R"({"type":"message","role":"user","content":"say pong"}])";
  HttpResponse r =
      Responses(R"({"model":"gpt-5-codex","reasoning":{"effort":"low"},"input":)" + input + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string sent = upstream_.Received().at(0).body;
  EXPECT_EQ(sent.find("gAAAAABopenai"), std::string::npos) << sent;
  auto losses = Losses();
  EXPECT_TRUE(std::any_of(losses.begin(), losses.end(), [](const std::string& l) {
    return l.find("earlier reasoning") != std::string::npos;
  })) << ::testing::PrintToString(losses);
}

// Gemini CLI's own sampling settings and budgets through Sonnet 5.5: dropped and mapped, named.
TEST_F(StrictProvidersTest, GeminiCliOnSonnet55LosesTopPAndThinksAdaptively) {
  Add("anthropic", "claude-sonnet-5-5");
  HttpResponse r = HttpRequest(
      stack_.edge_port(), "POST", "/v1beta/models/gemini-3.1-pro:generateContent",
      R"({"contents":[{"role":"user","parts":[{"text":"say pong"}]}],)"
      R"("generationConfig":{"temperature":0,"topP":0.95,"thinkingConfig":{"thinkingBudget":8192,)"
      R"("includeThoughts":true}}})",
      {{"x-goog-api-key", stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto sent = Json(upstream_.Received().at(0).body);
  EXPECT_FALSE(sent.as_object().contains("top_p"));
  EXPECT_EQ(sent.at("thinking").at("type"), "adaptive");
  auto losses = Losses();
  ASSERT_FALSE(losses.empty());
}

// A Gemini CLI tool loop through DeepSeek V4 in thinking mode: Gemini CLI keeps no reasoning,
// DeepSeek refuses a tool turn without it; the gateway sends it empty and names the loss.
TEST_F(StrictProvidersTest, GeminiCliToolLoopOnDeepSeekV4InThinkingMode) {
  Add("deepseek", "deepseek-v4-pro");
  HttpResponse r = HttpRequest(
      stack_.edge_port(), "POST", "/v1beta/models/gemini-3.1-pro:generateContent",
      R"({"contents":[{"role":"user","parts":[{"text":"read the file x"}]},)"
      R"({"role":"model","parts":[{"functionCall":{"name":"read_file","args":{"path":"x"}}}]},)"
      R"({"role":"user","parts":[{"functionResponse":{"name":"read_file","response":)"
      R"({"output":"42"}}}]}],"tools":[{"functionDeclarations":[{"name":"read_file",)"
      R"("parametersJsonSchema":{"type":"object","properties":{"path":{"type":"string"}}}}]}],)"
      R"("generationConfig":{"thinkingConfig":{"thinkingBudget":4096}}})",
      {{"x-goog-api-key", stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("The tool returned: 42"), std::string::npos) << r.body;
  auto sent = Json(upstream_.Received().at(0).body);
  EXPECT_EQ(sent.at("thinking").at("type"), "enabled");
  EXPECT_EQ(sent.at("messages").at(1).at("reasoning_content"), "");
}

// OpenCode reaches DeepSeek in its own protocol (pass-through) but returns no reasoning_content;
// DeepSeek V4 refuses the tool loop's next turn without it. The kept reasoning goes back.
TEST_F(StrictProvidersTest, OpenCodeToolLoopPassingThroughToDeepSeekV4KeepsItsReasoning) {
  Add("deepseek", "deepseek-v4-pro");
  const std::string tools =
      R"("tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object",)"
      R"("properties":{"filePath":{"type":"string"}}}}}])";
  HttpResponse r1 =
      stack_.Chat(R"({"model":"deepseek-v4-pro",)" + tools +
                  R"(,"messages":[{"role":"user","content":"read the file z.txt"}]})");
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto a1 = Json(r1.body);
  const auto& msg = a1.at("choices").at(0).at("message");
  ASSERT_TRUE(msg.as_object().contains("tool_calls")) << r1.body;
  const std::string call_id(msg.at("tool_calls").at(0).at("id").as_string());
  // What OpenCode sends next: the call without the reasoning, and the tool's result.
  const std::string second =
      R"({"model":"deepseek-v4-pro",)" + tools +
      R"(,"messages":[{"role":"user","content":"read the file z.txt"},)"
      R"({"role":"assistant","content":"","tool_calls":[{"id":")" +
      call_id +
      R"(","type":"function","function":{"name":"read","arguments":"{\"filePath\":\"z.txt\"}"}}]},)"
      R"({"role":"tool","tool_call_id":")" +
      call_id + R"(","content":"zeta"}]})";
  HttpResponse r2 = stack_.Chat(second);
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_NE(r2.body.find("The tool returned: zeta"), std::string::npos) << r2.body;
  auto sent = Json(upstream_.Received().at(1).body);
  EXPECT_EQ(sent.at("messages").at(1).at("reasoning_content").as_string(),
            "I should look at what the tool says.");
}

}  // namespace
}  // namespace agentgate::testing
