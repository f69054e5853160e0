// The edge's data plane against the fake upstream, through the real processes.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
using fakes::ScriptedResponse;

boost::json::value Json(const std::string& s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  EXPECT_FALSE(ec) << "not JSON: " << s;
  return v;
}

std::string ErrorMessage(const HttpResponse& r) {
  auto v = Json(r.body);
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("message").as_string());
}

class EdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "upstream-secret-key", "m",
                       {{"gpt-4o", "big-model"}});
  }
  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(EdgeTest, NonStreamingPassThroughMapsModelAndInjectsKey) {
  HttpResponse r = stack_.Chat(ChatBody("anything"));
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  auto v = Json(r.body);
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content").as_string(), "pong from m");
  EXPECT_EQ(r.headers["x-agentgate-provider"], "local");

  auto received = upstream_.Received();
  ASSERT_EQ(received.size(), 1u);
  const auto& up = received[0];
  EXPECT_EQ(up.method, "POST");
  EXPECT_EQ(up.target, "/v1/chat/completions");
  EXPECT_EQ(up.headers.at("authorization"), "Bearer upstream-secret-key");
  EXPECT_EQ(Json(up.body).at("model").as_string(), "m");  // unknown model -> default
  // The client's credential never goes upstream.
  std::string token = stack_.token();
  for (const auto& [k, val] : up.headers) {
    EXPECT_EQ(val.find(token), std::string::npos) << k;
    EXPECT_EQ(val.find("ag_local_"), std::string::npos) << k;
  }
  EXPECT_EQ(up.body.find(token), std::string::npos);
}

TEST_F(EdgeTest, ModelMapApplies) {
  HttpResponse r = stack_.Chat(ChatBody("gpt-4o"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(upstream_.Received().at(0).body).at("model").as_string(), "big-model");
}

TEST_F(EdgeTest, UnknownFieldsPassUnchanged) {
  std::string body =
      R"({"model":"m","messages":[{"role":"user","content":"héllo ✓"}],"temperature":0.2,)"
      R"("x_vendor":{"nested":[1,2,{"a":null}]},"tools":[]})";
  HttpResponse r = stack_.Chat(body);
  ASSERT_EQ(r.status, 200);
  auto sent = Json(upstream_.Received().at(0).body);
  EXPECT_EQ(sent, Json(body));
}

TEST_F(EdgeTest, StreamEventsArriveOneByOne) {
  upstream_.SetStreamShape(5, std::chrono::milliseconds(150));
  HttpResponse r = stack_.Chat(ChatBody("m", true, true));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos);
  // Arrival spread: the first event reaches the client long before the last, so nothing was
  // buffered. 8 frames at 150 ms intervals span over a second.
  ASSERT_GE(r.pieces.size(), 5u);
  EXPECT_GE(r.piece_ms.back() - r.piece_ms.front(), 700) << "events were held back";
  EXPECT_EQ(r.pieces.front().find("data: "), 0u);
}

