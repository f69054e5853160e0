// Unit tests of the probe's pure helpers: config resolution, request paths, headers and bodies
// per protocol, vision verdicts, prompt-cache counts and the three model-list shapes.
#include "services/probe/provider_calls.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace agentgate::probe {
namespace {

namespace json = boost::json;
using routing::Capability;
using routing::Protocol;

constexpr char kKey[] = "sk-test-0123456789abcdefSECRET";

control::v1::ProviderConfig Config(const std::string& type, const std::string& base,
                                   admin::v1::ProviderProtocol protocol, const std::string& key,
                                   const std::string& model) {
  control::v1::ProviderConfig p;
  p.set_name("p1");
  p.set_type(type);
  p.set_base_url(base);
  p.set_protocol(protocol);
  if (!key.empty()) p.add_api_keys(key);
  p.set_default_model(model);
  return p;
}

ProbeTarget Target(const std::string& type, const std::string& base,
                   admin::v1::ProviderProtocol protocol, const std::string& model = "m1") {
  auto t = ResolveTarget(Config(type, base, protocol, kKey, model), "", true);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : ProbeTarget();
}

std::string Header(const HttpCall& c, const std::string& name) {
  std::string v;
  for (const auto& [n, value] : c.headers) {
    if (n == name) v = value;  // later ones win, as when sent
  }
  return v;
}

json::value Body(const ProbeTarget& t, Probe kind) { return json::parse(RequestBody(t, kind)); }

std::string Str(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : ""; }

TEST(ResolveTargetTest, NeedsAKeyUnlessThePresetIsKeyless) {
  auto t = ResolveTarget(Config("openai", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, "", ""), "",
                         true);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("no API key"), std::string::npos) << t.status();

  // An unknown type needs a key too.
  t = ResolveTarget(
      Config("mystery", "http://h", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT, "", "m"), "", true);
  EXPECT_FALSE(t.ok());

  // ollama: keyless; base URL, protocol and model from its preset.
  t = ResolveTarget(Config("ollama", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, "", ""), "",
                    true);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->base.Origin(), "http://127.0.0.1:11434");
  EXPECT_EQ(t->protocol, Protocol::kOpenAiChat);
  EXPECT_EQ(t->model, "qwen3-coder");
  EXPECT_TRUE(t->key.empty());
  EXPECT_EQ(DescribeTarget(*t),
            "ollama chat at http://127.0.0.1:11434/v1, model qwen3-coder, no key");
}

TEST(ResolveTargetTest, BaseUrlAndModel) {
  auto t = ResolveTarget(
      Config("custom_openai_compatible", "", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT, "", "m"), "",
      true);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("no base URL"), std::string::npos);

  t = ResolveTarget(Config("openai", "ftp://x", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT, kKey, ""),
                    "", true);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("http://"), std::string::npos);

  // No default model, no preset model, no list: nothing to test with (fine for a model list).
  auto p =
      Config("vllm", "http://127.0.0.1:8000/v1", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT, "", "");
  t = ResolveTarget(p, "", true);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("no model"), std::string::npos);
  EXPECT_TRUE(ResolveTarget(p, "", false).ok());
  // The first listed model, then a model asked for explicitly.
  p.add_models("listed-1");
  p.add_models("listed-2");
  EXPECT_EQ(ResolveTarget(p, "", true)->model, "listed-1");
  EXPECT_EQ(ResolveTarget(p, "asked", true)->model, "asked");

  // Gemini models are sent without "models/".
  t = ResolveTarget(Config("google_gemini", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, kKey,
                           "models/gemini-x"),
                    "", true);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->protocol, Protocol::kGemini);
  EXPECT_EQ(t->model, "gemini-x");
}

TEST(ResolveTargetTest, DescriptionNeverHoldsTheKey) {
  auto p = Config("anthropic", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, kKey, "");
  p.add_api_keys("sk-second-key-0123456789");
  p.add_api_keys("");  // an empty entry is no key
  auto t = ResolveTarget(p, "", true);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->key, kKey);
  EXPECT_EQ(t->key_count, 2u);
  const std::string d = DescribeTarget(*t);
  EXPECT_EQ(d,
            "anthropic messages at https://api.anthropic.com:443, model claude-sonnet-5-5, "
            "key 1 of 2");
  EXPECT_EQ(d.find("SECRET"), std::string::npos);
}

