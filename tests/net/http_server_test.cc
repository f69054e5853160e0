// HttpServer with a small handler: admission on the header before the body, lingering close,
// shedding idle keep-alive connections near the limit, drain.
#include "services/net/http_server.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace agentgate::net {
namespace {

using namespace std::chrono_literals;

class TestHandler : public RequestHandler {
 public:
  std::optional<Refusal> Admit(const http::request<http::string_body>& head) override {
    ++admitted_;
    if (head["authorization"] != "Bearer good") {
      Refusal r;
      r.status = 401;
      r.content_type = "application/json";
      r.body = R"({"error":"no"})";
      return r;
    }
    return std::nullopt;
  }
  asio::awaitable<void> Handle(IncomingRequest& req, ResponseWriter& w) override {
    ++handled_;
    co_await w.Send(200, "text/plain", "got " + std::to_string(req.message.body().size()));
  }
  std::pair<std::string, std::string> ErrorBody(int status, std::string_view message,
                                                std::string_view) override {
    return {"text/plain", std::to_string(status) + " " + std::string(message)};
  }
  std::atomic<int> admitted_{0}, handled_{0};
};

// A blocking client socket to the server.
class Client {
 public:
  explicit Client(int port) : sock_(ioc_) {
    sock_.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }
  void Send(const std::string& bytes) { asio::write(sock_, asio::buffer(bytes)); }
  // Reads until `needle` has arrived (or the peer closed, or 5 s passed).
  std::string ReadUntil(const std::string& needle) {
    std::string got;
    auto until = std::chrono::steady_clock::now() + 5s;
    while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < until) {
      if (!Readable(100ms)) continue;
      char buf[4096];
      error_code ec;
      size_t n = sock_.read_some(asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
    }
    return got;
  }
  // Whether the server closed the connection within `within`.
  bool Closed(std::chrono::milliseconds within) {
    auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
      if (!Readable(20ms)) continue;
      char buf[4096];
      error_code ec;
      sock_.read_some(asio::buffer(buf), ec);
      if (ec) return true;
    }
    return false;
  }

 private:
  bool Readable(std::chrono::milliseconds wait) {
    pollfd p{sock_.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }
  asio::io_context ioc_;
  tcp::socket sock_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(ServerLimits limits = {}) {
    server_ = std::make_unique<HttpServer>(handler_, limits, 1);
    ASSERT_TRUE(server_->Listen("127.0.0.1", 0).ok());
    server_->Start();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

// A client without credentials announcing a 30 MB body gets its 401 at once, without the gateway
// waiting for (or reading) the body; no "100 Continue" invites it to send.
TEST_F(HttpServerTest, RefusalComesBeforeTheBody) {
  Start();
  Client c(server_->port());
  c.Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Length: 30000000\r\n"
      "Expect: 100-continue\r\n\r\n");
  std::string got = c.ReadUntil("{\"error\":\"no\"}");
  EXPECT_EQ(got.rfind("HTTP/1.1 401", 0), 0u) << got;
  EXPECT_EQ(got.find("100 Continue"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  EXPECT_EQ(handler_.handled_.load(), 0);
  // Some of the body arriving anyway is read and dropped for a moment, then the connection ends.
  c.Send(std::string(64 * 1024, 'x'));
  EXPECT_TRUE(c.Closed(5s));
}

TEST_F(HttpServerTest, AdmittedRequestsAreRead) {
  Start();
  Client c(server_->port());
  c.Send(
      "POST /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer good\r\nContent-Length: "
      "5\r\n\r\nhello");
  std::string got = c.ReadUntil("got 5");
  EXPECT_NE(got.find("got 5"), std::string::npos) << got;
  EXPECT_EQ(handler_.handled_.load(), 1);
}

// Near the connection limit, a new connection closes the connection idle the longest.
TEST_F(HttpServerTest, IdleKeepAliveConnectionsAreShedNearTheLimit) {
  ServerLimits limits;
  limits.max_connections = 4;
  limits.shed_idle_at = 0.5;  // from 2 open connections on
  Start(limits);
  const std::string request =
      "GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer good\r\n\r\n";
  Client oldest(server_->port());
  oldest.Send(request);
  ASSERT_NE(oldest.ReadUntil("got 0").find("got 0"), std::string::npos);
  std::this_thread::sleep_for(50ms);
  Client newer(server_->port());
  newer.Send(request);
  ASSERT_NE(newer.ReadUntil("got 0").find("got 0"), std::string::npos);
  std::this_thread::sleep_for(50ms);
  Client third(server_->port());  // 3 open >= 2: the oldest idle one goes
  EXPECT_TRUE(oldest.Closed(2s));
  EXPECT_GE(server_->shed_total(), 1);
  third.Send(request);
  EXPECT_NE(third.ReadUntil("got 0").find("got 0"), std::string::npos);
}

// A keep-alive connection that stays quiet past the idle timeout is closed without an answer.
TEST_F(HttpServerTest, IdleTimeoutClosesQuietly) {
  ServerLimits limits;
  limits.idle_timeout = 200ms;
  Start(limits);
  Client c(server_->port());
  c.Send("GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer good\r\n\r\n");
  std::string first = c.ReadUntil("got 0");
  ASSERT_NE(first.find("got 0"), std::string::npos);
  EXPECT_TRUE(c.Closed(2s));
}

// Draining: no new connections; an idle one closes at once.
TEST_F(HttpServerTest, StopAcceptingClosesIdleConnections) {
  Start();
  Client c(server_->port());
  c.Send("GET /x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer good\r\n\r\n");
  ASSERT_NE(c.ReadUntil("got 0").find("got 0"), std::string::npos);
  server_->StopAccepting();
  EXPECT_TRUE(c.Closed(2s));
  asio::io_context ioc;
  tcp::socket s(ioc);
  error_code ec;
  s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server_->port())},
            ec);
  EXPECT_TRUE(ec) << "a connection was accepted while draining";
}

}  // namespace
}  // namespace agentgate::net
