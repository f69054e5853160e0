#include "services/protocol/output_format.h"

#include <gtest/gtest.h>

#include "services/protocol/chat_client.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/responses_codec.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using Kind = ir::OutputFormat::Kind;

constexpr char kSchema[] =
    R"({"type":"object","properties":{"city":{"type":"string"},"temp":{"type":"number"}},"required":["city"]})";

// Each client's way of asking, read into the same thing.
TEST(OutputFormatTest, EveryClientProtocolIsRead) {
  auto chat = DecodeChatRequest(
      std::string(R"({"model":"m","messages":[{"role":"user","content":"weather?"}],)") +
      R"("response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":)" +
      kSchema + "}}}");
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_EQ(chat->output_format.kind, Kind::kJsonSchema);
  EXPECT_EQ(chat->output_format.name, "weather");
  EXPECT_TRUE(chat->output_format.strict);
  EXPECT_TRUE(chat->losses.empty());

  auto responses = DecodeResponsesRequest(
      std::string(
          R"({"model":"m","input":"weather?","text":{"format":{"type":"json_schema","name":"w","schema":)") +
      kSchema + "}}}");
  ASSERT_TRUE(responses.ok());
  EXPECT_EQ(responses->output_format.kind, Kind::kJsonSchema);
  EXPECT_EQ(responses->output_format.schema, bj::parse(kSchema));

  auto gemini = DecodeGeminiRequest(
      R"({"contents":[{"role":"user","parts":[{"text":"weather?"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}})",
      "gemini-2.5-pro");
  ASSERT_TRUE(gemini.ok());
  EXPECT_EQ(gemini->output_format.kind, Kind::kJsonSchema);
  EXPECT_EQ(gemini->output_format.schema,
            bj::parse(R"({"type":"object","properties":{"city":{"type":"string"}}})"));

  auto messages = DecodeMessagesRequest(
      std::string(R"({"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}],)") +
          R"("output_config":{"format":{"type":"json_schema","schema":)" + kSchema + "}}}",
      false);
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ(messages->output_format.kind, Kind::kJsonSchema);

  auto json_mode = DecodeChatRequest(
      R"({"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}})");
  EXPECT_EQ(json_mode->output_format.kind, Kind::kJsonObject);
}

ir::Request Asking(Kind kind) {
  ir::Request req;
  ir::Message m;
  ir::Part p;
  p.text = "What is the weather in Paris?";
  m.parts.push_back(p);
  req.messages.push_back(m);
  req.output_format.kind = kind;
  if (kind == Kind::kJsonSchema) {
    req.output_format.name = "weather";
    req.output_format.schema = bj::parse(kSchema);
  }
  return req;
}

TEST(OutputFormatTest, ChatProvidersEachTheirWay) {
  ir::Request req = Asking(Kind::kJsonSchema);
  auto openai =
      bj::parse(EncodeChatRequest(req, "gpt-5.2", ChatDialect::ForProviderType("openai")));
  EXPECT_EQ(openai.at("response_format").at("type"), "json_schema");
  EXPECT_EQ(openai.at("response_format").at("json_schema").at("name"), "weather");
  EXPECT_TRUE(req.losses.empty());

  // DeepSeek takes JSON mode only, and wants the word "json" in the prompt.
  auto deepseek =
      bj::parse(EncodeChatRequest(req, "deepseek-chat", ChatDialect::ForProviderType("deepseek")));
  EXPECT_EQ(deepseek.at("response_format").at("type"), "json_object");
  ASSERT_EQ(req.losses.size(), 1u);
  EXPECT_NE(req.losses[0].find("JSON schema"), std::string::npos);
  EXPECT_NE(bj::serialize(deepseek.at("messages")).find(kJsonInstruction), std::string::npos);
  EXPECT_TRUE(req.system.empty()) << "the instruction is for that body only";

  // MiniMax has none: asked for in words.
  req.losses.clear();
  auto minimax =
      bj::parse(EncodeChatRequest(req, "MiniMax-M2", ChatDialect::ForProviderType("minimax")));
  EXPECT_FALSE(minimax.as_object().contains("response_format"));
  EXPECT_NE(bj::serialize(minimax.at("messages")).find(kJsonInstruction), std::string::npos);
  EXPECT_EQ(req.losses.size(), 1u);

  // A prompt that already says JSON gets no second instruction.
  ir::Request says = Asking(Kind::kJsonObject);
  says.system.push_back("Reply in JSON.");
  auto plain =
      bj::parse(EncodeChatRequest(says, "gpt-5.2", ChatDialect::ForProviderType("openai")));
  EXPECT_EQ(bj::serialize(plain.at("messages")).find(kJsonInstruction), std::string::npos);
}

TEST(OutputFormatTest, AnthropicAndGemini) {
  ir::Request req = Asking(Kind::kJsonSchema);
  auto claude = bj::parse(EncodeMessagesRequest(req, "claude-sonnet-4-5",
                                                MessagesDialect::ForProviderType("anthropic")));
  const auto& fmt = claude.at("output_config").at("format");
  EXPECT_EQ(fmt.at("type"), "json_schema");
  EXPECT_EQ(fmt.at("schema").at("additionalProperties"), false) << "objects closed for Anthropic";

  ir::Request json_mode = Asking(Kind::kJsonObject);
  auto words = bj::parse(EncodeMessagesRequest(json_mode, "claude-sonnet-4-5",
                                               MessagesDialect::ForProviderType("anthropic")));
  EXPECT_NE(bj::serialize(words.at("system")).find(kJsonInstruction), std::string::npos);
  EXPECT_EQ(json_mode.losses.size(), 1u);

  auto gemini = bj::parse(EncodeGeminiRequest(req, "gemini-2.5-pro"));
  EXPECT_EQ(gemini.at("generationConfig").at("responseMimeType"), "application/json");
  EXPECT_EQ(gemini.at("generationConfig").at("responseJsonSchema"), bj::parse(kSchema));
}

TEST(OutputFormatTest, OddInputIsHarmless) {
  EXPECT_EQ(OutputFormatFromChat(bj::parse(R"({"type":"json_schema"})")).kind, Kind::kJsonObject);
  EXPECT_EQ(
      OutputFormatFromChat(bj::parse(R"({"type":"json_schema","json_schema":{"schema":7}})")).kind,
      Kind::kJsonObject);
  EXPECT_EQ(OutputFormatFromChat(bj::parse(R"("json")")).kind, Kind::kText);
  EXPECT_EQ(OutputFormatFromResponses(bj::parse(R"({"type":"text"})")).kind, Kind::kText);
  EXPECT_EQ(OutputFormatFromGemini(bj::parse(R"({"responseMimeType":"text/plain"})")).kind,
            Kind::kText);
  EXPECT_EQ(JsonSchemaFromGemini(bj::parse(R"({"properties":{"type":{"type":"STRING"}}})")),
            bj::parse(R"({"properties":{"type":{"type":"string"}}})"));
}

}  // namespace
}  // namespace agentgate::protocol
