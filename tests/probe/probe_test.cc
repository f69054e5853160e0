// agentgate-probe as a real process, called over gRPC, against fake providers (FakeUpstream) on
// 127.0.0.1: the three steps, vision, prompt cache and model lists in each provider protocol,
// failures with the provider's own message (and never its key), refused ports, time limits and
// the bearer token.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "services/common/grpc_util.h"
#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::probe {
namespace {

namespace json = boost::json;
using fakes::FakeUpstream;
using fakes::ListedModel;
using fakes::ScriptedResponse;
using testing::BinPath;
using testing::MakeTempDir;
using testing::Process;
using testing::ReadFileOrEmpty;
using testing::WaitFor;
using Clock = std::chrono::steady_clock;

constexpr char kToken[] = "ag_local_probe-test-token-0123456789";
constexpr char kKey[] = "sk-probe-secret-key-0123456789abcdef";

enum class Api { kChat, kMessages, kGemini };

std::string ApiName(Api a) {
  switch (a) {
    case Api::kChat:
      return "Chat";
    case Api::kMessages:
      return "Messages";
    default:
      return "Gemini";
  }
}

void PrintTo(Api a, std::ostream* os) { *os << ApiName(a); }

// A provider of the given protocol served by `fake`: OpenAI (Chat, base with /v1), Anthropic
// (Messages) or Google (Gemini), with kKey.
control::v1::ProviderConfig Provider(Api api, const FakeUpstream& fake) {
  control::v1::ProviderConfig p;
  p.set_name("fake-" + ApiName(api));
  switch (api) {
    case Api::kChat:
      p.set_type("openai");
      p.set_protocol(admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT);
      p.set_base_url(fake.base_url() + "/v1");
      break;
    case Api::kMessages:
      p.set_type("anthropic");
      p.set_protocol(admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
      p.set_base_url(fake.base_url());
      break;
    case Api::kGemini:
      p.set_type("google_gemini");
      p.set_protocol(admin::v1::PROVIDER_PROTOCOL_GEMINI);
      p.set_base_url(fake.base_url());
      break;
  }
  p.add_api_keys(kKey);
  p.set_default_model("fake-model");
  return p;
}

json::value Parse(const std::string& s) {
  boost::system::error_code ec;
  json::value v = json::parse(s, ec);
  EXPECT_FALSE(ec) << s.substr(0, 200);
  return v;
}

class ProbeProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = MakeTempDir("probe");
    {
      std::ofstream token(home_ + "/service.token");
      token << kToken << "\n";
    }
    ::chmod((home_ + "/service.token").c_str(), 0600);
    const std::string port_file = home_ + "/probe.port";
    proc_.Start(
        {BinPath("agentgate-probe"), "--home", home_, "--port", "0", "--port-file", port_file},
        {{"AGENTGATE_LOG_LEVEL", "debug"}}, home_ + "/probe.log");
    ASSERT_TRUE(WaitFor([&] {
      std::string text = ReadFileOrEmpty(port_file);
      return !text.empty() && text.back() == '\n';
    })) << "agentgate-probe did not start; log:\n"
        << Log();
    address_ = "127.0.0.1:" + std::to_string(std::stoi(ReadFileOrEmpty(port_file)));
    stub_ = v1::ProbeService::NewStub(LocalChannel(address_));
  }

  void TearDown() override {
    // The channel goes first: while a client connection is open the server's graceful shutdown
    // waits out its whole 5 s grace.
    stub_.reset();
    proc_.Stop();
    std::error_code ec;
    std::filesystem::remove_all(home_, ec);
  }

