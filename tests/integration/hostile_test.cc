// Hostile input through the real processes: what a token holder or a misbehaving provider can
// send, and what each must get. Every case asserts the exact status, the error in the client's
// own protocol, what the provider received, and that the edge is the same process afterwards.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
using fakes::RawResponse;
using fakes::ScriptedResponse;
using namespace std::chrono_literals;

boost::json::value Json(const std::string& s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  EXPECT_FALSE(ec) << "not JSON: " << s;
  return v;
}

// The error message of an OpenAI-style ({"error":{"message"}}), Messages-style
// ({"type":"error","error":{"message"}}) or Gemini-style ({"error":{"code","message"}}) body.
std::string ErrorMessage(const std::string& body) {
  auto v = Json(body);
  if (!v.is_object()) return "";
  const auto* e = v.as_object().if_contains("error");
  if (e == nullptr || !e->is_object() || !e->as_object().contains("message")) return "";
  return std::string(e->at("message").as_string());
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    edge_pid_ = stack_.pid("edge");
    ASSERT_GT(edge_pid_, 0);
  }
  void TearDown() override { ExpectSameEdge(); }

  // The edge that started is the one still serving: nothing above killed it.
  void ExpectSameEdge() {
    EXPECT_EQ(::kill(edge_pid_, 0), 0) << "the edge process died";
    EXPECT_EQ(stack_.pid("edge"), edge_pid_);
    HttpResponse h = HttpRequest(stack_.edge_port(), "GET", "/health");
    EXPECT_EQ(h.status, 200) << h.error << h.body;
  }

  void AddProvider(const std::string& type, const std::string& name,
                   const std::map<std::string, std::string>& model_map = {},
                   uint32_t timeout_ms = 0) {
    admin::v1::CreateProviderRequest req;
    auto* p = req.mutable_provider();
    p->set_name(name);
    p->set_type(type);
    p->set_base_url(upstream_.base_url());
    p->set_default_model("native-model");
    if (timeout_ms > 0) p->set_timeout_ms(timeout_ms);
    for (const auto& [k, v] : model_map) (*p->mutable_model_map())[k] = v;
    req.set_api_key("sk-provider-key");
    admin::v1::Provider resp;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->CreateProvider(ctx.get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    std::map<std::string, std::string> headers = {},
                    std::chrono::milliseconds timeout = 20s) {
    headers.emplace("authorization", "Bearer " + stack_.token());
    headers.emplace("anthropic-version", "2023-06-01");
    return HttpRequest(stack_.edge_port(), "POST", path, body, headers, timeout);
  }

  std::vector<admin::v1::RequestLog> Logs(size_t at_least) {
    admin::v1::ListRequestLogsResponse logs;
    WaitFor([&] {
      logs.Clear();
      auto ctx = stack_.AdminContext();
      return stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() &&
             static_cast<size_t>(logs.logs_size()) >= at_least;
    });
    return {logs.logs().begin(), logs.logs().end()};
  }

  FakeUpstream upstream_;
  Stack stack_;
  pid_t edge_pid_ = 0;
};

constexpr char kChatPath[] = "/v1/chat/completions";

// 1. A duplicate "messages" (escaped) routed to a provider that needs conversion killed the edge:
// the scan saw an array, the DOM kept the number. Now: 400 in the client's protocol, nothing sent.
TEST_F(HostileTest, DuplicateMessagesThroughConversionIs400) {
  AddProvider("anthropic", "claude");  // Chat client -> Messages provider: converted
  HttpResponse r = Post(
      kChatPath, R"({"model":"m","messages":[{"role":"user","content":"hi"}],"mess\u0061ges":0})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("duplicate member name \"messages\""), std::string::npos)
      << r.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
  // The same member repeated plainly, deep inside, and in a Messages client's body.
  r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"a","content":"b"}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = Post("/v1/messages",
           R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],)"
           R"("max_tok\u0065ns":100000})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r.body).at("type").as_string(), "error");  // Messages' own error shape
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

