#include "tests/fakes/fake_upstream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace agentgate::fakes {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A small synchronous HTTP/1.1 client holding one connection.
class Client {
 public:
  explicit Client(int port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<uint16_t>(port)));
  }

  void Send(Request req) {
    req.prepare_payload();
    http::write(socket_, req);
  }

  Response Read(beast::error_code& ec) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    http::read(socket_, buffer_, parser, ec);
    return parser.release();
  }

  Response Do(Request req) {
    Send(std::move(req));
    beast::error_code ec;
    Response res = Read(ec);
    EXPECT_FALSE(ec) << ec.message();
    return res;
  }

  tcp::socket& socket() { return socket_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Request MakeRequest(http::verb verb, const std::string& target, const std::string& body = {}) {
  Request req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!body.empty() || verb == http::verb::post) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  return req;
}

Request ChatRequest(const std::string& model, bool stream, bool include_usage = false) {
  json::object body{{"model", model},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", "ping"}}}}};
  if (stream) {
    body["stream"] = true;
    if (include_usage) body["stream_options"] = json::object{{"include_usage", true}};
  }
  return MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body));
}

std::vector<std::string> SplitFrames(const std::string& body) {
  std::vector<std::string> frames;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) {
      frames.push_back(body.substr(pos));
      break;
    }
    frames.push_back(body.substr(pos, end + 2 - pos));
    pos = end + 2;
  }
  return frames;
}

json::object FrameJson(const std::string& frame) {
  EXPECT_EQ(frame.rfind("data: ", 0), 0u) << frame;
  return json::parse(frame.substr(6)).as_object();
}

// Checks a default stream body and returns the concatenated content.
std::string CheckDefaultStream(const std::string& body, int deltas, bool include_usage,
                               const std::string& model) {
  const auto frames = SplitFrames(body);
  const std::size_t expected =
      1 + static_cast<std::size_t>(deltas) + 1 + (include_usage ? 1 : 0) + 1;
  EXPECT_EQ(frames.size(), expected) << body;
  if (frames.size() != expected) return {};
  EXPECT_EQ(frames.back(), "data: [DONE]\n\n");

  json::object role = FrameJson(frames[0]);
  EXPECT_EQ(role["object"], "chat.completion.chunk");
  EXPECT_EQ(role["model"], model.c_str());
  EXPECT_EQ(role["choices"].at(0).at("delta").at("role"), "assistant");
  EXPECT_EQ(role["choices"].at(0).at("delta").at("content"), "");

  std::string content;
  for (int i = 1; i <= deltas; ++i) {
    json::object c = FrameJson(frames[static_cast<std::size_t>(i)]);
    const auto& choice = c["choices"].at(0);
    EXPECT_TRUE(choice.at("finish_reason").is_null());
    content += json::value_to<std::string>(choice.at("delta").at("content"));
  }
  json::object finish = FrameJson(frames[static_cast<std::size_t>(deltas) + 1]);
  EXPECT_EQ(finish["choices"].at(0).at("finish_reason"), "stop");

  if (include_usage) {
    json::object usage = FrameJson(frames[static_cast<std::size_t>(deltas) + 2]);
    EXPECT_TRUE(usage["choices"].as_array().empty());
    EXPECT_EQ(usage["usage"].at("prompt_tokens"), 11);
    EXPECT_EQ(usage["usage"].at("completion_tokens"), 5);
    EXPECT_EQ(usage["usage"].at("total_tokens"), 16);
    EXPECT_EQ(usage["usage"].at("prompt_tokens_details").at("cached_tokens"), 3);
  } else {
    for (const auto& f : frames) EXPECT_EQ(f.find("\"usage\""), std::string::npos) << f;
  }
  return content;
}

TEST(FakeUpstreamTest, BaseUrlAndPort) {
  FakeUpstream fake;
  EXPECT_GT(fake.port(), 0);
  EXPECT_EQ(fake.base_url(), "http://127.0.0.1:" + std::to_string(fake.port()));
}

TEST(FakeUpstreamTest, DefaultNonStream) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(ChatRequest("gpt-test", false));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  json::object body = json::parse(res.body()).as_object();
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(body["choices"].at(0).at("message").at("role"), "assistant");
  EXPECT_EQ(body["choices"].at(0).at("message").at("content"), "pong from gpt-test");
  EXPECT_EQ(body["choices"].at(0).at("finish_reason"), "stop");
  json::value expected_usage =
      json::parse(R"({"prompt_tokens":11,"completion_tokens":5,"total_tokens":16,)"
                  R"("prompt_tokens_details":{"cached_tokens":3}})");
  EXPECT_EQ(body["usage"], expected_usage);
}

TEST(FakeUpstreamTest, DefaultStreamWithoutUsage) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(ChatRequest("m1", true));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(CheckDefaultStream(res.body(), 4, false, "m1"), "pong from m1");
}

TEST(FakeUpstreamTest, DefaultStreamWithUsage) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(ChatRequest("m2", true, true));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(CheckDefaultStream(res.body(), 4, true, "m2"), "pong from m2");
}

TEST(FakeUpstreamTest, StreamShape) {
  FakeUpstream fake;
  fake.SetStreamShape(7, milliseconds(0));
  Client client(fake.port());
  Response res = client.Do(ChatRequest("modèle-é", true, true));
  EXPECT_EQ(CheckDefaultStream(res.body(), 7, true, "modèle-é"), "pong from modèle-é");
  fake.SetStreamShape(1, milliseconds(0));
  res = client.Do(ChatRequest("m", true));
  EXPECT_EQ(CheckDefaultStream(res.body(), 1, false, "m"), "pong from m");
}

TEST(FakeUpstreamTest, ModelsInvalidJsonAndUnknownPath) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(MakeRequest(http::verb::get, "/v1/models"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()),
            json::parse(R"({"object":"list","data":[{"id":"fake-model","object":"model",)"
                        R"("created":0,"owned_by":"fake"}]})"));

  res = client.Do(MakeRequest(http::verb::post, "/v1/chat/completions", "{not json"));
  EXPECT_EQ(res.result_int(), 400);
  json::value err = json::parse(res.body());
  EXPECT_TRUE(err.at("error").at("message").is_string());
  EXPECT_EQ(err.at("error").at("type"), "invalid_request_error");

  res = client.Do(MakeRequest(http::verb::post, "/v1/nope", "{}"));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_TRUE(json::parse(res.body()).at("error").at("message").is_string());
  EXPECT_EQ(fake.ReceivedCount(), 3u);
}