  std::string Log() const { return ReadFileOrEmpty(home_ + "/probe.log"); }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& token = kToken) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) AddBearer(*ctx, token);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
    return ctx;
  }

  v1::TestProviderResponse Test(const v1::TestProviderRequest& req) {
    v1::TestProviderResponse resp;
    auto ctx = Context();
    grpc::Status st = stub_->TestProvider(ctx.get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  v1::ListModelsResponse List(const control::v1::ProviderConfig& p) {
    v1::ListModelsRequest req;
    *req.mutable_provider() = p;
    v1::ListModelsResponse resp;
    auto ctx = Context();
    grpc::Status st = stub_->ListModels(ctx.get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  std::string home_;
  std::string address_;
  Process proc_;
  std::unique_ptr<v1::ProbeService::Stub> stub_;
};

class ProbeProtocolTest : public ProbeProcessTest, public ::testing::WithParamInterface<Api> {};

// Every step and check passes against a healthy provider of each protocol, and each request
// has that protocol's path, key header and shape.
TEST_P(ProbeProtocolTest, HealthyProviderPassesEverything) {
  const Api api = GetParam();
  FakeUpstream provider;
  FakeUpstream gateway;  // answers GET /health like an edge with a config
  v1::TestProviderRequest req;
  *req.mutable_provider() = Provider(api, provider);
  req.set_gateway_address("127.0.0.1:" + std::to_string(gateway.port()));
  req.set_local_token(kToken);
  req.set_check_vision(true);
  req.set_check_prompt_cache(true);
  req.set_list_models(true);

  v1::TestProviderResponse r = Test(req);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.model(), "fake-model");
  EXPECT_TRUE(r.config().ok()) << r.config().detail();
  EXPECT_TRUE(r.gateway().ok()) << r.gateway().detail();
  EXPECT_EQ(r.gateway().http_status(), 200);
  EXPECT_TRUE(r.provider().ok()) << r.provider().detail();
  EXPECT_EQ(r.provider().http_status(), 200);
  EXPECT_EQ(r.vision().capability(), admin::v1::CAPABILITY_YES) << r.vision().detail();
  EXPECT_FALSE(r.vision().skipped());
  // The fake reports cached tokens on every answer.
  EXPECT_EQ(r.prompt_cache().capability(), admin::v1::CAPABILITY_YES) << r.prompt_cache().detail();
  EXPECT_TRUE(r.models().ok()) << r.models().detail();
  ASSERT_EQ(r.models().models_size(), 1);
  EXPECT_EQ(r.models().models(0), "fake-model");

  auto health = gateway.Received();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].method, "GET");
  EXPECT_EQ(health[0].target, "/health");
  EXPECT_EQ(health[0].headers["authorization"], std::string("Bearer ") + kToken);

  // ping, image, long prompt twice, model list.
  auto got = provider.Received();
  ASSERT_EQ(got.size(), 5u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(got[i].method, "POST");
  EXPECT_EQ(got[4].method, "GET");
  json::value ping = Parse(got[0].body);
  json::value image = Parse(got[1].body);
  json::value cached = Parse(got[2].body);
  EXPECT_EQ(got[2].body, got[3].body);
  const std::string png = "iVBORw0KGgo";
  switch (api) {
    case Api::kChat:
      EXPECT_EQ(got[0].target, "/v1/chat/completions");
      EXPECT_EQ(got[0].headers["authorization"], std::string("Bearer ") + kKey);
      EXPECT_EQ(ping.at("max_completion_tokens"), 1);  // type openai
      EXPECT_EQ(ping.at("messages").at(0).at("content"), "ping");
      EXPECT_EQ(image.at("messages").at(0).at("content").at(1).at("type"), "image_url");
      EXPECT_EQ(cached.at("messages").at(0).at("role"), "system");
      EXPECT_EQ(got[4].target, "/v1/models");
      break;
    case Api::kMessages:
      EXPECT_EQ(got[0].target, "/v1/messages");
      EXPECT_EQ(got[0].headers["x-api-key"], kKey);
      EXPECT_EQ(got[0].headers["anthropic-version"], "2023-06-01");
      EXPECT_EQ(got[0].headers.count("authorization"), 0u);
      EXPECT_EQ(ping.at("max_tokens"), 1);
      EXPECT_EQ(image.at("messages").at(0).at("content").at(0).at("source").at("type"), "base64");
      EXPECT_EQ(cached.at("system").at(0).at("cache_control").at("type"), "ephemeral");
      EXPECT_EQ(got[4].target, "/v1/models?limit=1000");
      EXPECT_EQ(got[4].headers["x-api-key"], kKey);
      break;
    case Api::kGemini:
      EXPECT_EQ(got[0].target, "/v1beta/models/fake-model:generateContent");
      EXPECT_EQ(got[0].headers["x-goog-api-key"], kKey);
      EXPECT_EQ(ping.at("generationConfig").at("maxOutputTokens"), 1);
      EXPECT_EQ(image.at("contents").at(0).at("parts").at(0).at("inlineData").at("mimeType"),
                "image/png");
      EXPECT_TRUE(cached.as_object().contains("systemInstruction"));
      EXPECT_EQ(got[4].target, "/v1beta/models?pageSize=1000");
      EXPECT_EQ(got[4].headers["x-goog-api-key"], kKey);
      break;
  }
  EXPECT_NE(got[1].body.find(png), std::string::npos);
}

// A model that refuses images: CAPABILITY_NO with the provider's message, in each protocol.
TEST_P(ProbeProtocolTest, VisionNoWhenTheModelRefusesImages) {
  FakeUpstream provider;
  provider.SetRejectImages(true);
  v1::TestProviderRequest req;
  *req.mutable_provider() = Provider(GetParam(), provider);
  req.set_check_vision(true);
  v1::TestProviderResponse r = Test(req);
  EXPECT_TRUE(r.provider().ok()) << r.provider().detail();  // the plain ping has no image
  EXPECT_EQ(r.vision().capability(), admin::v1::CAPABILITY_NO) << r.vision().detail();
  EXPECT_EQ(r.vision().http_status(), 400);
  EXPECT_NE(r.vision().detail().find("This model does not support image input"), std::string::npos)
      << r.vision().detail();
  EXPECT_TRUE(r.gateway().skipped());
  EXPECT_TRUE(r.prompt_cache().skipped());
  EXPECT_TRUE(r.models().skipped());
  EXPECT_TRUE(r.ok());
}

// The model list of each shape, across pages (Anthropic and Gemini), sorted; Gemini's lists
// only what can generateContent.
TEST_P(ProbeProtocolTest, ModelListInEachShape) {
  const Api api = GetParam();
  FakeUpstream provider;
  provider.SetModels(
      {ListedModel{"zeta", true}, ListedModel{"alpha", true}, ListedModel{"embed-1", false},
       ListedModel{"mid", true}, ListedModel{"alpha", true}},
      2);
  v1::ListModelsResponse r = List(Provider(api, provider));
  EXPECT_TRUE(r.ok()) << r.detail();
  std::vector<std::string> models(r.models().begin(), r.models().end());
  std::vector<std::string> want = {"alpha", "embed-1", "mid", "zeta"};
  if (api == Api::kGemini) want = {"alpha", "mid", "zeta"};
  EXPECT_EQ(models, want) << r.detail();
  auto got = provider.Received();
  switch (api) {
    case Api::kChat:  // no pages
      ASSERT_EQ(got.size(), 1u);
      EXPECT_EQ(got[0].target, "/v1/models");
      EXPECT_EQ(got[0].headers["authorization"], std::string("Bearer ") + kKey);
      break;
    case Api::kMessages:
      ASSERT_EQ(got.size(), 3u);
      EXPECT_EQ(got[0].target, "/v1/models?limit=1000");
      EXPECT_EQ(got[1].target, "/v1/models?limit=1000&after_id=alpha");
      EXPECT_EQ(got[2].target, "/v1/models?limit=1000&after_id=mid");
      EXPECT_EQ(r.detail(), "4 models in 3 pages");
      break;
    case Api::kGemini:
      ASSERT_EQ(got.size(), 3u);
      EXPECT_EQ(got[0].target, "/v1beta/models?pageSize=1000");
      EXPECT_EQ(got[1].target, "/v1beta/models?pageSize=1000&pageToken=2");
      EXPECT_EQ(got[2].target, "/v1beta/models?pageSize=1000&pageToken=4");
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, ProbeProtocolTest,
                         ::testing::Values(Api::kChat, Api::kMessages, Api::kGemini),
                         [](const auto& info) { return ApiName(info.param); });

// A wrong key: the provider's 401 with its own message; the key appears nowhere, not even when
// the provider quotes it.
TEST_F(ProbeProcessTest, WrongKeyFailsWithTheProvidersMessageAndNeverTheKey) {
  FakeUpstream provider;
  ScriptedResponse unauthorized;
  unauthorized.status = 401;
  unauthorized.body = std::string(R"({"error":{"message":"Incorrect API key provided: )") + kKey +
                      R"(. You can find your API key at https://example.com.",)"
                      R"("type":"invalid_request_error","code":"invalid_api_key"}})";
  provider.Enqueue(unauthorized);
  v1::TestProviderRequest req;
  *req.mutable_provider() = Provider(Api::kChat, provider);
  req.set_check_vision(true);
  req.set_list_models(true);
  v1::TestProviderResponse r = Test(req);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config().ok());
  EXPECT_FALSE(r.provider().ok());
  EXPECT_EQ(r.provider().http_status(), 401);
  EXPECT_NE(r.provider().detail().find("HTTP 401: Incorrect API key provided: sk-…cdef"),
            std::string::npos)
      << r.provider().detail();
  EXPECT_TRUE(r.vision().skipped());
  EXPECT_NE(r.vision().detail().find("provider step failed"), std::string::npos);
  EXPECT_TRUE(r.models().skipped());
  EXPECT_EQ(provider.ReceivedCount(), 1u);  // nothing after the failed step
  EXPECT_EQ(r.SerializeAsString().find(kKey), std::string::npos);
  EXPECT_EQ(r.DebugString().find("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Log().find(kKey), std::string::npos);
}

// A Chat provider with both pass-through endpoints: after the native ping, the Messages ping goes
// to anthropic_url and the Responses ping to responses_url, each in its own protocol with the
// same model, and each is reported.
TEST_F(ProbeProcessTest, PassThroughEndpointsAreTestedInTheirOwnProtocols) {
  FakeUpstream provider;
  FakeUpstream anthropic;
  FakeUpstream responses;
  control::v1::ProviderConfig p = Provider(Api::kChat, provider);
  p.set_anthropic_url(anthropic.base_url() + "/anthropic");
  p.set_responses_url(responses.base_url() + "/v1");
  (*p.mutable_extra_headers())["x-extra"] = "e1";
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  v1::TestProviderResponse r = Test(req);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.provider().ok()) << r.provider().detail();
  ASSERT_TRUE(r.has_anthropic_endpoint());
  EXPECT_TRUE(r.anthropic_endpoint().ok()) << r.anthropic_endpoint().detail();
  EXPECT_FALSE(r.anthropic_endpoint().skipped());
  EXPECT_EQ(r.anthropic_endpoint().http_status(), 200);
  EXPECT_NE(r.anthropic_endpoint().detail().find("HTTP 200 from fake-model"), std::string::npos)
      << r.anthropic_endpoint().detail();
  EXPECT_NE(r.anthropic_endpoint().detail().find(anthropic.base_url() + "/anthropic/v1/messages"),
            std::string::npos)
      << r.anthropic_endpoint().detail();
  ASSERT_TRUE(r.has_responses_endpoint());
  EXPECT_TRUE(r.responses_endpoint().ok()) << r.responses_endpoint().detail();
  EXPECT_EQ(r.responses_endpoint().http_status(), 200);
  EXPECT_NE(r.responses_endpoint().detail().find(responses.base_url() + "/v1/responses"),
            std::string::npos)
      << r.responses_endpoint().detail();
  EXPECT_EQ(r.keys_size(), 0) << "one key: no per-key results";

  EXPECT_EQ(provider.ReceivedCount(), 1u);
  auto a = anthropic.Received();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].method, "POST");
  EXPECT_EQ(a[0].target, "/anthropic/v1/messages");
  EXPECT_EQ(a[0].headers["x-api-key"], kKey);
  EXPECT_EQ(a[0].headers["anthropic-version"], "2023-06-01");
  EXPECT_EQ(a[0].headers.count("authorization"), 0u);
  EXPECT_EQ(a[0].headers["x-extra"], "e1");
  EXPECT_EQ(Parse(a[0].body), Parse(R"({"model":"fake-model","max_tokens":1,)"
                                    R"("messages":[{"role":"user","content":"ping"}]})"));
  auto o = responses.Received();
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].method, "POST");
  EXPECT_EQ(o[0].target, "/v1/responses");
  EXPECT_EQ(o[0].headers["authorization"], std::string("Bearer ") + kKey);
  EXPECT_EQ(o[0].headers.count("x-api-key"), 0u);
  EXPECT_EQ(o[0].headers["x-extra"], "e1");
  EXPECT_EQ(Parse(o[0].body),
            Parse(R"({"model":"fake-model","input":"ping","max_output_tokens":16})"));
}

