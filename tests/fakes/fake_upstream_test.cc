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

}  // namespace
}  // namespace agentgate::fakes