TEST_F(EdgeTest, StreamUsageIsRecorded) {
  HttpResponse r = stack_.Chat(ChatBody("m", true, true));
  ASSERT_EQ(r.status, 200);
  admin::v1::ListRequestLogsResponse logs;
  ASSERT_TRUE(WaitFor([&] {
    admin::v1::ListRequestLogsRequest req;
    logs.Clear();
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->ListRequestLogs(ctx.get(), req, &logs).ok() && logs.logs_size() == 1;
  }));
  const auto& l = logs.logs(0);
  EXPECT_EQ(l.status(), 200);
  EXPECT_TRUE(l.stream());
  EXPECT_EQ(l.provider(), "local");
  EXPECT_EQ(l.model_requested(), "m");
  EXPECT_EQ(l.input_tokens(), 11);
  EXPECT_EQ(l.output_tokens(), 5);
  EXPECT_EQ(l.cached_tokens(), 3);
  EXPECT_GE(l.ttfb_ms(), 0);
  EXPECT_GT(l.bytes_out(), 0);
  EXPECT_EQ(l.client_protocol(), admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
}

TEST_F(EdgeTest, EveryCredentialFormWorksAndWrongOnesGet401) {
  std::string t = stack_.token();
  int port = stack_.edge_port();
  std::string body = ChatBody("m");
  EXPECT_EQ(HttpRequest(port, "POST", "/v1/chat/completions", body, {{"x-api-key", t}}).status,
            200);
  EXPECT_EQ(HttpRequest(port, "POST", "/v1/chat/completions", body, {{"x-goog-api-key", t}}).status,
            200);
  EXPECT_EQ(HttpRequest(port, "POST", "/v1/chat/completions?key=" + t, body).status, 200);
  EXPECT_EQ(HttpRequest(port, "POST", "/chat/completions", body, {{"authorization", "Bearer " + t}})
                .status,
            200);

  HttpResponse none = HttpRequest(port, "POST", "/v1/chat/completions", body);
  EXPECT_EQ(none.status, 401);
  auto err = Json(none.body).at("error");
  EXPECT_EQ(err.at("type").as_string(), "authentication_error");
  EXPECT_EQ(HttpRequest(port, "POST", "/v1/chat/completions", body,
                        {{"authorization", "Bearer " + t + "x"}})
                .status,
            401);
  EXPECT_EQ(HttpRequest(port, "GET", "/v1/models", "", {{"authorization", "Bearer nope"}}).status,
            401);
  EXPECT_EQ(upstream_.ReceivedCount(), 4u);  // no rejected request reached the provider
  EXPECT_EQ(HttpRequest(port, "GET", "/health").status, 200);
}

TEST_F(EdgeTest, ModelsListsConfiguredModels) {
  HttpResponse r = HttpRequest(stack_.edge_port(), "GET", "/v1/models", "",
                               {{"authorization", "Bearer " + stack_.token()}});
  ASSERT_EQ(r.status, 200);
  auto v = Json(r.body);
  EXPECT_EQ(v.at("object").as_string(), "list");
  std::set<std::string> ids;
  for (const auto& m : v.at("data").as_array()) ids.insert(std::string(m.at("id").as_string()));
  EXPECT_TRUE(ids.count("m"));
  EXPECT_TRUE(ids.count("gpt-4o"));
  for (const auto& m : v.at("data").as_array()) {  // neither model is known to the rules
    EXPECT_FALSE(m.as_object().contains("context_window")) << m;
  }
}

// The context window and output limit of a model the provider rules know, by what the model is
// sent as: the clients' configurations take them from here (client apply).
TEST_F(EdgeTest, ModelsListNamesKnownLimits) {
  stack_.AddProvider("deepseek", upstream_.base_url(), "k", "deepseek-v4-pro",
                     {{"cheap", "deepseek-v4-flash"}});
  HttpResponse r = HttpRequest(stack_.edge_port(), "GET", "/v1/models", "",
                               {{"authorization", "Bearer " + stack_.token()}});
  ASSERT_EQ(r.status, 200);
  std::map<std::string, boost::json::object> by_id;
  const auto list = Json(r.body);
  for (const auto& m : list.at("data").as_array()) {
    by_id[std::string(m.at("id").as_string())] = m.as_object();
  }
  ASSERT_TRUE(by_id.count("deepseek-v4-pro") && by_id.count("cheap")) << r.body;
  EXPECT_EQ(by_id["deepseek-v4-pro"].at("context_window").as_int64(), 1'000'000);
  EXPECT_GT(by_id["deepseek-v4-pro"].at("max_output_tokens").as_int64(), 0);
  EXPECT_EQ(by_id["cheap"].at("context_window").as_int64(), 1'000'000);
  HttpResponse g = HttpRequest(stack_.edge_port(), "GET", "/v1beta/models?key=" + stack_.token());
  ASSERT_EQ(g.status, 200);
  bool found = false;
  const auto gemini = Json(g.body);
  for (const auto& m : gemini.at("models").as_array()) {
    if (m.at("name").as_string() != "models/deepseek-v4-pro") continue;
    found = true;
    EXPECT_EQ(m.at("inputTokenLimit").as_int64(), 1'000'000);
    EXPECT_GT(m.at("outputTokenLimit").as_int64(), 0);
  }
  EXPECT_TRUE(found) << g.body;
}

TEST_F(EdgeTest, MalformedRequestsGetClearErrors) {
  HttpResponse bad = stack_.Chat("{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(ErrorMessage(bad).find("not valid JSON"), std::string::npos) << bad.body;
  HttpResponse no_messages = stack_.Chat(R"({"model":"m"})");
  EXPECT_EQ(no_messages.status, 400);
  EXPECT_NE(ErrorMessage(no_messages).find("messages"), std::string::npos);
  HttpResponse array = stack_.Chat("[1,2]");
  EXPECT_EQ(array.status, 400);
  HttpResponse unknown = HttpRequest(stack_.edge_port(), "POST", "/v1/nope", "{}",
                                     {{"authorization", "Bearer " + stack_.token()}});
  EXPECT_EQ(unknown.status, 404);
  HttpResponse method = HttpRequest(stack_.edge_port(), "GET", "/v1/chat/completions", "",
                                    {{"authorization", "Bearer " + stack_.token()}});
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

TEST_F(EdgeTest, UpstreamErrorIsRelayedWithItsStatus) {
  ScriptedResponse r;
  r.status = 400;
  r.body = R"({"error":{"message":"max_tokens too large","type":"invalid_request_error"}})";
  upstream_.Enqueue(r);
  HttpResponse resp = stack_.Chat(ChatBody("m"));
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(resp.body, r.body);

  // A Retry-After too long to wait for, and no other provider: the provider's answer as it is.
  ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "70"}};
  limited.body = R"({"error":{"message":"slow down","type":"rate_limit_error"}})";
  upstream_.Enqueue(limited);
  HttpResponse rl = stack_.Chat(ChatBody("m"));
  EXPECT_EQ(rl.status, 429);
  EXPECT_EQ(rl.headers["retry-after"], "70");
  EXPECT_EQ(rl.body, limited.body);
}

TEST_F(EdgeTest, TheLastProviderLeftIsRetriedAfterItsRetryAfterOrABackoff) {
  ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "1"}};
  limited.body = R"({"error":{"message":"slow down","type":"rate_limit_error"}})";
  upstream_.Enqueue(limited);
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = stack_.Chat(ChatBody("m"));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_GE(took, std::chrono::milliseconds(950));  // Retry-After honoured
  EXPECT_EQ(upstream_.Received().size(), 2u);

  // A 500 is retried after a short backoff; three in a row (the retry budget for the one
  // provider) reach the client.
  ScriptedResponse boom;
  boom.status = 500;
  boom.body = R"({"error":{"message":"boom"}})";
  upstream_.Enqueue(boom);
  EXPECT_EQ(stack_.Chat(ChatBody("m")).status, 200);
  for (int i = 0; i < 3; ++i) upstream_.Enqueue(boom);
  HttpResponse failed = stack_.Chat(ChatBody("m"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, boom.body);
  EXPECT_EQ(upstream_.Received().size(), 2u + 2u + 3u);
}