TEST(FakeUpstreamTest, Scripted429WithRetryAfter) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.status = 429;
  r.headers = {{"Retry-After", "3"}, {"x-ratelimit-remaining-requests", "0"}};
  r.body = R"({"error":{"message":"slow down","type":"rate_limit_error"}})";
  fake.Enqueue(r);
  Client client(fake.port());
  Response res = client.Do(ChatRequest("m", false));
  EXPECT_EQ(res.result_int(), 429);
  EXPECT_EQ(res[http::field::retry_after], "3");
  EXPECT_EQ(res["x-ratelimit-remaining-requests"], "0");
  EXPECT_EQ(res.body(), r.body);
  // The queue is empty again: the default behaviour applies.
  res = client.Do(ChatRequest("m", false));
  EXPECT_EQ(res.result_int(), 200);
}

TEST(FakeUpstreamTest, ScriptIsFifo) {
  FakeUpstream fake;
  for (int i = 0; i < 3; ++i) {
    ScriptedResponse r;
    r.status = 500 + i;
    r.body = "body" + std::to_string(i);
    r.content_type = "text/plain";
    fake.Enqueue(r);
  }
  Client client(fake.port());
  for (int i = 0; i < 3; ++i) {
    Response res = client.Do(ChatRequest("m", false));
    EXPECT_EQ(res.result_int(), 500 + i);
    EXPECT_EQ(res.body(), "body" + std::to_string(i));
    EXPECT_EQ(res[http::field::content_type], "text/plain");
  }
  EXPECT_EQ(client.Do(ChatRequest("m", false)).result_int(), 200);
}

TEST(FakeUpstreamTest, DelayBeforeHeaders) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.delay_before_headers = milliseconds(200);
  r.body = "{}";
  fake.Enqueue(r);
  Client client(fake.port());
  const auto start = Clock::now();
  Response res = client.Do(ChatRequest("m", false));
  EXPECT_GE(Clock::now() - start, milliseconds(200));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "{}");
}

TEST(FakeUpstreamTest, ScriptedStream) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.stream_chunks = ChatCompletionStream("s", {"a", "b", "c"}, true);
  r.headers = {{"x-extra", "1"}};
  fake.Enqueue(r);
  Client client(fake.port());
  Response res = client.Do(ChatRequest("ignored", true));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  EXPECT_EQ(res["x-extra"], "1");
  EXPECT_EQ(CheckDefaultStream(res.body(), 3, true, "s"), "abc");
}

TEST(FakeUpstreamTest, CutAfterChunks) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.stream_chunks = {"data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"};
  r.cut_after_chunks = 2;
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", true));
  beast::error_code ec;
  Response res = client.Read(ec);
  EXPECT_TRUE(ec) << "expected an error for a truncated stream";
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "data: 1\n\ndata: 2\n\n");
  EXPECT_EQ(fake.ReceivedCount(), 1u);
}

TEST(FakeUpstreamTest, CutBeforeFirstChunk) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.stream_chunks = {"data: 1\n\n"};
  r.cut_after_chunks = 0;
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", true));
  beast::error_code ec;
  Response res = client.Read(ec);
  EXPECT_TRUE(ec);
  EXPECT_TRUE(res.body().empty());
}

TEST(FakeUpstreamTest, CutNonStreamBody) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.body = std::string(1000, 'x');
  r.cut_after_chunks = 0;
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", false));
  beast::error_code ec;
  Response res = client.Read(ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(res.body(), std::string(500, 'x'));
}

TEST(FakeUpstreamTest, CloseWithoutResponse) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.close_without_response = true;
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", false));
  beast::error_code ec;
  client.Read(ec);
  EXPECT_EQ(ec, http::error::end_of_stream) << ec.message();
  EXPECT_EQ(fake.ReceivedCount(), 1u);
}

TEST(FakeUpstreamTest, KeepAlive) {
  FakeUpstream fake;
  Client client(fake.port());
  Response a = client.Do(ChatRequest("first", false));
  EXPECT_TRUE(a.keep_alive());
  Response b = client.Do(ChatRequest("second", true));
  Response c = client.Do(MakeRequest(http::verb::get, "/v1/models"));
  EXPECT_EQ(json::parse(a.body()).at("model"), "first");
  EXPECT_EQ(CheckDefaultStream(b.body(), 4, false, "second"), "pong from second");
  EXPECT_EQ(c.result_int(), 200);
  EXPECT_EQ(fake.ReceivedCount(), 3u);
}

TEST(FakeUpstreamTest, ConnectionCloseRequested) {
  FakeUpstream fake;
  Client client(fake.port());
  Request req = ChatRequest("m", false);
  req.keep_alive(false);
  Response res = client.Do(req);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.keep_alive());
  beast::error_code ec;
  client.Read(ec);
  EXPECT_EQ(ec, http::error::end_of_stream);
}