// 2. Routing, budget and pricing used the first "model", the provider got the second.
TEST_F(HostileTest, DuplicateModelIs400OnPassThrough) {
  AddProvider("custom_openai_compatible", "openai-like");
  for (const char* body :
       {R"({"model":"cheap","messages":[{"role":"user","content":"hi"}],"mod\u0065l":"gpt-x"})",
        R"({"model":"cheap","model":"gpt-x","messages":[]})"}) {
    HttpResponse r = Post(kChatPath, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(ErrorMessage(r.body).find("duplicate member name \"model\""), std::string::npos);
  }
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

// 3. A model with a line break reached the Gemini request line; "../", "?", "#" its path.
TEST_F(HostileTest, ModelNamesCannotReachTheProvidersRequestLine) {
  AddProvider("google_gemini", "gemini", {{"pick-me", "../../v1/files?alt=x#frag"}});
  HttpResponse r = Post(
      kChatPath, R"({"model":"m\r\nX-Injected: 1","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("control characters"), std::string::npos) << r.body;
  r = Post(kChatPath, R"({"model":")" + std::string(300, 'm') +
                          R"(","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("at most 256 bytes"), std::string::npos) << r.body;
  // In a Gemini client's path, escaped.
  r = Post("/v1beta/models/m%0D%0AX-Injected:%201:generateContent",
           R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Json(r.body).at("error").at("code").as_int64(), 400);  // Gemini's error shape
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
  // A mapped model with path characters reaches the provider as one encoded segment.
  r = Post(kChatPath, R"({"model":"pick-me","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(upstream_.ReceivedCount(), 1u);
  EXPECT_EQ(upstream_.Received()[0].target,
            "/v1beta/models/..%2F..%2Fv1%2Ffiles%3Falt%3Dx%23frag:generateContent");
}

// 4. An interim 103 before the answer: the client got a bare 103 and the next request on that
// connection got the previous request's answer. Now the 103 is skipped and answers stay paired.
TEST_F(HostileTest, InterimResponsesAreSkippedAndAnswersStayPaired) {
  AddProvider("custom_openai_compatible", "openai-like");
  ScriptedResponse early;
  early.raw =
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n" +
      RawResponse(200, "OK", {{"Content-Type", "application/json"}},
                  fakes::ChatCompletionJson("m", "first answer", 11, 5, 0));
  upstream_.Enqueue(early);
  HttpResponse r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).at("choices").at(0).at("message").at("content").as_string(),
            "first answer");
  upstream_.Enqueue({.body = fakes::ChatCompletionJson("m", "second answer", 11, 5, 0)});
  r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"2"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).at("choices").at(0).at("message").at("content").as_string(),
            "second answer");
}

// Bytes past the Content-Length (here a whole forged answer) are never read as the next answer:
// the connection is closed, not pooled.
TEST_F(HostileTest, BytesAfterTheAnswerNeverReachTheNextRequest) {
  AddProvider("custom_openai_compatible", "openai-like");
  ScriptedResponse smuggler;
  smuggler.raw = RawResponse(200, "OK", {{"Content-Type", "application/json"}},
                             fakes::ChatCompletionJson("m", "mine", 11, 5, 0)) +
                 RawResponse(200, "OK", {{"Content-Type", "application/json"}},
                             fakes::ChatCompletionJson("m", "FORGED for the next user", 11, 5, 0));
  upstream_.Enqueue(smuggler);
  HttpResponse r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).at("choices").at(0).at("message").at("content").as_string(), "mine");
  for (int i = 0; i < 3; ++i) {
    r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"2"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.find("FORGED"), std::string::npos) << r.body;
  }
  // The same forged answer sent a moment later, while the connection sits in the pool.
  ScriptedResponse late;
  late.raw = RawResponse(200, "OK", {{"Content-Type", "application/json"}},
                         fakes::ChatCompletionJson("m", "mine again", 11, 5, 0));
  upstream_.Enqueue(late);
  r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"3"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
}