TEST_F(EdgeTest, FailsOverToTheNextProviderBeforeAnyByte) {
  FakeUpstream second;
  stack_.AddProvider("second", second.base_url(), "k2", "m2");
  ScriptedResponse boom;
  boom.status = 503;
  boom.body = "{}";
  upstream_.Enqueue(boom);
  HttpResponse r = stack_.Chat(ChatBody("m"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "second");
  EXPECT_EQ(second.Received().at(0).headers.at("authorization"), "Bearer k2");
}

// An edge that never reached its router has no configuration: requests get 503 in their own
// protocol (and are recorded, unpriced), the edge keeps running, /metrics still answers.
TEST(EdgeWithoutRouterTest, AnswersServiceUnavailableAndStaysUp) {
  std::string home = MakeTempDir("edge-alone");
  Process edge;
  edge.Start({BinPath("agentgate-edge"), "--home", home, "--port", "0", "--port-file",
              home + "/edge.port", "--router", "127.0.0.1:1", "--stats", "127.0.0.1:1"},
             {}, home + "/edge.log");
  ASSERT_TRUE(WaitFor([&] {
    std::string t = ReadFileOrEmpty(home + "/edge.port");
    return !t.empty() && t.back() == '\n';
  }));
  int port = std::stoi(ReadFileOrEmpty(home + "/edge.port"));
  // No router, so no snapshot: /metrics takes the token of the token file.
  const std::string token = "ag_local_test_token_for_metrics";
  std::ofstream(home + "/token") << token << "\n";
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("m"),
                                 {{"authorization", "Bearer anything"}});
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_NE(r.body.find("no configuration yet"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(edge.Running()) << ReadFileOrEmpty(home + "/edge.log");
  // Counted just after the answer went out: scrape until the last one is.
  const std::string counted =
      "agentgate_requests_total{client=\"chat\",provider=\"none\",status=\"503\"} 3";
  HttpResponse m;
  for (int i = 0; i < 100; ++i) {
    m = HttpRequest(port, "GET", "/metrics", "", {{"authorization", "Bearer " + token}});
    if (m.status != 200 || m.body.find(counted) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find(counted), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("agentgate_router_connected 0"), std::string::npos);
}

// GET /metrics: the Prometheus text a stock Prometheus scrapes (with the token as a bearer).
TEST_F(EdgeTest, MetricsCountRequestsTokensFailoversAndLatency) {
  FakeUpstream second;
  stack_.AddProvider("second", second.base_url(), "k2", "m2");
  ScriptedResponse boom;
  boom.status = 503;
  boom.body = "{}";
  upstream_.Enqueue(boom);
  ASSERT_EQ(stack_.Chat(ChatBody("m", /*stream=*/true, /*include_usage=*/true)).status, 200);
  ASSERT_EQ(HttpRequest(stack_.edge_port(), "POST", "/v1/chat/completions", ChatBody("m"),
                        {{"authorization", "Bearer wrong"}})
                .status,
            401);
  // A request is counted just after its last byte went out, so the client can ask for /metrics
  // a moment before the 401 above is counted: scrape until it is (CI once saw the gap).
  const std::string counted_401 =
      "agentgate_requests_total{client=\"chat\",provider=\"none\",status=\"401\"} 1\n";
  HttpResponse m;
  for (int i = 0; i < 100; ++i) {
    m = HttpRequest(stack_.edge_port(), "GET", "/metrics", "",
                    {{"authorization", "Bearer " + stack_.token()}});
    if (m.status != 200 || m.body.find(counted_401) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  for (const char* line : {
           "# TYPE agentgate_requests_total counter\n",
           "agentgate_requests_total{client=\"chat\",provider=\"second\",status=\"200\"} 1\n",
           "agentgate_requests_total{client=\"chat\",provider=\"none\",status=\"401\"} 1\n",
           "agentgate_failovers_total{provider=\"local\"} 1\n",
           "agentgate_upstream_attempts_total{provider=\"local\",outcome=\"http_error\"} 1\n",
           "agentgate_upstream_attempts_total{provider=\"second\",outcome=\"success\"} 1\n",
           "agentgate_tokens_total{provider=\"second\",model=\"m2\",kind=\"input\"} 11\n",
           "agentgate_tokens_total{provider=\"second\",model=\"m2\",kind=\"output\"} 5\n",
           "agentgate_unpriced_requests_total{provider=\"second\",model=\"m2\"} 1\n",
           "agentgate_request_duration_seconds_count{client=\"chat\",stream=\"true\"} 1\n",
           "agentgate_time_to_first_byte_seconds_bucket{client=\"chat\",stream=\"true\","
           "le=\"+Inf\"} 1\n",
           "agentgate_open_streams 0\n",
           "agentgate_records_dropped_total 0\n",
           "agentgate_router_connected 1\n",
       }) {
    EXPECT_NE(m.body.find(line), std::string::npos) << line << "\n" << m.body;
  }
  // Every sample line is NAME{labels} VALUE or NAME VALUE, after its family's # TYPE.
  std::istringstream lines(m.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, std::regex(R"([a-z_]+(\{.*\})? [-+0-9.eInfa]+)"))) << line;
  }
}

TEST_F(EdgeTest, ARateLimitedProviderCoolsDownAndTheNextServesMeanwhile) {
  FakeUpstream second;
  stack_.AddProvider("second", second.base_url(), "k2", "m2");
  ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "30"}};
  limited.body = R"({"error":{"message":"slow down","type":"rate_limit_error"}})";
  upstream_.Enqueue(limited);
  for (int i = 0; i < 4; ++i) {
    HttpResponse r = stack_.Chat(ChatBody("m"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["x-agentgate-provider"], "second");
  }
  // Only the first request went to the limited provider: the edge cooled it down at once.
  EXPECT_EQ(upstream_.Received().size(), 1u);
  EXPECT_EQ(second.Received().size(), 4u);
}

// A provider known to take text only (its test said so) gets a request of the client's own
// protocol without its images — through the converter, the images named as a loss — rather than
// a refusal the client could do nothing about.
TEST_F(EdgeTest, ImagesAreTakenOutForATextOnlyProviderEvenOnPassThrough) {
  upstream_.SetRejectImages(true);
  admin::v1::UpdateProviderRequest req;
  req.set_name("local");
  req.set_vision(admin::v1::CAPABILITY_NO);
  admin::v1::Provider p;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), req, &p).ok());
  }
  ASSERT_TRUE(stack_.SyncEdge());
  const std::string body =
      R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},)"
      R"({"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]})";
  HttpResponse r = stack_.Chat(body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = upstream_.Received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body.find("image_url"), std::string::npos) << got[0].body;
  EXPECT_NE(got[0].body.find("what is this?"), std::string::npos) << got[0].body;
  EXPECT_NE(got[0].body.find("text only"), std::string::npos) << got[0].body;
  // Without images the request passes through as before.
  upstream_.ClearReceived();
  ASSERT_EQ(stack_.Chat(ChatBody("m")).status, 200);
  EXPECT_EQ(upstream_.Received().at(0).body, ChatBody("m"));
}

TEST_F(EdgeTest, ProviderCutMidStreamEndsWithAnErrorEvent) {
  ScriptedResponse cut;
  cut.stream_chunks = fakes::ChatCompletionStream("m", {"a", "b", "c", "d"}, false);
  cut.cut_after_chunks = 2;
  upstream_.Enqueue(cut);
  HttpResponse r = stack_.Chat(ChatBody("m", true));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.error.empty()) << "the client stream must end cleanly: " << r.error;
  EXPECT_NE(r.body.find(cut.stream_chunks[0]), std::string::npos);
  EXPECT_NE(r.body.find("stream_interrupted"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  // The edge keeps working.
  EXPECT_EQ(stack_.Chat(ChatBody("m")).status, 200);
}

TEST_F(EdgeTest, ProviderThatIsDownGets502) {
  // A port nobody listens on: bind, note it, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int dead_port = ntohs(addr.sin_port);
  ::close(fd);
  admin::v1::UpdateProviderRequest req;
  req.set_name("local");
  req.set_base_url("http://127.0.0.1:" + std::to_string(dead_port));
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), req, &p).ok());
  HttpResponse r = stack_.Chat(ChatBody("m"));
  EXPECT_EQ(r.status, 502);
  EXPECT_NE(ErrorMessage(r).find("cannot connect"), std::string::npos) << r.body;
}

