#include "services/net/upstream.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <cerrno>

namespace agentgate::net {

std::shared_ptr<asio::ssl::context> MakeClientTlsContext() {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  error_code ec;
  ctx->set_default_verify_paths(ec);
  ctx->set_verify_mode(asio::ssl::verify_peer);
  static const unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(ctx->native_handle(), kAlpn, sizeof kAlpn);
  return ctx;
}

namespace {

// An idle connection may be reused only when nothing has arrived on it since its last answer
// ended: bytes (a provider's stray or late data) would be read as the start of the next answer,
// end-of-file means the provider closed it.
bool Quiet(UpstreamConnection& c) {
  if (c.buffer.size() != 0 || !c.tcp().socket().is_open()) return false;
  char byte;
  ssize_t n = ::recv(c.tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

UpstreamPool::UpstreamPool(asio::any_io_executor executor, std::shared_ptr<asio::ssl::context> tls)
    : executor_(std::move(executor)), tls_(std::move(tls)) {}

asio::awaitable<absl::StatusOr<std::unique_ptr<UpstreamConnection>>> UpstreamPool::Acquire(
    const routing::Url& url, std::chrono::milliseconds connect_timeout) {
  std::string origin = url.Origin();
  if (auto it = idle_.find(origin); it != idle_.end()) {
    auto& list = it->second;
    auto now = std::chrono::steady_clock::now();
    while (!list.empty()) {
      std::unique_ptr<UpstreamConnection> c = std::move(list.back());
      list.pop_back();
      if (now - c->idle_since < kMaxIdleTime && Quiet(*c)) {
        c->reused = true;
        co_return c;
      }
    }
  }

  tcp::resolver resolver(executor_);
  auto [rec, endpoints] = co_await resolver.async_resolve(url.host, std::to_string(url.port), kUse);
  if (rec) {
    co_return absl::UnavailableError("cannot resolve " + url.host + ": " + rec.message());
  }
  std::unique_ptr<UpstreamConnection> conn;
  if (url.tls()) {
    conn = std::make_unique<UpstreamConnection>(std::in_place_type<UpstreamConnection::Tls>,
                                                executor_, *tls_);
  } else {
    conn = std::make_unique<UpstreamConnection>(std::in_place_type<UpstreamConnection::Plain>,
                                                executor_);
  }
  conn->origin = origin;
  conn->buffer.reserve(kReadChunk);
  beast::tcp_stream& tcp_stream = conn->tcp();
  tcp_stream.expires_after(connect_timeout);
  auto [cec, ep] = co_await tcp_stream.async_connect(endpoints, kUse);
  if (cec) {
    if (cec == beast::error::timeout) {
      co_return absl::DeadlineExceededError("timed out connecting to " + origin);
    }
    co_return absl::UnavailableError("cannot connect to " + origin + ": " + cec.message());
  }
  error_code ignored;
  tcp_stream.socket().set_option(tcp::no_delay(true), ignored);
  if (url.tls()) {
    auto& tls = std::get<UpstreamConnection::Tls>(conn->stream);
    error_code addr_ec;
    asio::ip::make_address(url.host, addr_ec);
    if (addr_ec) {  // a host name, not an IP literal: send SNI
      SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str());
    }
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
    auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::client, kUse);
    if (hec) {
      if (hec == beast::error::timeout) {
        co_return absl::DeadlineExceededError("timed out in the TLS handshake with " + origin);
      }
      std::string why = hec.message();
      long verify = SSL_get_verify_result(tls.native_handle());
      if (verify != X509_V_OK) {
        why = std::string("certificate verification failed: ") +
              X509_verify_cert_error_string(verify);
      }
      co_return absl::UnavailableError("TLS handshake with " + origin + " failed: " + why);
    }
  }
  tcp_stream.expires_never();
  co_return conn;
}

void UpstreamPool::Release(std::unique_ptr<UpstreamConnection> conn) {
  if (!conn || !conn->tcp().socket().is_open() || conn->buffer.size() != 0) return;
  auto& list = idle_[conn->origin];
  if (list.size() >= kMaxIdlePerOrigin) return;
  conn->idle_since = std::chrono::steady_clock::now();
  list.push_back(std::move(conn));
}

size_t UpstreamPool::idle_count() const {
  size_t n = 0;
  for (const auto& [origin, list] : idle_) n += list.size();
  return n;
}

void UpstreamPool::Clear() { idle_.clear(); }

}  // namespace agentgate::net