TEST(FakeUpstreamTest, ReceivedRecordsBodyAndHeaders) {
  FakeUpstream fake;
  Client client(fake.port());
  Request req = ChatRequest("m", false);
  req.set(http::field::authorization, "Bearer sk-test");
  req.set("X-Custom-Header", "Value1");
  const std::string body = req.body();
  client.Do(req);

  // A chunked request body is accepted and de-chunked.
  Request chunked = MakeRequest(http::verb::post, "/v1/chat/completions?x=1", body);
  chunked.chunked(true);
  http::write(client.socket(), chunked);
  beast::error_code ec;
  Response res = client.Read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 200);

  const auto received = fake.Received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/v1/chat/completions");
  EXPECT_EQ(received[0].body, body);
  EXPECT_EQ(received[0].headers.at("authorization"), "Bearer sk-test");
  EXPECT_EQ(received[0].headers.at("x-custom-header"), "Value1");
  EXPECT_EQ(received[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(received[1].target, "/v1/chat/completions?x=1");
  EXPECT_EQ(received[1].body, body);
  EXPECT_EQ(received[1].headers.at("transfer-encoding"), "chunked");

  fake.ClearReceived();
  EXPECT_EQ(fake.ReceivedCount(), 0u);
  EXPECT_TRUE(fake.Received().empty());
}

TEST(FakeUpstreamTest, RecordsRequestBeforeResponding) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.delay_before_headers = milliseconds(300);
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", false));
  const auto deadline = Clock::now() + milliseconds(250);
  while (fake.ReceivedCount() == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(fake.ReceivedCount(), 1u);
  beast::error_code ec;
  client.Read(ec);
  EXPECT_FALSE(ec);
}

TEST(FakeUpstreamTest, LargeBodyAndExpectContinue) {
  FakeUpstream fake;
  Client client(fake.port());
  json::object obj{{"model", "big"}, {"pad", std::string(5 * 1024 * 1024, 'p')}};
  const std::string body = json::serialize(obj);
  Request req = MakeRequest(http::verb::post, "/v1/chat/completions", body);
  req.set(http::field::expect, "100-continue");
  req.prepare_payload();
  http::request_serializer<http::string_body> sr{req};
  http::write_header(client.socket(), sr);
  std::string interim;
  asio::read_until(client.socket(), asio::dynamic_buffer(interim), "\r\n\r\n");
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;
  http::write(client.socket(), sr);
  beast::error_code ec;
  Response res = client.Read(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(json::parse(res.body()).at("model"), "big");
  ASSERT_EQ(fake.ReceivedCount(), 1u);
  EXPECT_EQ(fake.Received()[0].body.size(), body.size());
}

TEST(FakeUpstreamTest, ChunkIntervalPacing) {
  FakeUpstream fake;
  ScriptedResponse r;
  r.stream_chunks = {"data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"};
  r.chunk_interval = milliseconds(100);
  fake.Enqueue(r);
  Client client(fake.port());
  client.Send(ChatRequest("m", true));

  http::response_parser<http::buffer_body> parser;
  http::read_header(client.socket(), client.buffer(), parser);
  ASSERT_EQ(parser.get().result_int(), 200);
  std::string body;
  std::optional<Clock::time_point> first;
  std::vector<Clock::duration> arrivals;
  char tmp[4096];
  while (!parser.is_done()) {
    parser.get().body().data = tmp;
    parser.get().body().size = sizeof(tmp);
    beast::error_code ec;
    http::read_some(client.socket(), client.buffer(), parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    ASSERT_FALSE(ec) << ec.message();
    const std::size_t got = sizeof(tmp) - parser.get().body().size;
    if (got > 0) {
      if (!first) first = Clock::now();
      body.append(tmp, got);
    }
  }
  const auto end = Clock::now();
  ASSERT_TRUE(first.has_value());
  EXPECT_GE(end - *first, milliseconds(250));
  EXPECT_EQ(body, "data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
}

TEST(FakeUpstreamTest, DefaultStreamInterval) {
  FakeUpstream fake;
  fake.SetStreamShape(3, milliseconds(50));
  Client client(fake.port());
  const auto start = Clock::now();
  Response res = client.Do(ChatRequest("m", true, true));
  // role, 3 deltas, finish, usage, [DONE]: 6 paced gaps.
  EXPECT_GE(Clock::now() - start, milliseconds(290));
  EXPECT_EQ(CheckDefaultStream(res.body(), 3, true, "m"), "pong from m");
}

TEST(FakeUpstreamTest, ConcurrentClients) {
  FakeUpstream fake;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client client(fake.port());
      for (int i = 0; i < kPerThread; ++i) {
        const std::string model = "m" + std::to_string(t) + "-" + std::to_string(i);
        Response res = client.Do(ChatRequest(model, i % 2 == 0));
        const std::string model_field = "\"model\":\"" + model + "\"";
        if (res.result_int() == 200 && res.body().find(model_field) != std::string::npos) {
          ++ok;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(fake.ReceivedCount(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(FakeUpstreamTest, DestructorDoesNotHangWithOpenConnections) {
  auto fake = std::make_unique<FakeUpstream>();
  ScriptedResponse r;
  r.stream_chunks = {"data: 1\n\n", "data: 2\n\n"};
  r.chunk_interval = std::chrono::seconds(30);

  Client idle(fake->port());  // keep-alive connection with no request in flight
  idle.Do(MakeRequest(http::verb::get, "/v1/models"));
  Client silent(fake->port());  // connected, never sends anything

  fake->Enqueue(r);

  Client streaming(fake->port());
  streaming.Send(ChatRequest("m", true));
  http::response_parser<http::buffer_body> parser;
  http::read_header(streaming.socket(), streaming.buffer(), parser);
  char tmp[256];
  std::size_t got = 0;
  while (got == 0) {
    parser.get().body().data = tmp;
    parser.get().body().size = sizeof(tmp);
    beast::error_code ec;
    http::read_some(streaming.socket(), streaming.buffer(), parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    ASSERT_FALSE(ec) << ec.message();
    got = sizeof(tmp) - parser.get().body().size;
  }

  const auto start = Clock::now();
  fake.reset();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));

  // The streaming client sees the connection end without the terminating chunk.
  beast::error_code ec;
  while (!ec && !parser.is_done()) {
    parser.get().body().data = tmp;
    parser.get().body().size = sizeof(tmp);
    http::read_some(streaming.socket(), streaming.buffer(), parser, ec);
    if (ec == http::error::need_buffer) ec = {};
  }
  EXPECT_TRUE(ec);
  EXPECT_FALSE(parser.is_done());
}

TEST(FakeUpstreamTest, Helpers) {
  json::value v = json::parse(ChatCompletionJson("x", "hello", 7, 2, 1));
  EXPECT_EQ(v.at("model"), "x");
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "hello");
  EXPECT_EQ(v.at("usage").at("total_tokens"), 9);
  EXPECT_EQ(v.at("usage").at("prompt_tokens_details").at("cached_tokens"), 1);

  auto frames = ChatCompletionStream("x", {"he", "llo"}, false);
  ASSERT_EQ(frames.size(), 5u);
  for (const auto& f : frames) {
    EXPECT_EQ(f.rfind("data: ", 0), 0u);
    EXPECT_TRUE(f.size() >= 2 && f.substr(f.size() - 2) == "\n\n");
  }
  std::string all;
  for (const auto& f : frames) all += f;
  EXPECT_EQ(CheckDefaultStream(all, 2, false, "x"), "hello");
  EXPECT_EQ(ChatCompletionStream("x", {}, true).size(), 4u);
}

// ---- Scripted agent over Chat Completions ----

TEST(FakeUpstreamTest, ChatToolCallAndQuote) {
  FakeUpstream fake;
  Client client(fake.port());
  json::object body{
      {"model", "m"},
      {"messages", json::array{json::object{{"role", "system"}, {"content", "sys"}},
                               json::object{{"role", "user"}, {"content", "read the file /x."}}}},
      {"tools",
       json::array{
           json::object{{"type", "function"}, {"function", json::object{{"name", "bash"}}}},
           json::object{{"type", "function"}, {"function", json::object{{"name", "read"}}}}}}};
  Response res =
      client.Do(MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body)));
  json::value v = json::parse(res.body());
  EXPECT_EQ(v.at("choices").at(0).at("finish_reason"), "tool_calls");
  const auto& call = v.at("choices").at(0).at("message").at("tool_calls").at(0);
  EXPECT_EQ(call.at("function").at("name"), "read");
  EXPECT_EQ(json::parse(json::value_to<std::string>(call.at("function").at("arguments"))),
            json::parse(R"({"filePath":"/x"})"));

  body["messages"].as_array().push_back(
      json::object{{"role", "tool"}, {"tool_call_id", "call_fake_1"}, {"content", "hello"}});
  res = client.Do(MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body)));
  EXPECT_EQ(json::parse(res.body()).at("choices").at(0).at("message").at("content"),
            "The tool returned: hello");
}

TEST(FakeUpstreamTest, ChatCallsAnOfferedToolByTheEndOfItsName) {
  FakeUpstream fake;
  Client client(fake.port());
  auto ask = [&](const std::string& text, const std::vector<std::string>& tools) {
    json::array offered;
    for (const auto& t : tools) {
      offered.push_back(
          json::object{{"type", "function"}, {"function", json::object{{"name", t}}}});
    }
    json::object body{{"model", "m"},
                      {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}},
                      {"tools", offered}};
    return json::parse(
        client.Do(MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body)))
            .body());
  };
  json::value v = ask("use the tool whisper, please", {"bash", "mcp__probe__whisper"});
  const auto& call = v.at("choices").at(0).at("message").at("tool_calls").at(0);
  EXPECT_EQ(call.at("function").at("name"), "mcp__probe__whisper");
  EXPECT_EQ(call.at("function").at("arguments"), "{}");
  v = ask("use the tool whisper", {"bash"});
  EXPECT_EQ(v.at("choices").at(0).at("message").at("content"), "no tool named whisper was offered");
}