// An anthropic_url where nothing listens fails its own result; the provider is still usable,
// so the test is ok. No responses_url: no result for it.
TEST_F(ProbeProcessTest, DeadAnthropicUrlFailsItsResultButNotTheTest) {
  int port = 0;
  {
    FakeUpstream gone;  // binds a free port, then frees it
    port = gone.port();
  }
  FakeUpstream provider;
  control::v1::ProviderConfig p = Provider(Api::kChat, provider);
  p.set_anthropic_url("http://127.0.0.1:" + std::to_string(port) + "/anthropic");
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  v1::TestProviderResponse r = Test(req);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.provider().ok()) << r.provider().detail();
  ASSERT_TRUE(r.has_anthropic_endpoint());
  EXPECT_FALSE(r.anthropic_endpoint().ok());
  EXPECT_FALSE(r.anthropic_endpoint().skipped());
  EXPECT_EQ(r.anthropic_endpoint().http_status(), 0);
  EXPECT_EQ(r.anthropic_endpoint().detail(),
            "http://127.0.0.1:" + std::to_string(port) +
                "/anthropic/v1/messages: cannot connect to http://127.0.0.1:" +
                std::to_string(port) + ": Connection refused");
  EXPECT_FALSE(r.has_responses_endpoint());
}

// A pool of three keys whose second is refused: each key is reported on its own, the test stays
// ok (key 1 works), and no key appears anywhere, not even when the provider quotes it.
TEST_F(ProbeProcessTest, EveryKeyOfAPoolIsCheckedAndReportedWithoutTheKeys) {
  const std::string keys[] = {kKey, "sk-probe-second-key-aaaa1111bbbb2222",
                              "sk-probe-third-key-cccc3333dddd4444"};
  FakeUpstream provider;
  ScriptedResponse ok;
  ok.body = fakes::ChatCompletionJson("fake-model", "pong", 11, 1, 0);
  provider.Enqueue(ok);  // key 1: the provider step
  ScriptedResponse refused;
  refused.status = 401;
  refused.body = R"({"error":{"message":"Incorrect API key provided: )" + keys[1] +
                 R"(.","type":"invalid_request_error","code":"invalid_api_key"}})";
  provider.Enqueue(refused);  // key 2
  control::v1::ProviderConfig p = Provider(Api::kChat, provider);
  p.add_api_keys(keys[1]);
  p.add_api_keys(keys[2]);
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  req.set_list_models(true);
  v1::TestProviderResponse r = Test(req);
  EXPECT_TRUE(r.ok()) << "key 1 works: the provider is usable";
  EXPECT_TRUE(r.provider().ok()) << r.provider().detail();
  EXPECT_FALSE(r.has_anthropic_endpoint());
  EXPECT_FALSE(r.has_responses_endpoint());
  ASSERT_EQ(r.keys_size(), 3);
  EXPECT_TRUE(r.keys(0).ok());
  EXPECT_EQ(r.keys(0).detail(), "key 1 of 3: ok");
  EXPECT_FALSE(r.keys(1).ok());
  EXPECT_FALSE(r.keys(1).skipped());
  EXPECT_EQ(r.keys(1).http_status(), 401);
  EXPECT_EQ(r.keys(1).detail().rfind("key 2 of 3: HTTP 401: Incorrect API key provided: sk-", 0),
            0u)
      << r.keys(1).detail();
  EXPECT_TRUE(r.keys(2).ok()) << r.keys(2).detail();
  EXPECT_EQ(r.keys(2).detail(), "key 3 of 3: ok");
  EXPECT_EQ(r.keys(2).http_status(), 200);
  EXPECT_TRUE(r.models().ok()) << r.models().detail();

  // ping with each key in turn, then the model list with key 1.
  auto got = provider.Received();
  ASSERT_EQ(got.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].target, "/v1/chat/completions");
    EXPECT_EQ(got[i].headers["authorization"], "Bearer " + keys[i]);
    EXPECT_EQ(got[i].body, got[0].body);
  }
  EXPECT_EQ(got[3].target, "/v1/models");
  EXPECT_EQ(got[3].headers["authorization"], "Bearer " + keys[0]);

  const std::string text = r.DebugString();
  const std::string wire = r.SerializeAsString();
  const std::string log = Log();
  for (const auto& k : keys) {
    EXPECT_EQ(text.find(k), std::string::npos) << k;
    EXPECT_EQ(wire.find(k), std::string::npos) << k;
    EXPECT_EQ(log.find(k), std::string::npos) << k;
    EXPECT_EQ(text.find(k.substr(k.size() - 12)), std::string::npos) << k;
  }
}