TEST_F(EdgeTest, SlowProviderTimesOutWith504) {
  admin::v1::UpdateProviderRequest req;
  req.set_name("local");
  req.set_timeout_ms(300);
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), req, &p).ok());
  ScriptedResponse slow;
  slow.delay_before_headers = std::chrono::milliseconds(3000);
  slow.body = "{}";
  upstream_.Enqueue(slow);
  auto start = std::chrono::steady_clock::now();
  HttpResponse r = stack_.Chat(ChatBody("m"));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 504);
  EXPECT_NE(ErrorMessage(r).find("did not answer within 300 ms"), std::string::npos) << r.body;
  EXPECT_LT(took, std::chrono::milliseconds(2500));
}

TEST_F(EdgeTest, ClientLeavingMidStreamIsRecordedAndHarmless) {
  upstream_.SetStreamShape(20, std::chrono::milliseconds(100));
  int fd = -1;
  {
    // Send a streaming request on a raw socket, read the first bytes, then hang up.
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(stack_.edge_port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string body = ChatBody("m", true);
    std::string req =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
        stack_.token() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    char buf[512];
    ASSERT_GT(::read(fd, buf, sizeof buf), 0);
    ::close(fd);
  }
  admin::v1::ListRequestLogsResponse logs;
  ASSERT_TRUE(WaitFor([&] {
    logs.Clear();
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() && logs.logs_size() == 1;
  }));
  EXPECT_EQ(logs.logs(0).status(), 499);
  EXPECT_EQ(stack_.Chat(ChatBody("m")).status, 200);
}

TEST_F(EdgeTest, KeepAliveReusesUpstreamConnections) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(stack_.Chat(ChatBody("m")).status, 200);
  EXPECT_EQ(upstream_.ReceivedCount(), 5u);
}

class EdgeLimitsTest : public ::testing::Test {
 protected:
  EdgeLimitsTest()
      : stack_(Stack::Options{
            {"--max-body-bytes", "2048", "--header-timeout-ms", "400", "--max-connections", "3",
             "--max-header-bytes", "4096", "--keepalive-ms", "100"},
            {},
            {},
            {}}) {}
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "m");
  }
  FakeUpstream upstream_;
  Stack stack_;
};

// Health with short timings: cooldowns of 200 ms doubling, a breaker open for 600 ms.
class HealthEdgeTest : public ::testing::Test {
 protected:
  HealthEdgeTest()
      : stack_(Stack::Options{{"--cooldown-ms", "200", "--breaker-open-ms", "600"},
                              {},
                              {"--cooldown-ms", "200", "--breaker-open-ms", "600"},
                              {}}) {}
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("a", a_.base_url(), "ka", "m");
    stack_.AddProvider("b", b_.base_url(), "kb", "m");
  }
  std::string Via() {
    HttpResponse r = stack_.Chat(NewChatBody("m"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.headers["x-agentgate-provider"];
  }
  FakeUpstream a_, b_;
  Stack stack_;
};

TEST_F(HealthEdgeTest, ThreeFailuresOpenTheBreakerAndAHalfOpenTrialClosesIt) {
  ScriptedResponse boom;
  boom.status = 500;
  boom.body = R"({"error":{"message":"boom"}})";
  // Each failure fails over to b and cools a down (200, 400, 800 ms).
  a_.Enqueue(boom);
  EXPECT_EQ(Via(), "b");
  EXPECT_EQ(Via(), "b");  // cooling down: a is not asked
  EXPECT_EQ(a_.Received().size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  a_.Enqueue(boom);
  EXPECT_EQ(Via(), "b");
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  a_.Enqueue(boom);
  EXPECT_EQ(Via(), "b");
  EXPECT_EQ(a_.Received().size(), 3u);
  // Three in a row open the breaker: a is left out until it turns half-open; then one trial
  // goes to a, which answers, and the breaker closes.
  EXPECT_EQ(Via(), "b");
  EXPECT_EQ(a_.Received().size(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  EXPECT_EQ(Via(), "a");
  EXPECT_EQ(Via(), "a");  // closed again
  EXPECT_EQ(a_.Received().size(), 5u);
}

TEST_F(HealthEdgeTest, KeysRotateAndARateLimitedKeyRestsWhileTheOthersServe) {
  admin::v1::UpdateProviderRequest req;
  req.set_name("a");
  req.set_replace_api_keys(true);
  for (const char* k : {"k1", "k2", "k3"}) req.add_api_keys(k);
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), req, &p).ok());
  ASSERT_EQ(p.api_keys_masked_size(), 3);
  ASSERT_TRUE(stack_.SyncEdge());  // the edge has the three keys
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Via(), "a");
  auto key_of = [&](size_t i) { return a_.Received().at(i).headers.at("authorization"); };
  EXPECT_EQ(key_of(0), "Bearer k1");
  EXPECT_EQ(key_of(1), "Bearer k2");
  EXPECT_EQ(key_of(2), "Bearer k3");
  // k1 is limited: the same request goes again at once with the next key, and k1 rests.
  ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "60"}};
  limited.body = R"({"error":{"message":"key limited","type":"rate_limit_error"}})";
  a_.Enqueue(limited);
  EXPECT_EQ(Via(), "a");
  EXPECT_EQ(key_of(3), "Bearer k1");
  EXPECT_EQ(key_of(4), "Bearer k2");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Via(), "a");
  for (size_t i = 5; i < a_.Received().size(); ++i) EXPECT_NE(key_of(i), "Bearer k1");
  EXPECT_EQ(b_.Received().size(), 0u);
}

TEST_F(HealthEdgeTest, AProviderWithoutVisionIsSkippedForImagesOnly) {
  admin::v1::UpdateProviderRequest req;
  req.set_name("a");
  req.set_vision(admin::v1::CAPABILITY_NO);
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), req, &p).ok());
  std::string image =
      R"({"model":"m","messages":[{"role":"user","content":[)"
      R"({"type":"text","text":"what is this"},)"
      R"({"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}}]}]})";
  HttpResponse r = stack_.Chat(image);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "b");
  EXPECT_EQ(Via(), "a");  // text still goes to the first in the chain
}

TEST_F(EdgeLimitsTest, OversizeBodyGets413) {
  std::string big =
      R"({"model":"m","messages":[{"role":"user","content":")" + std::string(4096, 'x') + "\"}]}";
  HttpResponse r = stack_.Chat(big);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(ErrorMessage(r).find("too large"), std::string::npos) << r.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