// ---- Event-named SSE (Anthropic Messages, OpenAI Responses) ----

struct Event {
  std::string name;
  json::object data;
};

// Parses "event: X\ndata: {...}\n\n" frames; checks each payload's "type" is the event name.
std::vector<Event> ParseEvents(const std::string& body) {
  std::vector<Event> events;
  for (const auto& f : SplitFrames(body)) {
    EXPECT_EQ(f.rfind("event: ", 0), 0u) << f;
    EXPECT_TRUE(f.size() >= 2 && f.substr(f.size() - 2) == "\n\n") << f;
    const std::size_t nl = f.find('\n');
    if (f.rfind("event: ", 0) != 0 || nl == std::string::npos) continue;
    Event e;
    e.name = f.substr(7, nl - 7);
    const std::string rest = f.substr(nl + 1);
    EXPECT_EQ(rest.rfind("data: ", 0), 0u) << f;
    e.data = json::parse(rest.substr(6)).as_object();
    EXPECT_EQ(e.data["type"], e.name.c_str()) << f;
    events.push_back(std::move(e));
  }
  return events;
}

std::vector<std::string> Names(const std::vector<Event>& events) {
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.name);
  return names;
}

// ---- Anthropic Messages ----

json::array ReadTools(const std::vector<std::string>& names, const char* schema_key) {
  json::array tools;
  for (const auto& n : names) {
    tools.push_back(json::object{{"name", n}, {schema_key, json::object{{"type", "object"}}}});
  }
  return tools;
}

Request MessagesRequest(const std::string& model, json::array messages, bool stream,
                        json::array tools = {}) {
  json::object body{{"model", model}, {"max_tokens", 1024}, {"messages", std::move(messages)}};
  if (!tools.empty()) body["tools"] = std::move(tools);
  if (stream) body["stream"] = true;
  return MakeRequest(http::verb::post, "/v1/messages?beta=true", json::serialize(body));
}

json::array UserPing() { return json::array{json::object{{"role", "user"}, {"content", "ping"}}}; }

TEST(FakeUpstreamMessagesTest, NonStream) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(MessagesRequest("claude-x", UserPing(), false));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(
      json::parse(res.body()),
      json::parse(R"({"id":"msg_fake","type":"message","role":"assistant",)"
                  R"("model":"claude-x","content":[{"type":"text","text":"pong from claude-x"}],)"
                  R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":8,)"
                  R"("cache_creation_input_tokens":0,"cache_read_input_tokens":3,)"
                  R"("output_tokens":5}})"));
  // Plain /v1/messages, behind a prefix, works too.
  res = client.Do(
      MakeRequest(http::verb::post, "/anthropic/v1/messages",
                  json::serialize(json::object{{"model", "c"}, {"messages", UserPing()}})));
  EXPECT_EQ(json::parse(res.body()).at("content").at(0).at("text"), "pong from c");
}

TEST(FakeUpstreamMessagesTest, Stream) {
  FakeUpstream fake;
  fake.SetStreamShape(3, milliseconds(0));
  Client client(fake.port());
  Response res = client.Do(MessagesRequest("claude-x", UserPing(), true));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  const auto events = ParseEvents(res.body());
  const std::vector<std::string> expected = {
      "message_start",       "content_block_start", "content_block_delta", "content_block_delta",
      "content_block_delta", "content_block_stop",  "message_delta",       "message_stop"};
  ASSERT_EQ(Names(events), expected);
  const auto& msg = events[0].data.at("message");
  EXPECT_EQ(msg.at("model"), "claude-x");
  EXPECT_EQ(msg.at("usage").at("input_tokens"), 8);
  EXPECT_EQ(msg.at("usage").at("cache_read_input_tokens"), 3);
  EXPECT_EQ(events[1].data.at("index"), 0);
  EXPECT_EQ(events[1].data.at("content_block").at("type"), "text");
  std::string text;
  for (int i = 2; i <= 4; ++i) {
    const auto& delta = events[static_cast<std::size_t>(i)].data.at("delta");
    EXPECT_EQ(delta.at("type"), "text_delta");
    text += json::value_to<std::string>(delta.at("text"));
  }
  EXPECT_EQ(text, "pong from claude-x");
  EXPECT_EQ(events[6].data.at("delta").at("stop_reason"), "end_turn");
  EXPECT_EQ(events[6].data.at("usage").at("output_tokens"), 5);
}