TEST(ProviderCallsTest, ChatPathsHeadersAndBodies) {
  ProbeTarget t =
      Target("deepseek", "https://api.deepseek.com", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  t.extra_headers = {{"x-extra", "1"}};
  HttpCall c = GenerateCall(t, Probe::kPing);
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.target, "/v1/chat/completions");
  EXPECT_EQ(Header(c, "authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(Header(c, "x-extra"), "1");
  EXPECT_EQ(Header(c, "x-api-key"), "");
  EXPECT_EQ(json::parse(c.body),
            json::parse(R"({"model":"m1","messages":[{"role":"user","content":"ping"}],)"
                        R"("max_tokens":1})"));

  // OpenAI's newer models refuse max_tokens.
  ProbeTarget o =
      Target("openai", "https://api.openai.com/v1", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  EXPECT_EQ(GenerateCall(o, Probe::kPing).target, "/v1/chat/completions");
  json::value b = Body(o, Probe::kPing);
  EXPECT_EQ(b.at("max_completion_tokens"), 1);
  EXPECT_EQ(b.as_object().if_contains("max_tokens"), nullptr);

  json::value img = Body(t, Probe::kImage);
  const auto& content = img.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0], json::parse(R"({"type":"text","text":"ping"})"));
  EXPECT_EQ(content[1].at("type"), "image_url");
  EXPECT_EQ(Str(content[1].at("image_url").at("url")),
            "data:image/png;base64," + std::string(TinyPngBase64()));
  EXPECT_EQ(img.at("max_tokens"), 1);

  json::value cached = Body(t, Probe::kCachedPrompt);
  EXPECT_EQ(cached.at("messages").at(0).at("role"), "system");
  EXPECT_EQ(Str(cached.at("messages").at(0).at("content")), CachePromptText());
  EXPECT_EQ(cached.at("messages").at(1).at("content"), "ping");
}

TEST(ProviderCallsTest, MessagesPathsHeadersAndBodies) {
  ProbeTarget t = Target("anthropic", "https://api.anthropic.com",
                         admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  HttpCall c = GenerateCall(t, Probe::kPing);
  EXPECT_EQ(c.target, "/v1/messages");
  EXPECT_EQ(Header(c, "x-api-key"), kKey);
  EXPECT_EQ(Header(c, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(Header(c, "authorization"), "");
  EXPECT_EQ(json::parse(c.body), json::parse(R"({"model":"m1","max_tokens":1,)"
                                             R"("messages":[{"role":"user","content":"ping"}]})"));

  // A base ending in /v1 does not give /v1/v1; a base with a path keeps it.
  EXPECT_EQ(GenerateCall(
                Target("anthropic", "http://h/v1", admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES),
                Probe::kPing)
                .target,
            "/v1/messages");
  ProbeTarget ds = Target("deepseek", "https://api.deepseek.com/anthropic",
                          admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  EXPECT_EQ(GenerateCall(ds, Probe::kPing).target, "/anthropic/v1/messages");
  EXPECT_EQ(ModelsCall(ds, "").target, "/anthropic/v1/models?limit=1000");

  json::value img = Body(t, Probe::kImage);
  const auto& content = img.at("messages").at(0).at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0].at("type"), "image");
  EXPECT_EQ(content[0].at("source"),
            json::parse(std::string(R"({"type":"base64","media_type":"image/png","data":")") +
                        std::string(TinyPngBase64()) + "\"}"));
  EXPECT_EQ(content[1], json::parse(R"({"type":"text","text":"ping"})"));

  json::value cached = Body(t, Probe::kCachedPrompt);
  const auto& system = cached.at("system").as_array();
  ASSERT_EQ(system.size(), 1u);
  EXPECT_EQ(Str(system[0].at("text")), CachePromptText());
  EXPECT_EQ(system[0].at("cache_control"), json::parse(R"({"type":"ephemeral"})"));
  EXPECT_EQ(cached.at("max_tokens"), 1);
}

TEST(ProviderCallsTest, GeminiPathsHeadersAndBodies) {
  ProbeTarget t = Target("google_gemini", "https://generativelanguage.googleapis.com/v1beta",
                         admin::v1::PROVIDER_PROTOCOL_GEMINI, "gemini-2.5-flash");
  HttpCall c = GenerateCall(t, Probe::kPing);
  EXPECT_EQ(c.target, "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(Header(c, "x-goog-api-key"), kKey);
  EXPECT_EQ(Header(c, "authorization"), "");
  EXPECT_EQ(json::parse(c.body),
            json::parse(R"({"contents":[{"role":"user","parts":[{"text":"ping"}]}],)"
                        R"("generationConfig":{"maxOutputTokens":1}})"));

  json::value img = Body(t, Probe::kImage);
  const auto& parts = img.at("contents").at(0).at("parts").as_array();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].at("inlineData"),
            json::parse(std::string(R"({"mimeType":"image/png","data":")") +
                        std::string(TinyPngBase64()) + "\"}"));
  EXPECT_EQ(parts[1].at("text"), "ping");

  json::value cached = Body(t, Probe::kCachedPrompt);
  EXPECT_EQ(Str(cached.at("systemInstruction").at("parts").at(0).at("text")), CachePromptText());
}

TEST(ProviderCallsTest, KeylessSendsNoKeyHeader) {
  auto t = ResolveTarget(Config("ollama", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, "", ""), "",
                         true);
  ASSERT_TRUE(t.ok());
  HttpCall c = GenerateCall(*t, Probe::kPing);
  EXPECT_EQ(c.target, "/v1/chat/completions");
  EXPECT_EQ(Header(c, "authorization"), "");
}

routing::Url ParsedUrl(const std::string& s) {
  auto u = routing::ParseUrl(s);
  EXPECT_TRUE(u.ok()) << u.status();
  return u.ok() ? *u : routing::Url();
}

TEST(ResolveTargetTest, KeepsThePassThroughEndpoints) {
  auto p = Config("deepseek", "https://api.deepseek.com", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT,
                  kKey, "m1");
  auto t = ResolveTarget(p, "", true);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->anthropic_url, "");
  EXPECT_EQ(t->responses_url, "");
  p.set_anthropic_url("https://api.deepseek.com/anthropic");
  p.set_responses_url("https://h/v1");
  t = ResolveTarget(p, "", true);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->anthropic_url, "https://api.deepseek.com/anthropic");
  EXPECT_EQ(t->responses_url, "https://h/v1");
}