// A provider that thinks for a long time before its first token: the client gets keep-alives
// in its own protocol meanwhile, and the answer is intact.
TEST_F(EdgeLimitsTest, KeepAlivesDuringAProvidersSilence) {
  auto slow = [&] {
    ScriptedResponse s;
    s.stream_chunks = {
        R"(data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"
        "\n\n",
        R"(data: {"id":"c","choices":[{"index":0,"delta":{"content":"late pong"},"finish_reason":"stop"}]})"
        "\n\n",
        "data: [DONE]\n\n"};
    s.chunk_interval = std::chrono::milliseconds(350);
    upstream_.Enqueue(s);
  };
  slow();
  HttpResponse chat = stack_.Chat(ChatBody("m", /*stream=*/true));
  ASSERT_EQ(chat.status, 200) << chat.error;
  EXPECT_NE(chat.body.find(": keep-alive\n\n"), std::string::npos) << chat.body;
  EXPECT_NE(chat.body.find("late pong"), std::string::npos);
  EXPECT_NE(chat.body.find("data: [DONE]"), std::string::npos);

  slow();
  HttpResponse msg = HttpRequest(
      stack_.edge_port(), "POST", "/v1/messages",
      R"({"model":"m","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]})",
      {{"x-api-key", stack_.token()}});
  ASSERT_EQ(msg.status, 200) << msg.error;
  EXPECT_NE(msg.body.find("event: ping\ndata: {\"type\": \"ping\"}"), std::string::npos);
  EXPECT_NE(msg.body.find("late pong"), std::string::npos);
  EXPECT_NE(msg.body.find("event: message_stop"), std::string::npos);

  // Gemini CLI's reader wedges on anything but whitespace before "data:": a bare newline.
  slow();
  HttpResponse gem =
      HttpRequest(stack_.edge_port(), "POST", "/v1beta/models/m:streamGenerateContent?alt=sse",
                  R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})",
                  {{"x-goog-api-key", stack_.token()}});
  ASSERT_EQ(gem.status, 200) << gem.error;
  EXPECT_EQ(gem.body.rfind("\n", 0), 0u) << gem.body;
  EXPECT_EQ(gem.body.find_first_not_of('\n'), gem.body.find("data: ")) << gem.body;
  EXPECT_EQ(gem.body.find(':'), gem.body.find("data:") + 4) << "no comment lines";
  EXPECT_NE(gem.body.find("late pong"), std::string::npos);
}

TEST_F(EdgeLimitsTest, OversizeHeaderGets431) {
  HttpResponse r = stack_.Chat(ChatBody("m"), {{"x-padding", std::string(8000, 'p')}});
  EXPECT_EQ(r.status, 431);
}

int ConnectRaw(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  return fd;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST_F(EdgeLimitsTest, SlowHeaderTimesOutWith408) {
  int fd = ConnectRaw(stack_.edge_port());
  ASSERT_GE(fd, 0);
  std::string partial = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(::write(fd, partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  std::string reply = ReadAll(fd);  // the edge answers and closes after 400 ms
  ::close(fd);
  EXPECT_NE(reply.find("408"), std::string::npos) << reply;
}

TEST_F(EdgeLimitsTest, TooManyConnectionsGet503) {
  std::vector<int> fds;
  for (int i = 0; i < 3; ++i) fds.push_back(ConnectRaw(stack_.edge_port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  HttpResponse r = HttpRequest(stack_.edge_port(), "GET", "/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("too many open connections"), std::string::npos);
  for (int fd : fds) ::close(fd);
  EXPECT_TRUE(
      WaitFor([&] { return HttpRequest(stack_.edge_port(), "GET", "/health").status == 200; }));
}

}  // namespace
}  // namespace agentgate::testing

namespace agentgate::testing {
namespace {

// Claude Code's protocol (Anthropic Messages) converted to a Chat Completions provider.
class MessagesEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "chat-model");
  }
  HttpResponse Messages(const std::string& body,
                        const std::string& target = "/v1/messages?beta=true") {
    return HttpRequest(stack_.edge_port(), "POST", target, body,
                       {{"x-api-key", stack_.token()}, {"anthropic-version", "2023-06-01"}});
  }
  FakeUpstream upstream_;
  Stack stack_;
};

constexpr char kMessagesBody[] =
    R"({"model":"claude-sonnet-4-5","max_tokens":1024,"system":"be brief",)"
    R"("messages":[{"role":"user","content":"say pong"}]})";

TEST_F(MessagesEdgeTest, NonStreamingTurnIsConverted) {
  HttpResponse r = Messages(kMessagesBody);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = Json(r.body);
  EXPECT_EQ(v.at("type").as_string(), "message");
  EXPECT_EQ(v.at("model").as_string(), "claude-sonnet-4-5");
  EXPECT_EQ(v.at("content").at(0).at("text").as_string(), "pong from chat-model");
  EXPECT_EQ(v.at("stop_reason").as_string(), "end_turn");
  EXPECT_EQ(v.at("usage").at("input_tokens").as_int64(), 8);  // 11 prompt - 3 cached
  EXPECT_EQ(v.at("usage").at("cache_read_input_tokens").as_int64(), 3);
  auto sent = Json(upstream_.Received().at(0).body);
  EXPECT_EQ(upstream_.Received().at(0).target, "/v1/chat/completions");
  EXPECT_EQ(sent.at("model").as_string(), "chat-model");
  EXPECT_EQ(sent.at("messages").at(0).at("role").as_string(), "system");
  EXPECT_EQ(sent.at("max_tokens").as_int64(), 1024);
}

TEST_F(MessagesEdgeTest, StreamingTurnIsConvertedEventByEvent) {
  upstream_.SetStreamShape(4, std::chrono::milliseconds(150));
  std::string body = kMessagesBody;
  body.insert(1, R"("stream":true,)");
  HttpResponse r = Messages(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.body.find("event: message_start"), 0u) << r.body;
  EXPECT_NE(r.body.find("event: content_block_delta"), std::string::npos);
  EXPECT_NE(r.body.find("\"stop_reason\":\"end_turn\""), std::string::npos);
  EXPECT_NE(r.body.find("event: message_stop"), std::string::npos);
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  // Converted events are not held back either.
  ASSERT_GE(r.pieces.size(), 4u);
  EXPECT_GE(r.piece_ms.back() - r.piece_ms.front(), 400);
  // The upstream was asked for usage, so the record has tokens.
  EXPECT_EQ(Json(upstream_.Received().at(0).body).at("stream_options").at("include_usage"), true);
}

TEST_F(MessagesEdgeTest, ErrorsComeBackInAnthropicShape) {
  HttpResponse bad = Messages(R"({"model":"m","messages":[]})");  // no max_tokens
  EXPECT_EQ(bad.status, 400);
  auto v = Json(bad.body);
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("error").at("type").as_string(), "invalid_request_error");

  HttpResponse unauth = HttpRequest(stack_.edge_port(), "POST", "/v1/messages", kMessagesBody,
                                    {{"x-api-key", "wrong"}});
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(Json(unauth.body).at("error").at("type").as_string(), "authentication_error");

  ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "60"}};  // too long to wait for: relayed
  limited.body = R"({"error":{"message":"rate limited upstream","type":"rate_limit_error"}})";
  upstream_.Enqueue(limited);
  HttpResponse rl = Messages(kMessagesBody);
  EXPECT_EQ(rl.status, 429);
  auto e = Json(rl.body);
  EXPECT_EQ(e.at("type").as_string(), "error");
  EXPECT_EQ(e.at("error").at("type").as_string(), "rate_limit_error");
  EXPECT_EQ(e.at("error").at("message").as_string(), "rate limited upstream");
}