TEST(FakeUpstreamMessagesTest, ToolCall) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array messages{json::object{
      {"role", "user"},
      {"content", json::array{json::object{{"type", "text"}, {"text", "<system-reminder>x"}},
                              json::object{{"type", "text"},
                                           {"text", "Please read the file /x and say it"}}}}}};
  json::array tools = ReadTools({"Bash", "Edit", "Read"}, "input_schema");
  Response res = client.Do(MessagesRequest("c", messages, false, tools));
  json::value v = json::parse(res.body());
  EXPECT_EQ(v.at("stop_reason"), "tool_use");
  EXPECT_EQ(v.at("content"), json::parse(R"([{"type":"tool_use","id":"toolu_fake_1",)"
                                         R"("name":"Read","input":{"file_path":"/x"}}])"));
  EXPECT_EQ(v.at("usage").at("output_tokens"), 5);

  res = client.Do(MessagesRequest("c", messages, true, tools));
  const auto events = ParseEvents(res.body());
  const std::vector<std::string> expected = {
      "message_start",      "content_block_start", "content_block_delta", "content_block_delta",
      "content_block_stop", "message_delta",       "message_stop"};
  ASSERT_EQ(Names(events), expected);
  EXPECT_EQ(events[1].data.at("content_block"),
            json::parse(R"({"type":"tool_use","id":"toolu_fake_1","name":"Read","input":{}})"));
  std::string joined;
  for (int i = 2; i <= 3; ++i) {
    const auto& delta = events[static_cast<std::size_t>(i)].data.at("delta");
    EXPECT_EQ(delta.at("type"), "input_json_delta");
    joined += json::value_to<std::string>(delta.at("partial_json"));
  }
  EXPECT_EQ(json::parse(joined), json::parse(R"({"file_path":"/x"})"));
  EXPECT_EQ(events[5].data.at("delta").at("stop_reason"), "tool_use");

  // Only a shell offered: it cats the file.
  res = client.Do(MessagesRequest("c", messages, false, ReadTools({"Bash"}, "input_schema")));
  EXPECT_EQ(json::parse(res.body()).at("content").at(0).at("input"),
            json::parse(R"({"command":"cat /x"})"));
}

TEST(FakeUpstreamMessagesTest, QuoteToolResult) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array messages{
      json::object{{"role", "user"}, {"content", "read the file /x"}},
      json::object{{"role", "assistant"},
                   {"content", json::array{json::object{{"type", "tool_use"},
                                                        {"id", "toolu_fake_1"},
                                                        {"name", "Read"},
                                                        {"input", json::object{}}}}}},
      json::object{{"role", "user"},
                   {"content", json::array{json::object{{"type", "tool_result"},
                                                        {"tool_use_id", "toolu_fake_1"},
                                                        {"content", "hello"}}}}}};
  Response res =
      client.Do(MessagesRequest("c", messages, false, ReadTools({"Read"}, "input_schema")));
  json::value v = json::parse(res.body());
  EXPECT_EQ(v.at("stop_reason"), "end_turn");
  EXPECT_EQ(v.at("content").at(0).at("text"), "The tool returned: hello");

  // Block content, streamed, with a trailing system reminder.
  messages.back().as_object()["content"] = json::array{
      json::object{{"type", "tool_result"},
                   {"tool_use_id", "toolu_fake_1"},
                   {"content", json::array{json::object{{"type", "text"}, {"text", "hi"}}}}},
      json::object{{"type", "text"}, {"text", "<system-reminder>ignore</system-reminder>"}}};
  res = client.Do(MessagesRequest("c", messages, true, ReadTools({"Read"}, "input_schema")));
  std::string text;
  for (const auto& e : ParseEvents(res.body())) {
    if (e.name == "content_block_delta") {
      text += json::value_to<std::string>(e.data.at("delta").at("text"));
    }
  }
  EXPECT_EQ(text, "The tool returned: hi\n");
}

TEST(FakeUpstreamMessagesTest, CountTokensAndBadJson) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(
      MakeRequest(http::verb::post, "/v1/messages/count_tokens?beta=true",
                  json::serialize(json::object{{"model", "c"}, {"messages", UserPing()}})));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()), json::parse(R"({"input_tokens":11})"));

  res = client.Do(MakeRequest(http::verb::post, "/v1/messages", "{oops"));
  EXPECT_EQ(res.result_int(), 400);
  json::value err = json::parse(res.body());
  EXPECT_EQ(err.at("type"), "error");
  EXPECT_EQ(err.at("error").at("type"), "invalid_request_error");
}

// ---- OpenAI Responses ----

Request ResponsesRequest(const std::string& model, json::value input, bool stream,
                         json::array tools = {}) {
  json::object body{{"model", model}, {"input", std::move(input)}, {"store", false}};
  if (!tools.empty()) body["tools"] = std::move(tools);
  if (stream) body["stream"] = true;
  return MakeRequest(http::verb::post, "/v1/responses", json::serialize(body));
}

json::array FunctionTools(const std::vector<std::string>& names) {
  json::array tools;
  for (const auto& n : names) {
    tools.push_back(json::object{
        {"type", "function"}, {"name", n}, {"parameters", json::object{{"type", "object"}}}});
  }
  return tools;
}

json::value ResponsesUsageJson() {
  return json::parse(R"({"input_tokens":11,"input_tokens_details":{"cached_tokens":3},)"
                     R"("output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},)"
                     R"("total_tokens":16})");
}

TEST(FakeUpstreamResponsesTest, NonStream) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(ResponsesRequest("gpt-r", "ping", false));
  EXPECT_EQ(res.result_int(), 200);
  json::object v = json::parse(res.body()).as_object();
  EXPECT_EQ(v["id"], "resp_fake");
  EXPECT_EQ(v["object"], "response");
  EXPECT_EQ(v["created_at"], 1700000000);
  EXPECT_EQ(v["status"], "completed");
  EXPECT_EQ(v["model"], "gpt-r");
  EXPECT_EQ(v["output"], json::parse(R"([{"id":"msg_fake_1","type":"message","role":"assistant",)"
                                     R"("status":"completed","content":[{"type":"output_text",)"
                                     R"("text":"pong from gpt-r","annotations":[]}]}])"));
  EXPECT_EQ(v["usage"], ResponsesUsageJson());
}