// A compressed answer reaches the client decoded (never compressed bytes labelled JSON), through
// pass-through and through conversion; the gateway asked for identity.
TEST_F(HostileTest, CompressedAnswersAreDecoded) {
  AddProvider("custom_openai_compatible", "openai-like");
  std::string json = fakes::ChatCompletionJson("m", "unzipped", 11, 5, 0);
  ScriptedResponse gz;
  gz.raw =
      RawResponse(200, "OK", {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}},
                  fakes::Gzip(json));
  upstream_.Enqueue(gz);
  HttpResponse r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.count("content-encoding"), 0u);
  EXPECT_EQ(Json(r.body).at("choices").at(0).at("message").at("content").as_string(), "unzipped");
  EXPECT_EQ(upstream_.Received().back().headers.at("accept-encoding"), "identity");
  // Claude Code's request converted to Chat, the gzip answer converted back to Messages.
  upstream_.Enqueue(gz);
  r = Post("/v1/messages",
           R"({"model":"m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r.body).at("content").at(0).at("text").as_string(), "unzipped");
  // A coding it cannot decode: 502 naming it.
  ScriptedResponse br;
  br.raw = RawResponse(200, "OK",
                       {{"Content-Type", "application/json"}, {"Content-Encoding", "br"}}, "x");
  upstream_.Enqueue(br);
  r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("Content-Encoding 'br'"), std::string::npos) << r.body;
}

// A 3xx was relayed as success. A redirect is never followed (it could carry the key elsewhere).
TEST_F(HostileTest, RedirectsAre502AndNotFollowed) {
  AddProvider("custom_openai_compatible", "openai-like");
  upstream_.Enqueue({.status = 302,
                     .headers = {{"Location", "http://169.254.169.254/latest/meta-data"}},
                     .body = ""});
  HttpResponse r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("redirect to 'http://169.254.169.254/latest/meta-data'"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 1u);
}

// A 204 with text/event-stream became a chunked 204. Now: 502, no answer is not an answer.
TEST_F(HostileTest, NoContentToAStreamingRequestIs502) {
  AddProvider("custom_openai_compatible", "openai-like");
  upstream_.Enqueue({.status = 204, .content_type = "text/event-stream", .body = ""});
  HttpResponse r =
      Post(kChatPath, R"({"model":"m","stream":true,"messages":[{"role":"user","content":"1"}]})");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(r.headers.count("transfer-encoding"), 0u);
  EXPECT_NE(ErrorMessage(r.body).find("HTTP 204 without an answer"), std::string::npos) << r.body;
}

// A non-streaming answer that trickles a byte at a time no longer holds a request forever: the
// provider's timeout bounds the whole answer.
TEST_F(HostileTest, TricklingAnswerHitsATotalDeadline) {
  AddProvider("custom_openai_compatible", "openai-like", {}, /*timeout_ms=*/1500);
  ScriptedResponse trickle;
  const std::string body = fakes::ChatCompletionJson("m", "slow", 11, 5, 0);
  trickle.raw = RawResponse(200, "OK", {{"Content-Type", "application/json"}}, body);
  trickle.raw_first = trickle.raw.size() - body.size();  // the head at once
  trickle.raw_piece = 8;
  trickle.raw_interval = 200ms;  // each piece well inside the timeout, the whole far beyond
  upstream_.Enqueue(trickle);
  auto start = std::chrono::steady_clock::now();
  HttpResponse r =
      Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})", {}, 30s);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.status == 504 || r.status == 502) << r.status << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("did not finish its answer within 1500 ms"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(upstream_.ReceivedCount(), 1u) << "a timeout of a whole answer is not retried here";
  EXPECT_LT(took, 10s);
}

// A client that leaves while the provider thinks cancels the attempt at once (the provider's
// connection is closed), is recorded as 499, and is not held against the provider.
TEST_F(HostileTest, ClientThatLeavesCancelsTheUpstreamAtOnce) {
  AddProvider("custom_openai_compatible", "openai-like");
  upstream_.Enqueue(
      {.body = fakes::ChatCompletionJson("m", "late", 11, 5, 0), .delay_before_headers = 8s});
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"1"}]})";
  {
    // The client sends its request and gives up after half a second.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"),
               static_cast<unsigned short>(stack_.edge_port())});
    boost::asio::write(
        s, boost::asio::buffer("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Bearer " +
                               stack_.token() +
                               "\r\nContent-Type: application/json\r\n"
                               "Content-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body));
    std::this_thread::sleep_for(500ms);
  }
  auto logs = Logs(1);
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(logs[0].status(), 499);
  EXPECT_LT(logs[0].latency_ms(), 3000) << "noticed at once, not when the provider answered";
  ASSERT_EQ(logs[0].tried_size(), 1);
  EXPECT_EQ(logs[0].tried(0).outcome(), "client_gone");
  // The provider stays available: the next request is served.
  HttpResponse next = Post(kChatPath, body);
  EXPECT_EQ(next.status, 200) << next.body;
}