// The Messages pass-through endpoint of a Chat provider: Messages path, x-api-key and
// anthropic-version (never the Bearer header of the native protocol), the Messages ping.
TEST(EndpointCallTest, MessagesEndpointOfAChatProvider) {
  ProbeTarget t =
      Target("deepseek", "https://api.deepseek.com", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  t.extra_headers = {{"x-extra", "1"}};
  HttpCall c = EndpointCall(t, Protocol::kAnthropicMessages,
                            ParsedUrl("https://api.deepseek.com/anthropic"));
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.target, "/anthropic/v1/messages");
  EXPECT_EQ(Header(c, "x-api-key"), kKey);
  EXPECT_EQ(Header(c, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(Header(c, "authorization"), "");
  EXPECT_EQ(Header(c, "x-extra"), "1");
  EXPECT_EQ(json::parse(c.body), json::parse(R"({"model":"m1","max_tokens":1,)"
                                             R"("messages":[{"role":"user","content":"ping"}]})"));
  // As the edge builds it: MessagesPath of the URL, with or without /v1.
  EXPECT_EQ(EndpointCall(t, Protocol::kAnthropicMessages, ParsedUrl("http://h")).target,
            "/v1/messages");
  EXPECT_EQ(EndpointCall(t, Protocol::kAnthropicMessages, ParsedUrl("http://h/x/v1")).target,
            "/x/v1/messages");
}

// The Responses pass-through endpoint: …/responses with a Bearer key and the smallest body
// OpenAI takes (max_output_tokens 16), for a Messages or Gemini provider too.
TEST(EndpointCallTest, ResponsesEndpoint) {
  ProbeTarget t = Target("anthropic", "https://api.anthropic.com",
                         admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  t.extra_headers = {{"x-extra", "2"}};
  HttpCall c = EndpointCall(t, Protocol::kOpenAiResponses, ParsedUrl("https://api.openai.com/v1"));
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.target, "/v1/responses");
  EXPECT_EQ(Header(c, "authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(Header(c, "x-api-key"), "");
  EXPECT_EQ(Header(c, "anthropic-version"), "");
  EXPECT_EQ(Header(c, "x-extra"), "2");
  EXPECT_EQ(json::parse(c.body),
            json::parse(R"({"model":"m1","input":"ping","max_output_tokens":16})"));
  EXPECT_EQ(EndpointCall(t, Protocol::kOpenAiResponses, ParsedUrl("http://h")).target,
            "/v1/responses");

  ProbeTarget g = Target("google_gemini", "https://generativelanguage.googleapis.com",
                         admin::v1::PROVIDER_PROTOCOL_GEMINI, "models/gemini-x");
  c = EndpointCall(g, Protocol::kOpenAiResponses, ParsedUrl("http://h/openai/v1"));
  EXPECT_EQ(c.target, "/openai/v1/responses");
  EXPECT_EQ(Header(c, "x-goog-api-key"), "");
  EXPECT_EQ(json::parse(c.body).at("model"), "gemini-x");

  // A keyless local server sends no key.
  auto local = ResolveTarget(Config("ollama", "", admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED, "", ""),
                             "", true);
  ASSERT_TRUE(local.ok());
  c = EndpointCall(*local, Protocol::kOpenAiResponses, ParsedUrl("http://127.0.0.1:11434/v1"));
  EXPECT_EQ(Header(c, "authorization"), "");
}

// Each key of a pool in turn, in the native protocol's header; nothing else changes.
TEST(EndpointCallTest, WithKeyUsesThatKeyOfThePool) {
  auto p = Config("anthropic", "https://api.anthropic.com",
                  admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES, kKey, "m1");
  p.add_api_keys("");  // no key: not part of the pool
  p.add_api_keys("sk-second-0123456789");
  p.add_api_keys("sk-third-0123456789");
  auto t = ResolveTarget(p, "", true);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->key_count, 3u);
  HttpCall first = GenerateCall(*t, Probe::kPing);
  EXPECT_EQ(Header(first, "x-api-key"), kKey);
  HttpCall second = GenerateCall(WithKey(*t, 1), Probe::kPing);
  EXPECT_EQ(Header(second, "x-api-key"), "sk-second-0123456789");
  EXPECT_EQ(second.target, first.target);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(Header(GenerateCall(WithKey(*t, 2), Probe::kPing), "x-api-key"), "sk-third-0123456789");
  EXPECT_EQ(WithKey(*t, 2).secrets, t->secrets);  // still scrubs every key
  ProbeTarget chat = WithKey(
      Target("deepseek", "https://api.deepseek.com", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT), 0);
  EXPECT_EQ(Header(GenerateCall(chat, Probe::kPing), "authorization"),
            std::string("Bearer ") + kKey);
}

TEST(ProviderCallsTest, CachePromptIsLongEnoughForEveryAnthropicModel) {
  // About four characters a token: over 4096 tokens (Claude Opus 4.5 and Haiku 4.5's minimum).
  EXPECT_GT(CachePromptText().size(), 4096u * 5);
}

TEST(ProviderCallsTest, ModelListCalls) {
  ProbeTarget chat =
      Target("openai", "https://api.openai.com/v1", admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
  HttpCall c = ModelsCall(chat, "");
  EXPECT_EQ(c.method, "GET");
  EXPECT_EQ(c.target, "/v1/models");
  EXPECT_EQ(Header(c, "authorization"), std::string("Bearer ") + kKey);
  EXPECT_TRUE(c.body.empty());

  ProbeTarget msg = Target("anthropic", "https://api.anthropic.com",
                           admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
  c = ModelsCall(msg, "claude-x");
  EXPECT_EQ(c.target, "/v1/models?limit=1000&after_id=claude-x");
  EXPECT_EQ(Header(c, "x-api-key"), kKey);
  EXPECT_EQ(Header(c, "anthropic-version"), "2023-06-01");

  ProbeTarget gem = Target("google_gemini", "https://generativelanguage.googleapis.com",
                           admin::v1::PROVIDER_PROTOCOL_GEMINI);
  EXPECT_EQ(ModelsCall(gem, "").target, "/v1beta/models?pageSize=1000");
  c = ModelsCall(gem, "a/b=c");
  EXPECT_EQ(c.target, "/v1beta/models?pageSize=1000&pageToken=a%2Fb%3Dc");
  EXPECT_EQ(Header(c, "x-goog-api-key"), kKey);
}

TEST(ParseModelPageTest, OpenAiShape) {
  auto page = ParseModelPage(
      Protocol::kOpenAiChat,
      R"({"object":"list","data":[{"id":"b","object":"model"},{"id":"a"},{"object":"x"}]})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->ids, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(page->next_page_token, "");
  EXPECT_FALSE(ParseModelPage(Protocol::kOpenAiChat, R"({"models":[]})").ok());
  EXPECT_FALSE(ParseModelPage(Protocol::kOpenAiChat, "<html>").ok());
}

TEST(ParseModelPageTest, AnthropicShapeWithPages) {
  auto page =
      ParseModelPage(Protocol::kAnthropicMessages,
                     R"({"data":[{"type":"model","id":"claude-a","display_name":"A"},)"
                     R"({"type":"model","id":"claude-b"}],"has_more":true,"first_id":"claude-a",)"
                     R"("last_id":"claude-b"})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->ids, (std::vector<std::string>{"claude-a", "claude-b"}));
  EXPECT_EQ(page->next_page_token, "claude-b");
  page = ParseModelPage(Protocol::kAnthropicMessages,
                        R"({"data":[{"id":"c"}],"has_more":false,"last_id":"c"})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next_page_token, "");
}

TEST(ParseModelPageTest, GeminiShapeKeepsGeneratingModelsOnly) {
  auto page = ParseModelPage(
      Protocol::kGemini,
      R"({"models":[{"name":"models/gemini-2.5-flash","supportedGenerationMethods":)"
      R"(["generateContent","countTokens"]},)"
      R"({"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]},)"
      R"({"name":"models/no-methods-field"}],"nextPageToken":"tok"})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->ids, (std::vector<std::string>{"gemini-2.5-flash", "no-methods-field"}));
  EXPECT_EQ(page->next_page_token, "tok");
  page = ParseModelPage(Protocol::kGemini, "{}");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->ids.empty());
  EXPECT_FALSE(ParseModelPage(Protocol::kGemini, R"({"data":[]})").ok());
}

TEST(ClassifyVisionTest, Verdicts) {
  EXPECT_EQ(ClassifyVision(200, R"({"choices":[]})"), Capability::kYes);
  EXPECT_EQ(
      ClassifyVision(
          400, R"({"error":{"message":"This model does not support image input","type":"x"}})"),
      Capability::kNo);
  // DeepSeek's actual refusal.
  EXPECT_EQ(ClassifyVision(422, R"({"error":{"message":"Failed to deserialize the JSON body: )"
                                R"(unknown variant `image_url`, expected `text`"}})"),
            Capability::kNo);
  EXPECT_EQ(ClassifyVision(400, R"({"type":"error","error":{"type":"invalid_request_error",)"
                                R"("message":"Vision is not enabled for this model"}})"),
            Capability::kNo);
  EXPECT_EQ(ClassifyVision(400, R"({"error":{"code":400,"message":"Multimodal input is not )"
                                R"(supported","status":"INVALID_ARGUMENT"}})"),
            Capability::kNo);
  EXPECT_EQ(ClassifyVision(400, R"({"error":{"message":"unsupported content type"}})"),
            Capability::kNo);
  // A 400 about something else, auth and rate limits, server errors: unknown.
  EXPECT_EQ(ClassifyVision(400, R"({"error":{"message":"max_tokens is too large"}})"),
            Capability::kUnknown);
  EXPECT_EQ(ClassifyVision(401, R"({"error":{"message":"image access denied"}})"),
            Capability::kUnknown);
  EXPECT_EQ(ClassifyVision(429, R"({"error":{"message":"too many image requests"}})"),
            Capability::kUnknown);
  EXPECT_EQ(ClassifyVision(500, R"({"error":{"message":"image decoder crashed"}})"),
            Capability::kUnknown);
  EXPECT_EQ(ClassifyVision(302, ""), Capability::kUnknown);
}