TEST(FakeUpstreamResponsesTest, Stream) {
  FakeUpstream fake;
  fake.SetStreamShape(3, milliseconds(0));
  Client client(fake.port());
  json::array input{
      json::object{{"type", "message"}, {"role", "developer"}, {"content", "be nice"}},
      json::object{{"type", "message"},
                   {"role", "user"},
                   {"content", json::array{json::object{{"type", "input_text"}, {"text", "hi"}}}}}};
  Response res = client.Do(ResponsesRequest("gpt-r", input, true, FunctionTools({"read_file"})));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  const auto events = ParseEvents(res.body());
  const std::vector<std::string> expected = {
      "response.created",           "response.in_progress",
      "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta",
      "response.output_text.delta", "response.output_text.done",
      "response.content_part.done", "response.output_item.done",
      "response.completed"};
  ASSERT_EQ(Names(events), expected);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].data.at("sequence_number"), static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(events[0].data.at("response").at("status"), "in_progress");
  EXPECT_EQ(events[2].data.at("item").at("type"), "message");
  std::string text;
  for (int i = 4; i <= 6; ++i) {
    text += json::value_to<std::string>(events[static_cast<std::size_t>(i)].data.at("delta"));
  }
  EXPECT_EQ(text, "pong from gpt-r");
  EXPECT_EQ(events[7].data.at("text"), "pong from gpt-r");
  EXPECT_EQ(events[9].data.at("item").at("content").at(0).at("text"), "pong from gpt-r");
  const auto& done = events[10].data.at("response");
  EXPECT_EQ(done.at("id"), "resp_fake");
  EXPECT_EQ(done.at("status"), "completed");
  EXPECT_EQ(done.at("output").at(0), events[9].data.at("item"));
  EXPECT_EQ(done.at("usage"), ResponsesUsageJson());
}

TEST(FakeUpstreamResponsesTest, ToolCall) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array input{json::object{
      {"role", "user"},
      {"content",
       json::array{json::object{{"type", "input_text"}, {"text", "read the file /x"}}}}}};
  json::array tools = FunctionTools({"shell", "read_file"});
  tools.push_back(json::object{{"type", "custom"}, {"name", "apply_patch"}});
  Response res = client.Do(ResponsesRequest("gpt-r", input, false, tools));
  json::value v = json::parse(res.body());
  EXPECT_EQ(v.at("status"), "completed");
  EXPECT_EQ(v.at("output"),
            json::parse(R"([{"id":"fc_fake_1","type":"function_call","call_id":"call_fake_1",)"
                        R"("name":"read_file","arguments":"{\"file_path\":\"/x\"}",)"
                        R"("status":"completed"}])"));

  res = client.Do(ResponsesRequest("gpt-r", input, true, tools));
  const auto events = ParseEvents(res.body());
  const std::vector<std::string> expected = {"response.created",
                                             "response.in_progress",
                                             "response.output_item.added",
                                             "response.function_call_arguments.delta",
                                             "response.function_call_arguments.delta",
                                             "response.function_call_arguments.done",
                                             "response.output_item.done",
                                             "response.completed"};
  ASSERT_EQ(Names(events), expected);
  EXPECT_EQ(events[2].data.at("item").at("call_id"), "call_fake_1");
  EXPECT_EQ(events[2].data.at("item").at("name"), "read_file");
  const std::string joined = json::value_to<std::string>(events[3].data.at("delta")) +
                             json::value_to<std::string>(events[4].data.at("delta"));
  EXPECT_EQ(json::parse(joined), json::parse(R"({"file_path":"/x"})"));
  EXPECT_EQ(events[5].data.at("arguments"), joined.c_str());
  EXPECT_EQ(events[7].data.at("response").at("output"), v.at("output"));

  // Codex's shell.
  res = client.Do(ResponsesRequest("gpt-r", input, false, FunctionTools({"exec_command"})));
  EXPECT_EQ(json::parse(res.body()).at("output").at(0).at("arguments"), R"({"cmd":"cat /x"})");
}

TEST(FakeUpstreamResponsesTest, QuoteToolResult) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array input{
      json::object{{"type", "message"}, {"role", "user"}, {"content", "read the file /x"}},
      json::object{{"type", "function_call"},
                   {"call_id", "call_fake_1"},
                   {"name", "read_file"},
                   {"arguments", "{}"}},
      json::object{
          {"type", "function_call_output"}, {"call_id", "call_fake_1"}, {"output", "hello"}}};
  Response res = client.Do(ResponsesRequest("gpt-r", input, false, FunctionTools({"read_file"})));
  EXPECT_EQ(json::parse(res.body()).at("output").at(0).at("content").at(0).at("text"),
            "The tool returned: hello");

  input.back() = json::object{
      {"type", "custom_tool_call_output"}, {"call_id", "call_fake_1"}, {"output", "patched"}};
  res = client.Do(ResponsesRequest("gpt-r", input, true, FunctionTools({"read_file"})));
  const auto events = ParseEvents(res.body());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().data.at("response").at("output").at(0).at("content").at(0).at("text"),
            "The tool returned: patched");
}

// ---- Gemini ----

Request GeminiRequest(const std::string& target, json::array contents, json::array decls = {}) {
  json::object body{{"contents", std::move(contents)}};
  if (!decls.empty()) {
    body["tools"] = json::array{json::object{{"functionDeclarations", std::move(decls)}}};
  }
  return MakeRequest(http::verb::post, target, json::serialize(body));
}

json::array GeminiUserPing() {
  return json::array{
      json::object{{"role", "user"}, {"parts", json::array{json::object{{"text", "ping"}}}}}};
}

json::array GeminiDecls(const std::vector<std::string>& names) {
  json::array decls;
  for (const auto& n : names) {
    decls.push_back(
        json::object{{"name", n}, {"parametersJsonSchema", json::object{{"type", "object"}}}});
  }
  return decls;
}

json::value GeminiUsageJson() {
  return json::parse(R"({"promptTokenCount":11,"candidatesTokenCount":5,)"
                     R"("cachedContentTokenCount":3,"totalTokenCount":16})");
}

// Parses data-only frames ("data: {...}\n\n", never [DONE]).
std::vector<json::object> GeminiChunks(const std::string& body) {
  std::vector<json::object> chunks;
  for (const auto& f : SplitFrames(body)) {
    EXPECT_NE(f, "data: [DONE]\n\n");
    EXPECT_TRUE(f.size() >= 2 && f.substr(f.size() - 2) == "\n\n") << f;
    chunks.push_back(FrameJson(f));
  }
  return chunks;
}

TEST(FakeUpstreamGeminiTest, NonStream) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res =
      client.Do(GeminiRequest("/v1beta/models/gemini-t:generateContent", GeminiUserPing()));
  EXPECT_EQ(res.result_int(), 200);
  json::object v = json::parse(res.body()).as_object();
  EXPECT_EQ(v["candidates"],
            json::parse(R"([{"content":{"role":"model","parts":[{"text":"pong from gemini-t"}]},)"
                        R"("finishReason":"STOP","index":0}])"));
  EXPECT_EQ(v["usageMetadata"], GeminiUsageJson());
  EXPECT_EQ(v["modelVersion"], "gemini-t");
}

