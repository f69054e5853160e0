#include "services/net/http_server.h"

#include "services/common/log.h"

namespace agentgate::net {
namespace {

constexpr std::string_view kServerName = "agentgate";

std::string HumanBytes(uint64_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace

void ResponseWriter::MarkFirstByte() {
  if (!started_) {
    started_ = true;
    first_byte_at_ = std::chrono::steady_clock::now();
  }
}

asio::awaitable<error_code> ResponseWriter::Send(
    int status, std::string_view content_type, std::string body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::response<http::string_body> res{static_cast<http::status>(status), version_};
  res.set(http::field::server, kServerName);
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) res.set(name, value);
  res.keep_alive(keep_alive_);
  res.body() = std::move(body);
  res.prepare_payload();
  status_ = status;
  MarkFirstByte();
  stream_.expires_after(limits_.write_timeout);
  auto [ec, n] = co_await http::async_write(stream_, res, kUse);
  stream_.expires_never();
  bytes_out_ += n;
  if (ec) failed_ = true;
  co_return ec;
}

asio::awaitable<error_code> ResponseWriter::BeginStream(
    int status, std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::response<http::empty_body> res{static_cast<http::status>(status), version_};
  res.set(http::field::server, kServerName);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Accel-Buffering", "no");
  for (const auto& [name, value] : headers) res.set(name, value);
  if (version_ >= 11) {
    res.chunked(true);
    res.keep_alive(keep_alive_);
  } else {
    keep_alive_ = false;  // HTTP/1.0: the body ends when the connection closes
    res.keep_alive(false);
  }
  status_ = status;
  MarkFirstByte();
  http::response_serializer<http::empty_body> sr{res};
  stream_.expires_after(limits_.write_timeout);
  auto [ec, n] = co_await http::async_write_header(stream_, sr, kUse);
  stream_.expires_never();
  bytes_out_ += n;
  if (ec) failed_ = true;
  co_return ec;
}

asio::awaitable<error_code> ResponseWriter::WriteChunk(std::string_view data) {
  if (failed_) co_return asio::error::broken_pipe;
  if (data.empty()) co_return error_code{};
  stream_.expires_after(limits_.write_timeout);
  error_code ec;
  size_t n = 0;
  if (version_ >= 11) {
    std::tie(ec, n) =
        co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)), kUse);
  } else {
    std::tie(ec, n) = co_await asio::async_write(stream_, asio::buffer(data), kUse);
  }
  stream_.expires_never();
  bytes_out_ += n;
  if (ec) failed_ = true;
  co_return ec;
}

asio::awaitable<error_code> ResponseWriter::FinishStream() {
  if (failed_) co_return asio::error::broken_pipe;
  if (version_ < 11) co_return error_code{};
  stream_.expires_after(limits_.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, http::make_chunk_last(), kUse);
  stream_.expires_never();
  bytes_out_ += n;
  if (ec) failed_ = true;
  co_return ec;
}

HttpServer::HttpServer(RequestHandler& handler, ServerLimits limits, size_t workers)
    : handler_(handler), limits_(limits) {
  if (workers == 0) workers = 1;
  for (size_t i = 0; i < workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->ioc = std::make_unique<asio::io_context>(1);
    w->guard = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
        w->ioc->get_executor());
    workers_.push_back(std::move(w));
  }
}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Listen(const std::string& host, int port) {
  error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return absl::InvalidArgumentError("not an IP address: '" + host + "'");
  auto acceptor = std::make_unique<tcp::acceptor>(*workers_[0]->ioc);
  tcp::endpoint ep(addr, static_cast<unsigned short>(port));
  acceptor->open(ep.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(ep, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                                  ec.message());
  }
  port_ = acceptor->local_endpoint().port();
  acceptor_ = std::move(acceptor);
  return absl::OkStatus();
}

void HttpServer::Start() {
  asio::co_spawn(*workers_[0]->ioc, AcceptLoop(), asio::detached);
  for (auto& w : workers_) {
    w->thread = std::thread([ioc = w->ioc.get()] { ioc->run(); });
  }
}

void HttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_) {
    asio::post(*workers_[0]->ioc, [this] {
      error_code ignored;
      acceptor_->close(ignored);
    });
  }
  for (auto& w : workers_) {
    w->guard.reset();
    w->ioc->stop();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

asio::awaitable<void> HttpServer::AcceptLoop() {
  size_t next = 0;
  for (;;) {
    size_t index = next;
    next = (next + 1) % workers_.size();
    auto [ec, socket] =
        co_await acceptor_->async_accept(workers_[index]->ioc->get_executor(), kUse);
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      LogWarn("accept failed").Kv("error", ec.message());
      // Out of file descriptors and the like: back off briefly instead of spinning.
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await t.async_wait(kUse);
      continue;
    }
    asio::co_spawn(workers_[index]->ioc->get_executor(), Session(std::move(socket), index),
                   asio::detached);
  }
}