// DeepSeek's overflow (OpenAI's words) reaches Claude Code as Anthropic's "prompt is too long",
// the error Claude Code compacts on; the provider is not benched for it.
TEST_F(MessagesEdgeTest, AContextOverflowComesBackAsPromptIsTooLong) {
  ScriptedResponse overflow;
  overflow.status = 400;
  overflow.body =
      R"({"error":{"message":"This model's maximum context length is 131072 tokens. However, you )"
      R"(requested 140000 tokens (140000 in the messages, 0 in the completion). Please reduce the )"
      R"(length of the messages or completion.","type":"invalid_request_error","param":null,)"
      R"("code":"invalid_request_error"}})";
  upstream_.Enqueue(overflow);
  std::string body = kMessagesBody;
  body.insert(1, R"("stream":true,)");
  HttpResponse r = Messages(body);
  EXPECT_EQ(r.status, 400) << r.body;
  auto v = Json(r.body);
  EXPECT_EQ(v.at("type").as_string(), "error");
  EXPECT_EQ(v.at("error").at("type").as_string(), "invalid_request_error");
  EXPECT_EQ(v.at("error").at("message").as_string(),
            "prompt is too long: 140000 tokens > 131072 maximum");
  // The same provider answers the next (compacted) turn at once.
  HttpResponse next = Messages(kMessagesBody);
  EXPECT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 2u);
}

// A provider that answers a stream request with one JSON body: Claude Code still reads a stream.
TEST_F(MessagesEdgeTest, AWholeAnswerToAStreamRequestReachesTheClientAsAStream) {
  ScriptedResponse whole;
  whole.body = fakes::ChatCompletionJson("chat-model", "all at once", 11, 5, 3);
  upstream_.Enqueue(whole);
  std::string body = kMessagesBody;
  body.insert(1, R"("stream":true,)");
  HttpResponse r = Messages(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(r.body.find("event: message_start"), 0u) << r.body;
  EXPECT_NE(r.body.find("all at once"), std::string::npos);
  EXPECT_NE(r.body.find("event: message_stop"), std::string::npos);
}

TEST_F(MessagesEdgeTest, CutMidStreamBecomesAnErrorEvent) {
  ScriptedResponse cut;
  cut.stream_chunks = fakes::ChatCompletionStream("m", {"a", "b", "c"}, false);
  cut.cut_after_chunks = 2;
  upstream_.Enqueue(cut);
  std::string body = kMessagesBody;
  body.insert(1, R"("stream":true,)");
  HttpResponse r = Messages(body);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("event: error"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("message_stop"), std::string::npos);
}

TEST_F(MessagesEdgeTest, CountTokensAndRootProbe) {
  HttpResponse r = Messages(R"({"model":"m","messages":[{"role":"user","content":"hello there"}]})",
                            "/v1/messages/count_tokens?beta=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GT(Json(r.body).at("input_tokens").as_int64(), 0);
  EXPECT_EQ(HttpRequest(stack_.edge_port(), "HEAD", "/").status, 200);
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

}  // namespace
}  // namespace agentgate::testing

namespace agentgate::testing {
namespace {

// Codex's protocol (OpenAI Responses) converted to a Chat Completions provider.
class ResponsesEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "chat-model");
  }
  HttpResponse Responses(const std::string& body, std::map<std::string, std::string> headers = {}) {
    headers["authorization"] = "Bearer " + stack_.token();
    return HttpRequest(stack_.edge_port(), "POST", "/v1/responses", body, headers);
  }
  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(ResponsesEdgeTest, StreamingTurnEndsWithResponseCompleted) {
  HttpResponse r = Responses(R"({"model":"gpt-5-codex","stream":true,"input":"say pong"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("event: response.created"), 0u);
  EXPECT_NE(r.body.find("pong from chat-model"), std::string::npos);
  EXPECT_NE(r.body.find("event: response.completed"), std::string::npos);
  EXPECT_NE(r.body.find("\"id\":\"resp_"), std::string::npos);
}

// Codex compacts on context_length_exceeded, which OpenAI streams as response.failed.
TEST_F(ResponsesEdgeTest, AContextOverflowIsContextLengthExceededAsCodexReadsIt) {
  ScriptedResponse overflow;
  overflow.status = 400;
  overflow.body =
      R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your )"
      R"(messages resulted in 150000 tokens.","type":"invalid_request_error","param":"messages",)"
      R"("code":"context_length_exceeded"}})";
  upstream_.Enqueue(overflow);
  HttpResponse r = Responses(R"({"model":"gpt-5-codex","stream":true,"input":"say pong"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(r.body.find("event: response.created"), 0u) << r.body;
  size_t failed = r.body.find("event: response.failed\ndata: ");
  ASSERT_NE(failed, std::string::npos) << r.body;
  auto ev = Json(r.body.substr(failed + 29, r.body.find('\n', failed + 29) - failed - 29));
  EXPECT_EQ(ev.at("response").at("error").at("code").as_string(), "context_length_exceeded");

  upstream_.Enqueue(overflow);
  HttpResponse plain = Responses(R"({"model":"gpt-5-codex","input":"say pong"})");
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(Json(plain.body).at("error").at("code").as_string(), "context_length_exceeded");
}

TEST_F(ResponsesEdgeTest, NonStreamingTurnIsAResponseObject) {
  HttpResponse r = Responses(R"({"model":"gpt-5-codex","input":"say pong"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = Json(r.body);
  EXPECT_EQ(v.at("object").as_string(), "response");
  EXPECT_EQ(v.at("output").at(0).at("content").at(0).at("text").as_string(),
            "pong from chat-model");
}

TEST_F(ResponsesEdgeTest, WebSocketUpgradeGets426AndBadInput400) {
  // Codex sends its key with the WebSocket attempt too; without one it is a 401 like any request.
  HttpResponse ws = HttpRequest(stack_.edge_port(), "GET", "/v1/responses", "",
                                {{"upgrade", "websocket"},
                                 {"connection", "Upgrade"},
                                 {"authorization", "Bearer " + stack_.token()}});
  EXPECT_EQ(ws.status, 426);
  EXPECT_EQ(HttpRequest(stack_.edge_port(), "GET", "/v1/responses", "",
                        {{"upgrade", "websocket"}, {"connection", "Upgrade"}})
                .status,
            401);
  HttpResponse bad = Responses(R"({"model":"m"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(Json(bad.body).at("error").at("message").as_string().find("input"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::testing

namespace agentgate::testing {
namespace {

// Gemini CLI's protocol converted to a Chat Completions provider.
class GeminiEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "chat-model");
  }
  HttpResponse Gemini(const std::string& target, const std::string& body) {
    return HttpRequest(stack_.edge_port(), "POST", target, body,
                       {{"x-goog-api-key", stack_.token()}});
  }
  FakeUpstream upstream_;
  Stack stack_;
};

constexpr char kGeminiBody[] = R"({"contents":[{"role":"user","parts":[{"text":"say pong"}]}]})";

TEST_F(GeminiEdgeTest, StreamAndNonStream) {
  HttpResponse s =
      Gemini("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", kGeminiBody);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_NE(s.body.find("{\"text\":\"chat-\"}"), std::string::npos) << s.body;
  EXPECT_NE(s.body.find("\"finishReason\":\"STOP\""), std::string::npos);
  EXPECT_EQ(s.body.find("[DONE]"), std::string::npos);
  HttpResponse n = Gemini("/v1beta/models/gemini-2.5-pro:generateContent", kGeminiBody);
  ASSERT_EQ(n.status, 200) << n.body;
  EXPECT_EQ(
      Json(n.body).at("candidates").at(0).at("content").at("parts").at(0).at("text").as_string(),
      "pong from chat-model");
}

TEST_F(GeminiEdgeTest, CountTokensModelsListAndErrors) {
  HttpResponse c = Gemini("/v1beta/models/m:countTokens", kGeminiBody);
  ASSERT_EQ(c.status, 200);
  EXPECT_GT(Json(c.body).at("totalTokens").as_int64(), 0);
  HttpResponse list =
      HttpRequest(stack_.edge_port(), "GET", "/v1beta/models?key=" + stack_.token());
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list.body).at("models").at(0).at("name").as_string(), "models/chat-model");
  HttpResponse bad = Gemini("/v1beta/models/m:generateContent", "{}");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad.body).at("error").at("status").as_string(), "INVALID_ARGUMENT");
  HttpResponse unauth = HttpRequest(stack_.edge_port(), "POST", "/v1beta/models/m:generateContent",
                                    kGeminiBody, {{"x-goog-api-key", "nope"}});
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(Json(unauth.body).at("error").at("status").as_string(), "UNAUTHENTICATED");
  EXPECT_EQ(Gemini("/v1beta/models/m:frobnicate", kGeminiBody).status, 404);
}

}  // namespace
}  // namespace agentgate::testing