TEST(FakeUpstreamGeminiTest, Stream) {
  FakeUpstream fake;
  fake.SetStreamShape(3, milliseconds(0));
  Client client(fake.port());
  Response res = client.Do(
      GeminiRequest("/v1beta/models/gemini-t:streamGenerateContent?alt=sse", GeminiUserPing()));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/event-stream");
  const auto chunks = GeminiChunks(res.body());
  ASSERT_EQ(chunks.size(), 3u);
  std::string text;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto& cand = chunks[i].at("candidates").at(0);
    EXPECT_EQ(cand.at("content").at("role"), "model");
    text += json::value_to<std::string>(cand.at("content").at("parts").at(0).at("text"));
    const bool last = i + 1 == chunks.size();
    EXPECT_EQ(cand.as_object().contains("finishReason"), last);
    EXPECT_EQ(chunks[i].contains("usageMetadata"), last);
    EXPECT_EQ(chunks[i].at("modelVersion"), "gemini-t");
  }
  EXPECT_EQ(text, "pong from gemini-t");
  EXPECT_EQ(chunks.back().at("candidates").at(0).at("finishReason"), "STOP");
  EXPECT_EQ(chunks.back().at("usageMetadata"), GeminiUsageJson());

  // Without alt=sse the stream is one JSON array of the same chunks.
  res = client.Do(GeminiRequest("/v1beta/models/gemini-t:streamGenerateContent", GeminiUserPing()));
  json::value arr = json::parse(res.body());
  ASSERT_TRUE(arr.is_array());
  ASSERT_EQ(arr.as_array().size(), 3u);
  EXPECT_EQ(arr.as_array()[2], json::value(chunks.back()));
}

TEST(FakeUpstreamGeminiTest, ToolCall) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array contents{json::object{
      {"role", "user"}, {"parts", json::array{json::object{{"text", "read the file /x"}}}}}};
  json::array decls = GeminiDecls({"run_shell_command", "read_file"});
  Response res = client.Do(GeminiRequest("/v1beta/models/g:generateContent", contents, decls));
  json::value v = json::parse(res.body());
  const auto& cand = v.at("candidates").at(0);
  EXPECT_EQ(cand.at("content").at("parts"),
            json::parse(R"([{"functionCall":{"name":"read_file","args":{"file_path":"/x"}}}])"));
  EXPECT_EQ(cand.at("finishReason"), "STOP");
  EXPECT_EQ(v.at("usageMetadata"), GeminiUsageJson());

  res = client.Do(GeminiRequest("/v1beta/models/g:streamGenerateContent?alt=sse", contents, decls));
  const auto chunks = GeminiChunks(res.body());
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].at("candidates").at(0).at("content").at("parts"),
            cand.at("content").at("parts"));
  EXPECT_EQ(chunks[0].at("candidates").at(0).at("finishReason"), "STOP");
  EXPECT_EQ(chunks[0].at("usageMetadata"), GeminiUsageJson());
}

TEST(FakeUpstreamGeminiTest, QuoteToolResult) {
  FakeUpstream fake;
  Client client(fake.port());
  json::array contents{
      json::object{{"role", "user"},
                   {"parts", json::array{json::object{{"text", "read the file /x"}}}}},
      json::object{
          {"role", "model"},
          {"parts",
           json::array{json::object{
               {"functionCall", json::object{{"name", "read_file"}, {"args", json::object{}}}}}}}},
      json::object{
          {"role", "user"},
          {"parts", json::array{json::object{
                        {"functionResponse",
                         json::object{{"name", "read_file"},
                                      {"response", json::object{{"output", "hello"}}}}}}}}}};
  Response res = client.Do(
      GeminiRequest("/v1beta/models/g:generateContent", contents, GeminiDecls({"read_file"})));
  EXPECT_EQ(
      json::parse(res.body()).at("candidates").at(0).at("content").at("parts").at(0).at("text"),
      "The tool returned: hello");
}