// Nothing listens: the provider step says it cannot connect, and so does the gateway step.
TEST_F(ProbeProcessTest, RefusedPortFailsWithAClearMessage) {
  int port = 0;
  {
    FakeUpstream gone;  // binds a free port, then frees it
    port = gone.port();
  }
  control::v1::ProviderConfig p;
  p.set_type("custom_openai_compatible");  // keyless
  p.set_base_url("http://127.0.0.1:" + std::to_string(port) + "/v1");
  p.set_default_model("m");
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  req.set_gateway_address("127.0.0.1:" + std::to_string(port));
  v1::TestProviderResponse r = Test(req);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config().ok()) << r.config().detail();
  EXPECT_FALSE(r.provider().ok());
  EXPECT_EQ(r.provider().http_status(), 0);
  EXPECT_EQ(r.provider().detail(),
            "cannot connect to http://127.0.0.1:" + std::to_string(port) + ": Connection refused");
  EXPECT_FALSE(r.gateway().ok());
  EXPECT_NE(r.gateway().detail().find("did not answer: cannot connect"), std::string::npos)
      << r.gateway().detail();
}

// An unusable config stops before any request; the gateway step still runs.
TEST_F(ProbeProcessTest, MissingKeyFailsTheConfigStepAndSendsNothing) {
  FakeUpstream provider;
  FakeUpstream gateway;
  control::v1::ProviderConfig p = Provider(Api::kChat, provider);
  p.clear_api_keys();
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  req.set_gateway_address("127.0.0.1:" + std::to_string(gateway.port()));
  req.set_check_vision(true);
  v1::TestProviderResponse r = Test(req);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.config().ok());
  EXPECT_NE(r.config().detail().find("no API key"), std::string::npos) << r.config().detail();
  EXPECT_TRUE(r.gateway().ok());
  EXPECT_TRUE(r.provider().skipped());
  EXPECT_TRUE(r.vision().skipped());
  EXPECT_EQ(provider.ReceivedCount(), 0u);

  v1::ListModelsResponse list = List(p);
  EXPECT_FALSE(list.ok());
  EXPECT_NE(list.detail().find("no API key"), std::string::npos) << list.detail();
  EXPECT_EQ(provider.ReceivedCount(), 0u);
}

