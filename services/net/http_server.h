// An HTTP/1.1 server on Boost.Beast with C++20 coroutines, for the edge's data plane.
//
// One acceptor hands each connection to one of N worker io_contexts (one thread each), so all
// work for a connection — including its upstream requests — stays on one thread and per-worker
// state (the upstream pool) needs no lock. Every read has a timeout and a size limit; requests
// are served one at a time per connection (keep-alive, no pipelining overlap).
//
// Thread-safety: Start/Stop from one control thread; the handler is called on worker threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "services/net/asio.h"

namespace agentgate::net {

struct ServerLimits {
  size_t header_limit = 64 * 1024;
  uint64_t body_limit = 32ull * 1024 * 1024;
  std::chrono::milliseconds header_timeout{30000};  // whole header, from the first byte wait
  std::chrono::milliseconds body_timeout{120000};   // whole body
  std::chrono::milliseconds idle_timeout{300000};   // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{120000};  // one write to a client that does not read
  int max_connections = 4096;
  // When this share of max_connections is open, a new connection closes the connection that
  // has waited longest for its next request (idle keep-alive), so idle sockets cannot hold the
  // slots active clients need.
  double shed_idle_at = 0.9;
};

// Writes the answer to one request: either one whole response, or a chunked stream.
// Tracks the bytes written, the time of the first byte and whether the client went away.
class ResponseWriter {
 public:
  ResponseWriter(beast::tcp_stream& stream, const ServerLimits& limits, unsigned version,
                 bool keep_alive)
      : stream_(stream), limits_(limits), version_(version), keep_alive_(keep_alive) {}

  // Sends a whole response with Content-Length. Headers: name/value pairs.
  asio::awaitable<error_code> Send(
      int status, std::string_view content_type, std::string body,
      const std::vector<std::pair<std::string, std::string>>& headers = {});

  // Starts a chunked response; then WriteChunk for each piece and FinishStream at the end.
  asio::awaitable<error_code> BeginStream(
      int status, std::string_view content_type,
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  asio::awaitable<error_code> WriteChunk(std::string_view data);
  asio::awaitable<error_code> FinishStream();

  bool started() const { return started_; }
  bool failed() const { return failed_; }  // a write failed: the client is gone
  int status() const { return status_; }
  uint64_t bytes_out() const { return bytes_out_; }
  std::chrono::steady_clock::time_point first_byte_at() const { return first_byte_at_; }
  // The connection must close after this response.
  void set_close() { keep_alive_ = false; }
  bool keep_alive() const { return keep_alive_ && !failed_; }
  // Runs once, just before the last write of the answer (a whole response, or a stream's end),
  // with the body bytes of that write: what is recorded about a request is then safe before the
  // client can have read the end of it, whatever happens to the process after.
  void set_before_last_write(std::function<void(uint64_t pending)> f) {
    before_last_write_ = std::move(f);
  }
  // The client's socket, for watching whether the client is still there (net::ClientWatch).
  tcp::socket& socket() { return stream_.socket(); }

  // Runs the before_last_write callback now (once): for a caller whose next write carries the
  // end of the answer as the client sees it (a stream's last event before the closing chunk).
  void BeforeLastWrite(uint64_t pending) {
    if (auto f = std::move(before_last_write_)) {
      before_last_write_ = nullptr;
      f(pending);
    }
  }

 private:
  void MarkFirstByte();
  std::function<void(uint64_t)> before_last_write_;
  beast::tcp_stream& stream_;
  const ServerLimits& limits_;
  unsigned version_;
  bool keep_alive_;
  bool started_ = false;
  bool failed_ = false;
  int status_ = 0;
  uint64_t bytes_out_ = 0;
  std::chrono::steady_clock::time_point first_byte_at_{};
};

struct IncomingRequest {
  http::request<http::string_body> message;
  std::chrono::steady_clock::time_point received_at;  // when the header was complete
  size_t worker = 0;                                  // index of the worker thread serving it
  uint64_t bytes_in = 0;                              // header + body bytes read
};

// An answer the server sends in place of reading a request's body.
struct Refusal {
  int status = 0;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called when a request's header is complete, before its body is read and before any
  // "100 Continue": a refusal is sent at once and the connection closed with the body unread,
  // so a client without credentials cannot make the gateway read (and hold) a large body.
  // Runs on the worker thread; must not block.
  virtual std::optional<Refusal> Admit(const http::request<http::string_body>& head) {
    (void)head;
    return std::nullopt;
  }
  // Answers one request through `w`. Must not throw.
  virtual asio::awaitable<void> Handle(IncomingRequest& req, ResponseWriter& w) = 0;
  // The body and content type for an error the server answers itself (bad framing, limits,
  // timeouts, too many connections), in the protocol the target path implies.
  virtual std::pair<std::string, std::string> ErrorBody(int status, std::string_view message,
                                                        std::string_view target) = 0;
};

class HttpServer {
 public:
  HttpServer(RequestHandler& handler, ServerLimits limits, size_t workers);
  ~HttpServer();

  // Binds host:port (0: an ephemeral port). Fails with a clear message if it cannot.
  absl::Status Listen(const std::string& host, int port);
  int port() const { return port_; }
  // Starts the worker threads and accepting.
  void Start();
  // Drain: stops accepting new connections and lets each open one end after its current
  // answer (idle keep-alive connections close now). Requests in flight continue.
  void StopAccepting();
  // Stops accepting, closes connections and joins the workers.
  void Stop();

  int64_t open_connections() const { return open_connections_.load(); }
  size_t workers() const { return workers_.size(); }
  // The io_context of worker i, for per-worker state such as upstream pools.
  asio::io_context& worker_context(size_t i) { return *workers_[i]->ioc; }

 private:
  struct Worker {
    std::unique_ptr<asio::io_context> ioc;
    std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> guard;
    std::thread thread;
  };
  // A connection waiting for its next request: it may be closed to make room.
  struct IdleSlot {
    asio::io_context::executor_type executor;
    tcp::socket* socket;  // valid while `waiting`, on the executor's thread
    bool waiting = true;  // touched only on the executor's thread
    bool shed = false;    // touched only on the executor's thread
    bool listed ABSL_GUARDED_BY(idle_mu_) = true;  // in idle_
  };
  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Session(tcp::socket socket, size_t worker);
  // Closes the oldest idle connection, if any (called by the acceptor near the limit).
  void ShedOldestIdle();
  std::list<std::shared_ptr<IdleSlot>>::iterator AddIdle(std::shared_ptr<IdleSlot> slot);
  void RemoveIdle(const std::shared_ptr<IdleSlot>& slot,
                  std::list<std::shared_ptr<IdleSlot>>::iterator it);

  RequestHandler& handler_;
  const ServerLimits limits_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  int port_ = 0;
  std::atomic<int64_t> open_connections_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> draining_{false};
  std::mutex idle_mu_;
  std::list<std::shared_ptr<IdleSlot>> idle_ ABSL_GUARDED_BY(idle_mu_);  // oldest first
  std::atomic<int64_t> shed_total_{0};

 public:
  // Idle keep-alive connections closed to make room for new ones.
  int64_t shed_total() const { return shed_total_.load(); }
};

}  // namespace agentgate::net