TEST(FakeUpstreamGeminiTest, CountTokensAndBadJson) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(GeminiRequest("/v1beta/models/g:countTokens", GeminiUserPing()));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()), json::parse(R"({"totalTokens":11})"));

  res = client.Do(MakeRequest(http::verb::post, "/v1beta/models/g:generateContent", "nope"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(json::parse(res.body()).at("error").at("status"), "INVALID_ARGUMENT");
  res = client.Do(MakeRequest(http::verb::post, "/v1beta/models/g:unknownMethod", "{}"));
  EXPECT_EQ(res.result_int(), 404);
}

TEST(FakeUpstreamTest, NewHelpers) {
  auto frames = MessagesStream("m", {"a", "b"});
  ASSERT_EQ(frames.size(), 7u);
  std::string all;
  for (const auto& f : frames) all += f;
  EXPECT_EQ(ParseEvents(all).size(), 7u);
  all.clear();
  for (const auto& f : ResponsesStream("m", {"a"})) all += f;
  EXPECT_EQ(
      ParseEvents(all).back().data.at("response").at("output").at(0).at("content").at(0).at("text"),
      "a");
  EXPECT_EQ(GeminiStream("m", {"x", "", "y"}).size(), 2u);
  EXPECT_EQ(json::parse(GeminiFunctionCallJson("m", "f", R"({"a":1})"))
                .at("candidates")
                .at(0)
                .at("content")
                .at("parts")
                .at(0)
                .at("functionCall")
                .at("args")
                .at("a"),
            1);
}

TEST(FakeUpstreamTest, HealthAnswersOk) {
  FakeUpstream fake;
  Client client(fake.port());
  Response res = client.Do(MakeRequest(http::verb::get, "/health"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()), json::parse(R"({"status":"ok"})"));
}

TEST(FakeUpstreamTest, ModelListsInEachShapeWithPages) {
  FakeUpstream fake;
  fake.SetModels({ListedModel{"m1", true}, ListedModel{"e1", false}, ListedModel{"m2", true}}, 2);
  Client client(fake.port());
  // OpenAI: every model, no pages.
  Response res = client.Do(MakeRequest(http::verb::get, "/v1/models"));
  json::value v = json::parse(res.body());
  ASSERT_EQ(v.at("data").as_array().size(), 3u);
  EXPECT_EQ(v.at("data").at(1).at("id"), "e1");

  // Anthropic (the request has anthropic-version): pages of two, then after_id.
  Request req = MakeRequest(http::verb::get, "/v1/models?limit=1000");
  req.set("anthropic-version", "2023-06-01");
  v = json::parse(client.Do(req).body());
  EXPECT_EQ(v, json::parse(R"({"data":[)"
                           R"({"type":"model","id":"m1","display_name":"m1",)"
                           R"("created_at":"2025-01-01T00:00:00Z"},)"
                           R"({"type":"model","id":"e1","display_name":"e1",)"
                           R"("created_at":"2025-01-01T00:00:00Z"}],)"
                           R"("has_more":true,"first_id":"m1","last_id":"e1"})"));
  req = MakeRequest(http::verb::get, "/v1/models?limit=1000&after_id=e1");
  req.set("anthropic-version", "2023-06-01");
  v = json::parse(client.Do(req).body());
  ASSERT_EQ(v.at("data").as_array().size(), 1u);
  EXPECT_EQ(v.at("data").at(0).at("id"), "m2");
  EXPECT_EQ(v.at("has_more"), false);

  // Gemini: "models/" names, the methods each model supports, nextPageToken.
  v = json::parse(client.Do(MakeRequest(http::verb::get, "/v1beta/models")).body());
  EXPECT_EQ(v, json::parse(R"({"models":[)"
                           R"({"name":"models/m1","displayName":"m1",)"
                           R"("supportedGenerationMethods":["generateContent","countTokens"]},)"
                           R"({"name":"models/e1","displayName":"e1",)"
                           R"("supportedGenerationMethods":["embedContent"]}],)"
                           R"("nextPageToken":"2"})"));
  v = json::parse(client.Do(MakeRequest(http::verb::get, "/v1beta/models?pageToken=2")).body());
  ASSERT_EQ(v.at("models").as_array().size(), 1u);
  EXPECT_EQ(v.at("models").at(0).at("name"), "models/m2");
  EXPECT_EQ(v.as_object().if_contains("nextPageToken"), nullptr);
}

TEST(FakeUpstreamTest, RejectsImagesWhenAsked) {
  FakeUpstream fake;
  Client client(fake.port());
  json::object image_part{{"type", "image_url"},
                          {"image_url", json::object{{"url", "data:image/png;base64,AAAA"}}}};
  json::object body{
      {"model", "m"},
      {"messages", json::array{json::object{{"role", "user"},
                                            {"content", json::array{std::move(image_part)}}}}}};
  Request chat = MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body));
  EXPECT_EQ(client.Do(chat).result_int(), 200);  // images are accepted by default

  fake.SetRejectImages(true);
  Response res = client.Do(chat);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(json::parse(res.body()).at("error").at("message"),
            "This model does not support image input");
  EXPECT_EQ(client.Do(ChatRequest("m", false)).result_int(), 200);  // no image: answered

  json::object inline_data{{"inlineData", json::object{{"mimeType", "image/png"}, {"data", "AA"}}}};
  json::array contents{
      json::object{{"role", "user"}, {"parts", json::array{std::move(inline_data)}}}};
  res = client.Do(GeminiRequest("/v1beta/models/g:generateContent", std::move(contents)));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(json::parse(res.body()).at("error").at("status"), "INVALID_ARGUMENT");
}

}  // namespace
}  // namespace agentgate::fakes

namespace agentgate::fakes {
namespace {

// A provider that drops streams mid-answer, and the model that continues a cut answer.
TEST(FakeUpstreamTest, CutTextStreamsAndContinuations) {
  FakeUpstream fake;
  fake.SetCutTextStreams(2);  // the role chunk and the first delta
  {
    Client client(fake.port());
    client.Send(ChatRequest("m", true));
    beast::error_code ec;
    Response res = client.Read(ec);
    EXPECT_TRUE(ec) << "the stream must be cut";
  }
  {
    Client client(fake.port());
    Response res = client.Do(ChatRequest("m", false));  // a whole answer is not cut
    EXPECT_EQ(res.result_int(), 200);
  }
  // Continuing "pong f": the rest of "pong from m", not cut again.
  json::object body{
      {"model", "m"},
      {"stream", true},
      {"messages",
       json::array{json::object{{"role", "user"}, {"content", "ping"}},
                   json::object{{"role", "assistant"}, {"content", "pong f"}},
                   json::object{{"role", "user"},
                                {"content", "Your previous reply was cut off. Continue."}}}}};
  Client client(fake.port());
  Response res =
      client.Do(MakeRequest(http::verb::post, "/v1/chat/completions", json::serialize(body)));
  ASSERT_EQ(res.result_int(), 200);
  std::string text;
  for (const auto& frame : SplitFrames(res.body())) {
    if (frame.find("[DONE]") != std::string::npos) continue;
    json::object v = FrameJson(frame);
    const auto& delta = v.at("choices").at(0).at("delta").as_object();
    if (auto* c = delta.if_contains("content"); c && c->is_string()) text += c->as_string();
  }
  EXPECT_EQ(text, "rom m");
  EXPECT_NE(res.body().find("[DONE]"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::fakes

namespace agentgate::fakes {
namespace {

// A small context window: a long conversation is refused in OpenAI's words, a request for a
// summary (a client compacting) is answered; and a reported prompt size of one's choosing.
TEST(FakeUpstreamTest, ContextLimitAndReportedPromptTokens) {
  FakeUpstream fake;
  fake.SetContextLimit(2);
  auto conversation = [](const std::string& last) {
    json::array msgs{json::object{{"role", "system"}, {"content", "be brief"}},
                     json::object{{"role", "user"}, {"content", "a"}},
                     json::object{{"role", "assistant"}, {"content", "b"}},
                     json::object{{"role", "user"}, {"content", last}}};
    return MakeRequest(http::verb::post, "/v1/chat/completions",
                       json::serialize(json::object{{"model", "m"}, {"messages", msgs}}));
  };
  Client client(fake.port());
  Response refused = client.Do(conversation("and more"));
  EXPECT_EQ(refused.result_int(), 400);
  EXPECT_EQ(json::parse(refused.body()).at("error").at("code"), "context_length_exceeded");
  EXPECT_EQ(client.Do(conversation("Summarize the conversation so far")).result_int(), 200);
  EXPECT_EQ(client.Do(ChatRequest("m", false)).result_int(), 200);  // short: fits

  fake.SetContextLimit(0);
  fake.SetTokensPerKb(190000);
  Response one = client.Do(ChatRequest("m", false));  // under 1 KiB of messages
  EXPECT_EQ(json::parse(one.body()).at("usage").at("prompt_tokens"), 190000);
  Response two = client.Do(conversation(std::string(1500, 'x')));  // over 1 KiB, under 2
  EXPECT_EQ(json::parse(two.body()).at("usage").at("prompt_tokens"), 380000);
}

}  // namespace
}  // namespace agentgate::fakes