// Raw bytes on a new connection; returns what the edge sent back until `until_seen` arrived
// (empty: a whole small answer, header and JSON), the connection closed or `wait` passed.
std::string RawExchange(int port, const std::string& request, std::chrono::milliseconds wait,
                        const std::string& until_seen = "") {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  boost::asio::write(s, boost::asio::buffer(request));
  std::string got;
  auto done = [&] {
    if (!until_seen.empty()) return got.find(until_seen) != std::string::npos;
    return got.find("\r\n\r\n") != std::string::npos && got.find('}') != std::string::npos;
  };
  auto until = std::chrono::steady_clock::now() + wait;
  while (!done() && std::chrono::steady_clock::now() < until) {
    pollfd p{s.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    boost::system::error_code ec;
    size_t n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  return got;
}

// 5. Without the token, a request announcing a 30 MB body gets its 401 before sending a byte of
// it; the refusal is recorded with its path cut short.
TEST_F(HostileTest, UnauthenticatedBodiesAreNeverRead) {
  std::string got = RawExchange(stack_.edge_port(),
                                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nContent-Length: 30000000\r\n"
                                "Expect: 100-continue\r\n\r\n",
                                3s);
  EXPECT_EQ(got.rfind("HTTP/1.1 401", 0), 0u) << got;
  EXPECT_NE(got.find("\"type\":\"error\""), std::string::npos) << "Messages' shape: " << got;
  std::string path = "/v1/" + std::string(60000, 'p');
  got = RawExchange(stack_.edge_port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 3s);
  EXPECT_EQ(got.rfind("HTTP/1.1 401", 0), 0u) << got.substr(0, 200);
  auto logs = Logs(2);
  ASSERT_GE(logs.size(), 2u);
  for (const auto& l : logs) {
    EXPECT_EQ(l.status(), 401);
    EXPECT_LE(l.path().size(), 300u);
  }
}

// 6. DNS rebinding: a loopback edge does not serve "Host: evil.example"; a web page's Origin is
// refused and no CORS header is ever sent; /metrics needs the token.
TEST_F(HostileTest, HostOriginAndMetricsAreGuarded) {
  AddProvider("custom_openai_compatible", "openai-like");
  std::string body = R"({"model":"m","messages":[{"role":"user","content":"1"}]})";
  HttpResponse r = Post(kChatPath, body, {{"host", "evil.example"}});
  EXPECT_EQ(r.status, 421) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("does not serve the host 'evil.example'"), std::string::npos);
  r = Post(kChatPath, body, {{"host", "localhost:9090"}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = Post(kChatPath, body, {{"origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403) << r.body;
  for (const auto& [name, value] : r.headers) {
    EXPECT_EQ(name.rfind("access-control-", 0), std::string::npos) << name;
  }
  EXPECT_EQ(upstream_.ReceivedCount(), 1u);
  EXPECT_EQ(HttpRequest(stack_.edge_port(), "GET", "/metrics").status, 401);
  HttpResponse m = HttpRequest(stack_.edge_port(), "GET", "/metrics", "",
                               {{"authorization", "Bearer " + stack_.token()}});
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("agentgate_requests_total"), std::string::npos);
}

// Bodies that are not what they claim: each a 400 in the client's protocol, nothing sent.
TEST_F(HostileTest, MalformedBodiesAre400InTheirProtocol) {
  AddProvider("anthropic", "claude");
  struct Case {
    std::string path, body;
  } cases[] = {
      {kChatPath, R"({"model":"m","messages":0})"},
      {kChatPath, R"({"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"})"},
      {kChatPath, R"({"model":7,"messages":[]})"},
      {kChatPath, "[1,2,3]"},
      {kChatPath, R"({"model":"m","messages":[1e999]})"},
      {kChatPath, std::string(40, '[') + std::string(40, ']')},
      {"/v1/messages", R"({"model":["m"],"max_tokens":1,"messages":[]})"},
      {"/v1/messages", R"({"model":"m","max_tokens":1,"messages":[],"stream":1})"},
      {"/v1/responses", R"({"model":"m","input":"hi","input":[]})"},
      {"/v1beta/models/m:generateContent", R"({"contents":[],"contents":{}})"},
      {"/v1beta/models/m%zz:generateContent", R"({"contents":[]})"},
  };
  for (const auto& c : cases) {
    HttpResponse r = Post(c.path, c.body);
    EXPECT_EQ(r.status, 400) << c.path << " " << c.body << " -> " << r.body;
    EXPECT_FALSE(ErrorMessage(r.body).empty()) << r.body;
  }
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

// Request smuggling: a body framed both by Content-Length and chunked encoding is refused, and
// the bytes after it are never run as a second request.
TEST_F(HostileTest, AmbiguousFramingIsRefusedAndNothingIsSmuggled) {
  AddProvider("custom_openai_compatible", "openai-like");
  std::string inner = R"({"model":"m","messages":[{"role":"user","content":"smuggled"}]})";
  std::string smuggled =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      stack_.token() + "\r\nContent-Length: " + std::to_string(inner.size()) + "\r\n\r\n" + inner;
  std::string got = RawExchange(
      stack_.edge_port(),
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
          stack_.token() + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "0\r\n\r\n" + smuggled,
      2s);
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

// Two requests written at once on one connection (pipelining): each gets its own answer, in
// order.
TEST_F(HostileTest, PipelinedRequestsEachGetTheirOwnAnswer) {
  AddProvider("custom_openai_compatible", "openai-like");
  upstream_.Enqueue({.body = fakes::ChatCompletionJson("m", "answer one", 11, 5, 0)});
  upstream_.Enqueue({.body = fakes::ChatCompletionJson("m", "answer two", 11, 5, 0)});
  auto request = [&](const std::string& text) {
    std::string body = R"({"model":"m","messages":[{"role":"user","content":")" + text + R"("}]})";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
           stack_.token() + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
  };
  std::string got = RawExchange(stack_.edge_port(), request("1") + request("2"), 5s, "answer two");
  size_t one = got.find("answer one"), two = got.find("answer two");
  ASSERT_NE(one, std::string::npos) << got;
  ASSERT_NE(two, std::string::npos) << got;
  EXPECT_LT(one, two);
}

// What a provider sends that the gateway cannot use as an answer: a 502 naming it, the edge
// unharmed.
TEST_F(HostileTest, UnusableProviderAnswersAre502) {
  AddProvider("anthropic", "claude");  // Chat client -> Messages provider: the answer is parsed
  ScriptedResponse dup;
  dup.body = R"({"id":"msg_1","type":"message","role":"assistant","content":[],)"
             R"("content":[{"type":"text","text":"twice"}],"stop_reason":"end_turn",)"
             R"("usage":{"input_tokens":1,"output_tokens":1}})";
  upstream_.Enqueue(dup);
  HttpResponse r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("could not be read"), std::string::npos) << r.body;
  // A head larger than any provider sends.
  ScriptedResponse huge;
  huge.raw = RawResponse(
      200, "OK", {{"Content-Type", "application/json"}, {"X-Junk", std::string(20000, 'j')}}, "{}");
  upstream_.Enqueue(huge);
  upstream_.Enqueue(huge);
  upstream_.Enqueue(huge);
  r = Post(kChatPath, R"({"model":"m","messages":[{"role":"user","content":"1"}]})");
  EXPECT_EQ(r.status, 502) << r.body;
}

// A compressed request body is refused, not parsed as JSON.
TEST_F(HostileTest, CompressedRequestBodiesAre415) {
  AddProvider("custom_openai_compatible", "openai-like");
  HttpResponse r = Post(kChatPath, fakes::Gzip(R"({"model":"m","messages":[]})"),
                        {{"content-encoding", "gzip"}});
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_NE(ErrorMessage(r.body).find("Content-Encoding 'gzip'"), std::string::npos);
  EXPECT_EQ(upstream_.ReceivedCount(), 0u);
}

}  // namespace
}  // namespace agentgate::testing
