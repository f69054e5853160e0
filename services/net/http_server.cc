#include "services/net/http_server.h"

#include <future>

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
  BeforeLastWrite(res.body().size());
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
  BeforeLastWrite(0);
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

void HttpServer::StopAccepting() {
  if (draining_.exchange(true)) return;
  if (acceptor_) {
    auto closed = std::make_shared<std::promise<void>>();
    std::future<void> done = closed->get_future();
    asio::post(*workers_[0]->ioc, [this, closed] {
      error_code ignored;
      acceptor_->close(ignored);
      closed->set_value();
    });
    done.wait_for(std::chrono::seconds(2));
  }
  // Connections waiting for their next request close now.
  std::lock_guard lock(idle_mu_);
  for (auto& slot : idle_) {
    asio::post(slot->executor, [slot] {
      if (!slot->waiting) return;
      slot->shed = true;
      error_code ignored;
      slot->socket->cancel(ignored);
    });
  }
}

void HttpServer::ShedOldestIdle() {
  std::shared_ptr<IdleSlot> slot;
  {
    std::lock_guard lock(idle_mu_);
    if (idle_.empty()) return;
    slot = idle_.front();
    slot->listed = false;
    idle_.pop_front();
  }
  asio::post(slot->executor, [this, slot] {
    if (!slot->waiting) return;  // its next request began meanwhile
    slot->shed = true;
    ++shed_total_;
    error_code ignored;
    slot->socket->cancel(ignored);
  });
}

std::list<std::shared_ptr<HttpServer::IdleSlot>>::iterator HttpServer::AddIdle(
    std::shared_ptr<IdleSlot> slot) {
  std::lock_guard lock(idle_mu_);
  return idle_.insert(idle_.end(), std::move(slot));
}

void HttpServer::RemoveIdle(const std::shared_ptr<IdleSlot>& slot,
                            std::list<std::shared_ptr<IdleSlot>>::iterator it) {
  std::lock_guard lock(idle_mu_);
  // ShedOldestIdle may have taken it out already (then `it` is gone too): erase only if it is
  // still listed.
  if (slot->listed) idle_.erase(it);
}

void HttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_ && !draining_) {
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
    if (draining_) co_return;
    if (static_cast<double>(open_connections_.load()) >=
        limits_.shed_idle_at * static_cast<double>(limits_.max_connections)) {
      ShedOldestIdle();
    }
    asio::co_spawn(workers_[index]->ioc->get_executor(), Session(std::move(socket), index),
                   asio::detached);
  }
}

namespace {

// A deadline for one read of a session: when it passes, the socket's pending operations are
// cancelled and `expired` says why they ended. The state is shared with the timer's handler,
// which can run after the read finished (a timer that expired just before being cancelled
// reports success, not operation_aborted): a stale handler sees another generation, or a
// closed session, and does nothing.
class ReadDeadline {
 public:
  ReadDeadline(asio::any_io_executor ex, tcp::socket& socket)
      : timer_(ex), state_(std::make_shared<State>()) {
    state_->socket = &socket;
  }
  ~ReadDeadline() {
    state_->socket = nullptr;
    timer_.cancel();
  }
  void Arm(std::chrono::milliseconds after) {
    uint64_t gen = ++state_->generation;
    state_->expired = false;
    timer_.expires_after(after);
    timer_.async_wait([state = state_, gen](error_code ec) {
      if (ec || state->generation != gen || state->socket == nullptr) return;
      state->expired = true;
      error_code ignored;
      state->socket->cancel(ignored);
    });
  }
  void Disarm() {
    ++state_->generation;
    timer_.cancel();
  }
  bool expired() const { return state_->expired; }

 private:
  struct State {
    tcp::socket* socket = nullptr;
    uint64_t generation = 0;
    bool expired = false;
  };
  asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace

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
  // Reads use a deadline that cancels the read rather than the stream's own expiry, which
  // closes the socket: a client that is too slow still gets its 408.
  ReadDeadline deadline(stream.get_executor(), stream.socket());
  // After an answer sent without reading the whole request, the rest of it is read and
  // dropped for a moment before closing: closing with unread data sends a reset, and the reset
  // can destroy the answer before the client reads it.
  bool linger = false;

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

  bool first = true;
  while (!stopping_ && !draining_) {
    if (!first && buffer.size() == 0) {
      // Keep-alive: wait for the next request's first byte, as a connection that may be closed
      // to make room.
      auto slot = std::make_shared<IdleSlot>(
          IdleSlot{workers_[worker]->ioc->get_executor(), &stream.socket()});
      auto listed = AddIdle(slot);
      deadline.Arm(limits_.idle_timeout);
      auto [wec] = co_await stream.socket().async_wait(tcp::socket::wait_read, kUse);
      deadline.Disarm();
      slot->waiting = false;
      RemoveIdle(slot, listed);
      if (wec || slot->shed || deadline.expired() || draining_) break;
    }
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(limits_.body_limit);
    deadline.Arm(limits_.header_timeout);
    auto [ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, kUse);
    deadline.Disarm();
    std::string target =
        parser.is_header_done() ? std::string(parser.get().target()) : std::string();
    if (ec) {
      if (deadline.expired()) {
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
      linger = true;
      break;
    }
    first = false;
    if (std::optional<Refusal> refusal = handler_.Admit(parser.get())) {
      ResponseWriter w(stream, limits_, 11, false);
      co_await w.Send(refusal->status, refusal->content_type, std::move(refusal->body),
                      refusal->headers);
      linger = !parser.is_done();
      break;
    }
    auto expect = parser.get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, 11};
      stream.expires_after(limits_.write_timeout);
      co_await http::async_write(stream, cont, kUse);
      stream.expires_never();
    }
    size_t body_bytes = 0;
    if (!parser.is_done()) {
      deadline.Arm(limits_.body_timeout);
      error_code body_ec;
      std::tie(body_ec, body_bytes) = co_await http::async_read(stream, buffer, parser, kUse);
      deadline.Disarm();
      if (body_ec) {
        if (deadline.expired()) {
          co_await answer_error(408, "timed out reading the request body", target);
        } else if (body_ec == http::error::body_limit) {
          co_await answer_error(
              413, "request body too large (limit " + HumanBytes(limits_.body_limit) + ")", target);
          linger = true;
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
    ResponseWriter w(stream, limits_, req.message.version(),
                     req.message.keep_alive() && !draining_);
    co_await handler_.Handle(req, w);
    if (!w.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger && stream.socket().is_open()) {
    deadline.Arm(std::chrono::milliseconds(2000));
    char sink[16 * 1024];
    for (size_t drained = 0; drained < (1u << 20);) {
      auto [rec, n] = co_await stream.socket().async_read_some(asio::buffer(sink), kUse);
      if (rec) break;
      drained += n;
    }
    deadline.Disarm();
  }
}

}  // namespace agentgate::net
