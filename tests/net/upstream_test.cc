// UpstreamPool against a local TLS server: certificate and host-name verification, pooling.
#include "services/net/upstream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "services/common/strings.h"

namespace agentgate::net {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/agentgate-tls-XXXXXX";
  return ::mkdtemp(tmpl);
}

// A self-signed certificate for `san` (e.g. "IP:127.0.0.1" or "DNS:example.test").
void MakeCert(const std::string& dir, const std::string& san) {
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test -keyout " +
                    dir + "/key.pem -out " + dir + "/cert.pem -addext subjectAltName=" + san +
                    " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
}

// Accepts TLS connections and answers each with a TLS handshake, then closes.
class TlsServer {
 public:
  explicit TlsServer(const std::string& dir)
      : ctx_(asio::ssl::context::tls_server),
        acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain_file(dir + "/cert.pem");
    ctx_.use_private_key_file(dir + "/key.pem", asio::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
      for (;;) {
        tcp::socket sock(ioc_);
        error_code ec;
        acceptor_.accept(sock, ec);
        if (ec) return;
        asio::ssl::stream<tcp::socket> tls(std::move(sock), ctx_);
        tls.handshake(asio::ssl::stream_base::server, ec);
        ++accepted_;
      }
    });
  }
  ~TlsServer() {
    // shutdown() wakes the blocked accept(); close() alone does not.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
    error_code ec;
    acceptor_.close(ec);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  asio::io_context ioc_;
  asio::ssl::context ctx_;
  tcp::acceptor acceptor_;
  int port_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// A connection runs on `ioc`, which must outlive it (UpstreamPool's contract): the caller owns
// both, the io_context declared first.
absl::StatusOr<std::unique_ptr<UpstreamConnection>> Connect(asio::io_context& ioc,
                                                            const std::string& url_text) {
  UpstreamPool pool(ioc.get_executor(), MakeClientTlsContext());
  auto url = routing::ParseUrl(url_text);
  EXPECT_TRUE(url.ok());
  absl::StatusOr<std::unique_ptr<UpstreamConnection>> result = absl::UnknownError("not run");
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        result = co_await pool.Acquire(*url, std::chrono::milliseconds(3000));
      },
      asio::detached);
  ioc.run();
  return result;
}

class UpstreamTlsTest : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("SSL_CERT_FILE"); }
};

TEST_F(UpstreamTlsTest, UntrustedCertificateIsRefused) {
  std::string dir = TempDir();
  MakeCert(dir, "IP:127.0.0.1");
  TlsServer server(dir);
  asio::io_context ioc;
  auto conn = Connect(ioc, "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_FALSE(conn.ok());
  EXPECT_TRUE(absl::IsUnavailable(conn.status()));
  EXPECT_NE(Message(conn.status()).find("certificate verification failed"), std::string::npos)
      << Message(conn.status());
}

TEST_F(UpstreamTlsTest, TrustedCertificateWithMatchingNameConnects) {
  std::string dir = TempDir();
  MakeCert(dir, "IP:127.0.0.1");
  TlsServer server(dir);
  ::setenv("SSL_CERT_FILE", (dir + "/cert.pem").c_str(), 1);
  asio::io_context ioc;
  auto conn = Connect(ioc, "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_TRUE(conn.ok()) << Message(conn.status());
  EXPECT_EQ((*conn)->origin, "https://127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(UpstreamTlsTest, TrustedCertificateForAnotherNameIsRefused) {
  std::string dir = TempDir();
  MakeCert(dir, "DNS:api.example.test");
  TlsServer server(dir);
  ::setenv("SSL_CERT_FILE", (dir + "/cert.pem").c_str(), 1);
  asio::io_context ioc;
  auto conn = Connect(ioc, "https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_FALSE(conn.ok());
  EXPECT_NE(Message(conn.status()).find("TLS handshake"), std::string::npos)
      << Message(conn.status());
}

TEST(UpstreamPoolTest, RefusedConnectionIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  asio::io_context ioc;
  auto conn = Connect(ioc, "http://127.0.0.1:1");
  ASSERT_FALSE(conn.ok());
  EXPECT_TRUE(absl::IsUnavailable(conn.status()));
  EXPECT_NE(Message(conn.status()).find("cannot connect to http://127.0.0.1:1"), std::string::npos);
}

TEST(UpstreamPoolTest, ReleasedConnectionIsReused) {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  int port = acceptor.local_endpoint().port();
  UpstreamPool pool(ioc.get_executor(), MakeClientTlsContext());
  auto url = routing::ParseUrl("http://127.0.0.1:" + std::to_string(port));
  bool first_reused = true, second_reused = false;
  tcp::socket peer(ioc);
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        auto a = co_await pool.Acquire(*url, std::chrono::milliseconds(1000));
        EXPECT_TRUE(a.ok());
        first_reused = (*a)->reused;
        pool.Release(*std::move(a));
        EXPECT_EQ(pool.idle_count(), 1u);
        auto b = co_await pool.Acquire(*url, std::chrono::milliseconds(1000));
        EXPECT_TRUE(b.ok());
        second_reused = (*b)->reused;
        EXPECT_EQ(pool.idle_count(), 0u);
      },
      asio::detached);
  acceptor.async_accept(peer, [](error_code) {});
  ioc.run();
  EXPECT_FALSE(first_reused);
  EXPECT_TRUE(second_reused);
}

}  // namespace
}  // namespace agentgate::net