TEST(ParseCacheCountsTest, EachProtocol) {
  CacheCounts c = ParseCacheCounts(
      Protocol::kOpenAiChat,
      R"({"usage":{"prompt_tokens":2000,"prompt_tokens_details":{"cached_tokens":1920}}})");
  EXPECT_TRUE(c.usage);
  EXPECT_EQ(c.read, 1920);
  c = ParseCacheCounts(Protocol::kOpenAiChat,
                       R"({"usage":{"prompt_tokens":2000,"prompt_cache_hit_tokens":1984,)"
                       R"("prompt_cache_miss_tokens":16}})");
  EXPECT_EQ(c.read, 1984);
  c = ParseCacheCounts(Protocol::kOpenAiChat, R"({"usage":{"prompt_tokens":20}})");
  EXPECT_TRUE(c.usage);
  EXPECT_EQ(c.read, 0);
  c = ParseCacheCounts(Protocol::kOpenAiChat, R"({"choices":[]})");
  EXPECT_FALSE(c.usage);

  c = ParseCacheCounts(Protocol::kAnthropicMessages,
                       R"({"usage":{"input_tokens":3,"cache_creation_input_tokens":4500,)"
                       R"("cache_read_input_tokens":0,"output_tokens":1}})");
  EXPECT_EQ(c.written, 4500);
  EXPECT_EQ(c.read, 0);
  c = ParseCacheCounts(Protocol::kAnthropicMessages,
                       R"({"usage":{"cache_read_input_tokens":4500}})");
  EXPECT_EQ(c.read, 4500);

  c = ParseCacheCounts(
      Protocol::kGemini,
      R"({"usageMetadata":{"promptTokenCount":5000,"cachedContentTokenCount":4096}})");
  EXPECT_EQ(c.read, 4096);
  EXPECT_FALSE(ParseCacheCounts(Protocol::kGemini, R"({"usage":{}})").usage);
}

