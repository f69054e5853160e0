// Upstream HTTP(S) connections to providers, pooled per worker thread.
//
// UpstreamPool keeps idle keep-alive connections per origin (scheme://host:port). New
// connections resolve, connect with a timeout, set TCP_NODELAY and, for https, do a TLS
// handshake with SNI and certificate + host-name verification against the system CAs
// (OpenSSL's default paths; SSL_CERT_FILE / SSL_CERT_DIR are honoured).
//
// Thread-safety: none. Each worker thread owns its own pool and uses it only on that thread.
// Lifetime: a pool and every connection it hands out run on the pool's executor and hold
// timers and sockets of its io_context: destroy them (and let any operation on them complete)
// before that io_context is destroyed.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "services/net/asio.h"
#include "services/routing/url.h"

namespace agentgate::net {

class UpstreamConnection {
 public:
  using Plain = beast::tcp_stream;
  using Tls = beast::ssl_stream<beast::tcp_stream>;

  beast::tcp_stream& tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                      stream);
  }

  std::variant<Plain, Tls> stream;
  beast::flat_buffer buffer;  // bytes read past the last response belong to the next one
  std::string origin;
  bool reused = false;  // taken from the idle list (may have been closed by the peer)
  std::chrono::steady_clock::time_point idle_since{};

  template <typename... Args>
  explicit UpstreamConnection(Args&&... args) : stream(std::forward<Args>(args)...) {}
};

class UpstreamPool {
 public:
  UpstreamPool(asio::any_io_executor executor, std::shared_ptr<asio::ssl::context> tls);

  // An idle connection to url's origin, or a new one. An idle connection on which anything
  // arrived while it waited (stray bytes, end-of-file) is closed, never handed out. Errors:
  // Unavailable (resolve, connect, TLS, certificate) or DeadlineExceeded (connect timeout), with a
  // message naming the origin.
  asio::awaitable<absl::StatusOr<std::unique_ptr<UpstreamConnection>>> Acquire(
      const routing::Url& url, std::chrono::milliseconds connect_timeout);

  // Returns a connection whose last response was read to its exact end (no byte of anything
  // after it buffered) and allows keep-alive; any other connection is closed.
  void Release(std::unique_ptr<UpstreamConnection> conn);

  size_t idle_count() const;
  // Closes every idle connection.
  void Clear();

  static constexpr size_t kMaxIdlePerOrigin = 64;
  static constexpr std::chrono::seconds kMaxIdleTime{50};

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<asio::ssl::context> tls_;
  absl::flat_hash_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle_;
};

// The TLS client context: TLS 1.2+, peer verification against the system trust store.
std::shared_ptr<asio::ssl::context> MakeClientTlsContext();

}  // namespace agentgate::net