asio::awaitable<void> HttpServer::Session(tcp::socket socket, size_t worker) {
  struct Count {
    std::atomic<int64_t>& n;
    int64_t now;
    explicit Count(std::atomic<int64_t>& c) : n(c), now(++c) {}
    ~Count() { --n; }
  } count(open_connections_);

  beast::tcp_stream stream(std::move(socket));
  error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  // Room for 16 KiB per read: an empty flat_buffer reads 512 bytes at a time, which turned a
  // 45 KB agent request into ninety reads and ninety trips through the event loop.
  beast::flat_buffer buffer;
  buffer.reserve(kReadChunk);

  auto answer_error = [&](int status, std::string message,
                          std::string_view target) -> asio::awaitable<void> {
    auto [content_type, body] = handler_.ErrorBody(status, message, target);
    ResponseWriter w(stream, limits_, 11, false);
    std::vector<std::pair<std::string, std::string>> headers;
    if (status == 503) headers.emplace_back("Retry-After", "1");
    co_await w.Send(status, content_type, std::move(body), headers);
  };

  if (count.now > limits_.max_connections) {
    co_await answer_error(503,
                          "the gateway has too many open connections (limit " +
                              std::to_string(limits_.max_connections) + "); retry shortly",
                          "");
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }

  // Reads use a separate timer that cancels the read rather than the stream's own expiry,
  // which closes the socket: a client that is too slow still gets its 408.
  asio::steady_timer timer(stream.get_executor());
  bool timed_out = false;
  auto arm = [&](std::chrono::milliseconds after) {
    timed_out = false;
    timer.expires_after(after);
    timer.async_wait([&timed_out, &stream](error_code ec) {
      if (ec) return;  // cancelled: the read finished first (and the frame may be gone)
      timed_out = true;
      error_code ignored;
      stream.socket().cancel(ignored);
    });
  };

  bool first = true;
  while (!stopping_) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(limits_.body_limit);
    arm(first ? limits_.header_timeout : limits_.idle_timeout);
    auto [ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, kUse);
    timer.cancel();
    std::string target =
        parser.is_header_done() ? std::string(parser.get().target()) : std::string();
    if (ec) {
      if (timed_out) {
        if (!first && buffer.size() == 0 && !parser.got_some()) break;  // idle keep-alive
        co_await answer_error(408, "timed out reading the request header", target);
        break;
      }
      if (ec == http::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
        break;
      }
      if (ec == http::error::header_limit) {
        co_await answer_error(
            431, "request header too large (limit " + HumanBytes(limits_.header_limit) + ")",
            target);
      } else if (ec == http::error::body_limit) {
        co_await answer_error(
            413, "request body too large (limit " + HumanBytes(limits_.body_limit) + ")", target);
      } else {
        co_await answer_error(400, "malformed HTTP request: " + ec.message(), target);
      }
      break;
    }
    first = false;
    auto expect = parser.get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, 11};
      stream.expires_after(limits_.write_timeout);
      co_await http::async_write(stream, cont, kUse);
      stream.expires_never();
    }
    size_t body_bytes = 0;
    if (!parser.is_done()) {
      arm(limits_.body_timeout);
      error_code body_ec;
      std::tie(body_ec, body_bytes) = co_await http::async_read(stream, buffer, parser, kUse);
      timer.cancel();
      if (body_ec) {
        if (timed_out) {
          co_await answer_error(408, "timed out reading the request body", target);
        } else if (body_ec == http::error::body_limit) {
          co_await answer_error(
              413, "request body too large (limit " + HumanBytes(limits_.body_limit) + ")", target);
        } else if (body_ec != http::error::end_of_stream && body_ec != asio::error::eof &&
                   body_ec != asio::error::connection_reset &&
                   body_ec != asio::error::operation_aborted) {
          co_await answer_error(400, "malformed HTTP request body: " + body_ec.message(), target);
        }
        break;
      }
    }
    stream.expires_never();
    IncomingRequest req;
    req.received_at = std::chrono::steady_clock::now();
    req.worker = worker;
    req.bytes_in = header_bytes + body_bytes;
    req.message = parser.release();
    ResponseWriter w(stream, limits_, req.message.version(), req.message.keep_alive());
    co_await handler_.Handle(req, w);
    if (!w.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace agentgate::net