TEST(ProviderMessageTest, TheKeyNeverComesBack) {
  const std::vector<std::string> secrets = {kKey};
  std::string m = ProviderMessage(
      std::string(R"({"error":{"message":"Incorrect API key provided: )") + kKey + "\"}}", secrets);
  EXPECT_EQ(m.find(kKey), std::string::npos);
  EXPECT_EQ(m.find("SECRET"), std::string::npos);
  EXPECT_NE(m.find("Incorrect API key provided: sk-…CRET"), std::string::npos) << m;

  // A non-JSON body is cut to its start: a key across the cut must not leave a piece behind.
  std::string body(290, 'x');
  body += kKey;
  m = ProviderMessage(body, secrets);
  EXPECT_EQ(m.find("sk-test"), std::string::npos) << m;

  std::string long_message(2000, 'y');
  m = ProviderMessage(R"({"error":{"message":")" + long_message + "\"}}", secrets);
  EXPECT_LT(m.size(), 600u);
  EXPECT_EQ(Scrub("a " + std::string(kKey) + " b " + kKey, secrets), "a sk-…CRET b sk-…CRET");
}

TEST(ProviderMessageTest, AlwaysValidUtf8) {
  EXPECT_EQ(ValidUtf8("plain é ✓ 😀"), "plain é ✓ 😀");
  EXPECT_EQ(ValidUtf8(std::string("a\xff") + "b"), std::string("a\uFFFD") + "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  EXPECT_EQ(ValidUtf8("x\xE2\x9C"), "x\uFFFD\uFFFD");          // cut short
  // A Latin-1 error page: its accented letters are not UTF-8.
  std::string latin1 = "<html>Fehler: Schl\xfcssel ung\xfcltig</html>";
  std::string m = ProviderMessage(latin1, {});
  EXPECT_EQ(m, "<html>Fehler: Schl\uFFFDssel ung\uFFFDltig</html>");
  // A long message cut inside a multi-byte character: the cut backs up to its start.
  std::string message(499, 'a');
  message += "é and more after the cut";
  m = ProviderMessage(R"({"error":{"message":")" + message + "\"}}", {});
  EXPECT_EQ(m, std::string(499, 'a') + "…");
  // A body that is not an error JSON is cut by its first 300 bytes, wherever they end.
  std::string text(299, 'b');
  text += "é";
  m = ProviderMessage(text, {});
  EXPECT_EQ(m, std::string(299, 'b') + "\uFFFD");
  EXPECT_EQ(BodySnippet("ab✓cd", 3, {}), "ab…");
}

TEST(ProviderCallsTest, PercentEncode) {
  EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(PercentEncode("a b/+=&"), "a%20b%2F%2B%3D%26");
}

}  // namespace
}  // namespace agentgate::probe