// An edge without a config answers 503: the gateway step fails with its status; the provider
// still passes, the whole test does not.
TEST_F(ProbeProcessTest, GatewayNotReady) {
  FakeUpstream provider;
  FakeUpstream gateway;
  ScriptedResponse waiting;
  waiting.status = 503;
  waiting.body = R"({"status":"waiting_for_config","config_version":0})";
  gateway.Enqueue(waiting);
  v1::TestProviderRequest req;
  *req.mutable_provider() = Provider(Api::kMessages, provider);
  req.set_gateway_address("127.0.0.1:" + std::to_string(gateway.port()));
  v1::TestProviderResponse r = Test(req);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.provider().ok());
  EXPECT_FALSE(r.gateway().ok());
  EXPECT_EQ(r.gateway().http_status(), 503);
  EXPECT_EQ(r.gateway().detail(), "the gateway at 127.0.0.1:" + std::to_string(gateway.port()) +
                                      " answered HTTP 503 (waiting_for_config)");
}

// A provider slower than its own timeout fails the step within that time.
TEST_F(ProbeProcessTest, ProviderTimeoutBoundsTheRequest) {
  FakeUpstream provider;
  ScriptedResponse slow;
  slow.body = fakes::MessagesJson("fake-model", "late");
  slow.delay_before_headers = std::chrono::milliseconds(5000);
  provider.Enqueue(slow);
  control::v1::ProviderConfig p = Provider(Api::kMessages, provider);
  p.set_timeout_ms(300);
  v1::TestProviderRequest req;
  *req.mutable_provider() = p;
  auto t0 = Clock::now();
  v1::TestProviderResponse r = Test(req);
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(3000));
  EXPECT_FALSE(r.provider().ok());
  EXPECT_EQ(r.provider().detail(), "no answer within 300 ms");
}