namespace agentgate::testing {
namespace {

// Clients reaching a provider in their own protocol: bodies pass with only the model replaced,
// the provider's key goes where that protocol expects it, usage is still recorded.
class PassThroughEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override { stack_.Start(); }
  admin::v1::Provider Add(const std::string& type, const std::string& name,
                          const std::string& anthropic_url, const std::string& responses_url) {
    admin::v1::CreateProviderRequest req;
    auto* p = req.mutable_provider();
    p->set_name(name);
    p->set_type(type);
    p->set_base_url(upstream_.base_url());
    p->set_default_model("native-model");
    p->set_anthropic_url(anthropic_url);
    p->set_responses_url(responses_url);
    req.set_api_key("sk-native-key");
    admin::v1::Provider resp;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->CreateProvider(ctx.get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }
  int64_t LoggedInputTokens() {
    admin::v1::ListRequestLogsResponse logs;
    int64_t tokens = -1;
    WaitFor([&] {
      logs.Clear();
      auto ctx = stack_.AdminContext();
      if (!stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() || logs.logs_size() == 0) {
        return false;
      }
      tokens = logs.logs(0).input_tokens();
      return true;
    });
    return tokens;
  }
  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(PassThroughEdgeTest, MessagesToAnAnthropicEndpoint) {
  Add("custom_openai_compatible", "ds", upstream_.base_url() + "/anthropic", "");
  std::string body =
      R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"x_unknown":{"a":1},)"
      R"("messages":[{"role":"user","content":"say pong"}]})";
  HttpResponse r = HttpRequest(stack_.edge_port(), "POST", "/v1/messages?beta=true", body,
                               {{"authorization", "Bearer " + stack_.token()},
                                {"anthropic-beta", "interleaved-thinking-2025-05-14"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("event: message_stop"), std::string::npos);
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/anthropic/v1/messages");
  EXPECT_EQ(up.headers.at("x-api-key"), "sk-native-key");
  EXPECT_EQ(up.headers.count("authorization"), 0u);
  EXPECT_EQ(up.headers.at("anthropic-version"), "2023-06-01");
  EXPECT_EQ(up.headers.at("anthropic-beta"), "interleaved-thinking-2025-05-14");
  auto sent = Json(up.body);
  EXPECT_EQ(sent.at("model").as_string(), "native-model");
  EXPECT_EQ(sent.at("x_unknown").at("a").as_int64(), 1);  // nothing else changed
  EXPECT_EQ(LoggedInputTokens(), 11);  // 8 uncached + 3 cache reads, OpenAI convention
}

// count_tokens goes to the provider that would serve the request when it speaks Messages; a
// provider that fails leaves the local estimate.
TEST_F(PassThroughEdgeTest, CountTokensAskTheMessagesProvider) {
  Add("custom_openai_compatible", "ds", upstream_.base_url() + "/anthropic", "");
  const std::string body =
      R"({"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"count me"}]})";
  auto count = [&] {
    HttpResponse r = HttpRequest(stack_.edge_port(), "POST", "/v1/messages/count_tokens?beta=true",
                                 body, {{"x-api-key", stack_.token()}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r.body).at("input_tokens").as_int64();
  };
  EXPECT_EQ(count(), 11);  // the fake's count
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/anthropic/v1/messages/count_tokens");
  EXPECT_EQ(up.headers.at("x-api-key"), "sk-native-key");
  EXPECT_EQ(Json(up.body).at("model").as_string(), "native-model");

  ScriptedResponse fail;
  fail.status = 404;
  fail.body = R"({"type":"error","error":{"type":"not_found_error","message":"no such endpoint"}})";
  upstream_.Enqueue(fail);
  int64_t local = count();
  EXPECT_GT(local, 0);
  EXPECT_NE(local, 11);
}

TEST_F(PassThroughEdgeTest, ResponsesToAResponsesEndpoint) {
  Add("custom_openai_compatible", "oa", "", upstream_.base_url() + "/v1");
  HttpResponse r = HttpRequest(stack_.edge_port(), "POST", "/v1/responses",
                               R"({"model":"gpt-5","stream":true,"input":"say pong"})",
                               {{"authorization", "Bearer " + stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("event: response.completed"), std::string::npos);
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/v1/responses");
  EXPECT_EQ(up.headers.at("authorization"), "Bearer sk-native-key");
  EXPECT_EQ(LoggedInputTokens(), 11);
}

TEST_F(PassThroughEdgeTest, GeminiToAGeminiProvider) {
  Add("google_gemini", "gem", "", "");
  HttpResponse r = HttpRequest(stack_.edge_port(), "POST",
                               "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                               R"({"contents":[{"role":"user","parts":[{"text":"say pong"}]}]})",
                               {{"x-goog-api-key", stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("finishReason"), std::string::npos);
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/v1beta/models/native-model:streamGenerateContent?alt=sse");
  EXPECT_EQ(up.headers.at("x-goog-api-key"), "sk-native-key");
  EXPECT_EQ(LoggedInputTokens(), 11);
}

TEST_F(PassThroughEdgeTest, ChatClientToANativeAnthropicProviderByConversion) {
  Add("anthropic", "claude", "", "");
  HttpResponse r = stack_.Chat(ChatBody("m"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto answer = Json(r.body);
  EXPECT_EQ(answer.at("object").as_string(), "chat.completion");
  EXPECT_EQ(answer.at("choices").at(0).at("message").at("content").as_string(),
            "pong from native-model");
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/v1/messages");
  EXPECT_EQ(up.headers.at("x-api-key"), "sk-native-key");
  EXPECT_EQ(up.headers.at("anthropic-version"), "2023-06-01");
  auto sent = Json(up.body);
  EXPECT_EQ(sent.at("model").as_string(), "native-model");
  EXPECT_GT(sent.at("max_tokens").as_int64(), 0);  // Messages requires it
  EXPECT_EQ(LoggedInputTokens(), 11);

  HttpResponse s = stack_.Chat(ChatBody("m", /*stream=*/true));
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_NE(s.body.find("chat.completion.chunk"), std::string::npos);
  EXPECT_NE(s.body.find("data: [DONE]"), std::string::npos);
}

// MiniMax sends its reasoning inside the content as <think>…</think>: Claude Code gets it as a
// thinking block, and the answer without the tags.
TEST_F(PassThroughEdgeTest, MiniMaxThinkTagsBecomeAThinkingBlock) {
  Add("minimax", "mm", "", "");
  ScriptedResponse s;
  s.stream_chunks = {
      R"(data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"<think>\nplan"}}]})"
      "\n\n",
      R"(data: {"id":"c","choices":[{"index":0,"delta":{"content":"</think>\n\npong"},"finish_reason":"stop"}]})"
      "\n\n",
      "data: [DONE]\n\n"};
  upstream_.Enqueue(s);
  HttpResponse r = HttpRequest(
      stack_.edge_port(), "POST", "/v1/messages",
      R"({"model":"m","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]})",
      {{"x-api-key", stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("thinking":"\nplan")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("text":"pong")"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("think>"), std::string::npos) << r.body;
}

// Codex on an `anthropic`-type and a `google_gemini`-type provider: the Responses request is
// converted to the native protocol and the native stream back to Responses events.
TEST_F(PassThroughEdgeTest, ResponsesClientToNativeMessagesAndGeminiProviders) {
  const std::string body =
      R"({"model":"gpt-5-codex","stream":true,"instructions":"You are Codex.",)"
      R"("input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"say pong"}]}],)"
      R"("tools":[{"type":"function","name":"shell","parameters":{"type":"object","properties":{}}},)"
      R"({"type":"web_search"}],"reasoning":{"effort":"medium"}})";
  Add("anthropic", "claude", "", "");
  HttpResponse r = HttpRequest(stack_.edge_port(), "POST", "/v1/responses", body,
                               {{"authorization", "Bearer " + stack_.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("event: response.completed"), std::string::npos);
  EXPECT_NE(r.body.find("pong from native-model"), std::string::npos);
  auto up = upstream_.Received().at(0);
  EXPECT_EQ(up.target, "/v1/messages");
  auto sent = Json(up.body);
  EXPECT_EQ(sent.at("system").at(0).at("text").as_string(), "You are Codex.");
  EXPECT_EQ(sent.at("tools").at(0).at("name").as_string(), "shell");
  EXPECT_EQ(sent.at("stream").as_bool(), true);

  // The hosted web_search tool cannot be carried: the request record says so.
  admin::v1::ListRequestLogsResponse logs;
  WaitFor([&] {
    logs.Clear();
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() && logs.logs_size() == 1;
  });
  ASSERT_EQ(logs.logs_size(), 1);
  ASSERT_GT(logs.logs(0).conversion_losses_size(), 0);
  EXPECT_NE(logs.logs(0).conversion_losses(0).find("web_search"), std::string::npos);

  // Now the same request to a Gemini-type provider only.
  auto ctx = stack_.AdminContext();
  admin::v1::DeleteProviderRequest del;
  del.set_name("claude");
  admin::v1::DeleteProviderResponse deleted;
  ASSERT_TRUE(stack_.Admin()->DeleteProvider(ctx.get(), del, &deleted).ok());
  Add("google_gemini", "gem", "", "");
  HttpResponse g = HttpRequest(stack_.edge_port(), "POST", "/v1/responses", body,
                               {{"authorization", "Bearer " + stack_.token()}});
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_NE(g.body.find("event: response.completed"), std::string::npos);
  EXPECT_NE(g.body.find("pong from native-model"), std::string::npos);
  auto gup = upstream_.Received().at(1);
  EXPECT_EQ(gup.target, "/v1beta/models/native-model:streamGenerateContent?alt=sse");
  EXPECT_EQ(gup.headers.at("x-goog-api-key"), "sk-native-key");
  auto gsent = Json(gup.body);
  EXPECT_EQ(gsent.at("systemInstruction").at("parts").at(0).at("text").as_string(),
            "You are Codex.");
  EXPECT_EQ(gsent.at("contents").at(0).at("role").as_string(), "user");
}

}  // namespace
}  // namespace agentgate::testing