// Prompt cache: UNKNOWN when no answer reports cached tokens (never NO); YES for Messages when
// the first answer wrote the cache even if the second read nothing.
TEST_F(ProbeProcessTest, PromptCacheVerdicts) {
  FakeUpstream provider;
  for (int i = 0; i < 3; ++i) {
    ScriptedResponse plain;
    plain.body = fakes::ChatCompletionJson("fake-model", "p", 5000, 1, 0);
    provider.Enqueue(plain);
  }
  v1::TestProviderRequest req;
  *req.mutable_provider() = Provider(Api::kChat, provider);
  req.set_check_prompt_cache(true);
  v1::TestProviderResponse r = Test(req);
  EXPECT_EQ(r.prompt_cache().capability(), admin::v1::CAPABILITY_UNKNOWN);
  EXPECT_FALSE(r.prompt_cache().skipped());
  EXPECT_EQ(r.prompt_cache().detail(), "no cached tokens reported by two identical long prompts");
  EXPECT_EQ(provider.ReceivedCount(), 3u);

  FakeUpstream anthropic;
  auto messages = [](int written, int read) {
    ScriptedResponse s;
    s.body = R"({"id":"msg_1","type":"message","role":"assistant","model":"fake-model",)"
             R"("content":[{"type":"text","text":"p"}],"stop_reason":"max_tokens",)"
             R"("usage":{"input_tokens":3,"cache_creation_input_tokens":)" +
             std::to_string(written) + R"(,"cache_read_input_tokens":)" + std::to_string(read) +
             R"(,"output_tokens":1}})";
    return s;
  };
  anthropic.Enqueue(messages(0, 0));     // ping
  anthropic.Enqueue(messages(4500, 0));  // first long prompt writes the cache
  anthropic.Enqueue(messages(0, 0));     // the repeat reads nothing (another replica)
  req.clear_provider();
  *req.mutable_provider() = Provider(Api::kMessages, anthropic);
  r = Test(req);
  EXPECT_EQ(r.prompt_cache().capability(), admin::v1::CAPABILITY_YES) << r.prompt_cache().detail();
  EXPECT_EQ(r.prompt_cache().detail(),
            "cached tokens: first request wrote 4500 and read 0, "
            "repeat read 0");

  anthropic.Enqueue(messages(0, 0));
  anthropic.Enqueue(messages(0, 0));
  anthropic.Enqueue(messages(0, 0));
  r = Test(req);
  EXPECT_EQ(r.prompt_cache().capability(), admin::v1::CAPABILITY_UNKNOWN);
}

TEST_F(ProbeProcessTest, EveryRpcNeedsTheToken) {
  FakeUpstream provider;
  for (const std::string token : {"", "ag_local_wrong"}) {
    v1::TestProviderRequest req;
    *req.mutable_provider() = Provider(Api::kChat, provider);
    v1::TestProviderResponse resp;
    auto ctx = Context(token);
    EXPECT_EQ(stub_->TestProvider(ctx.get(), req, &resp).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    v1::ListModelsRequest list;
    *list.mutable_provider() = Provider(Api::kChat, provider);
    v1::ListModelsResponse models;
    auto ctx2 = Context(token);
    EXPECT_EQ(stub_->ListModels(ctx2.get(), list, &models).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    admin::v1::ServiceInfo info;
    auto ctx3 = Context(token);
    EXPECT_EQ(stub_->GetInfo(ctx3.get(), v1::GetInfoRequest(), &info).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(provider.ReceivedCount(), 0u);
  admin::v1::ServiceInfo info;
  auto ctx = Context();
  ASSERT_TRUE(stub_->GetInfo(ctx.get(), v1::GetInfoRequest(), &info).ok());
  EXPECT_EQ(info.address(), address_);
}

// Several tests at once from different gRPC threads run side by side.
TEST_F(ProbeProcessTest, ConcurrentTests) {
  FakeUpstream provider;
  constexpr int kCalls = 4;
  for (int i = 0; i < kCalls; ++i) {
    ScriptedResponse slow;
    slow.body = fakes::ChatCompletionJson("fake-model", "p", 11, 1, 0);
    slow.delay_before_headers = std::chrono::milliseconds(700);
    provider.Enqueue(slow);
  }
  std::vector<std::thread> threads;
  std::vector<int> ok(kCalls, 0);
  auto t0 = Clock::now();
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      v1::TestProviderRequest req;
      *req.mutable_provider() = Provider(Api::kChat, provider);
      v1::TestProviderResponse resp;
      auto ctx = Context();
      ok[i] = stub_->TestProvider(ctx.get(), req, &resp).ok() && resp.provider().ok();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(ok.begin(), ok.end(), 1), kCalls);
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(700 * (kCalls - 1)));
}

// SIGTERM while a test waits on a slow provider: the call is cancelled after the server's 5 s
// grace and the process exits cleanly instead of waiting for the provider.
TEST_F(ProbeProcessTest, StopsWithATestInFlight) {
  FakeUpstream provider;
  ScriptedResponse slow;
  slow.body = fakes::ChatCompletionJson("fake-model", "late", 11, 1, 0);
  slow.delay_before_headers = std::chrono::seconds(30);
  provider.Enqueue(slow);
  grpc::Status status;
  std::thread call([&] {
    v1::TestProviderRequest req;
    *req.mutable_provider() = Provider(Api::kChat, provider);
    v1::TestProviderResponse resp;
    auto ctx = Context();
    status = stub_->TestProvider(ctx.get(), req, &resp);
  });
  ASSERT_TRUE(WaitFor([&] { return provider.ReceivedCount() == 1; }));
  auto t0 = Clock::now();
  int wait_status = proc_.Stop(SIGTERM, std::chrono::seconds(15));
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(8));
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) << wait_status;
  call.join();
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace agentgate::probe
