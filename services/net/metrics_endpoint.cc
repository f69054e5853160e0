#include "services/net/metrics_endpoint.h"

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/strings.h"

namespace agentgate::net {

MetricsEndpoint::MetricsEndpoint(std::function<std::string()> render)
    : render_(std::move(render)) {}

MetricsEndpoint::~MetricsEndpoint() { Stop(); }

absl::Status MetricsEndpoint::Start(const std::string& host, int port) {
  ServerLimits limits;
  limits.body_limit = 64 * 1024;
  limits.header_timeout = std::chrono::seconds(10);
  limits.body_timeout = std::chrono::seconds(10);
  limits.idle_timeout = std::chrono::seconds(60);
  limits.write_timeout = std::chrono::seconds(30);
  limits.max_connections = 64;
  server_ = std::make_unique<HttpServer>(*this, limits, 1);
  if (auto st = server_->Listen(host, port); !st.ok()) {
    server_.reset();
    return st;
  }
  server_->Start();
  return absl::OkStatus();
}

int MetricsEndpoint::port() const { return server_ ? server_->port() : 0; }

void MetricsEndpoint::Stop() {
  if (server_) {
    server_->Stop();
    server_.reset();
  }
}

asio::awaitable<void> MetricsEndpoint::Handle(IncomingRequest& req, ResponseWriter& w) {
  std::string_view target = req.message.target();
  if (target.substr(0, target.find('?')) == "/metrics" && req.message.method() == http::verb::get) {
    co_await w.Send(200, metrics::kContentType, render_());
    co_return;
  }
  co_await w.Send(404, "text/plain; charset=utf-8", "only GET /metrics is served here\n");
}

std::pair<std::string, std::string> MetricsEndpoint::ErrorBody(int status, std::string_view message,
                                                               std::string_view) {
  return {"text/plain; charset=utf-8", std::to_string(status) + " " + std::string(message) + "\n"};
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> StartMetricsEndpoint(
    const ServiceOptions& opts, std::function<std::string()> render) {
  if (opts.metrics_port < 0) return std::unique_ptr<MetricsEndpoint>();
  auto endpoint = std::make_unique<MetricsEndpoint>(std::move(render));
  if (auto st = endpoint->Start(opts.host, opts.metrics_port); !st.ok()) return st;
  if (auto st = WritePortFile(opts.metrics_port_file, endpoint->port()); !st.ok()) {
    LogError("cannot write the metrics port file").Kv("error", Message(st));
  }
  LogInfo("metrics at /metrics").Kv("port", static_cast<int64_t>(endpoint->port()));
  return endpoint;
}

}  // namespace agentgate::net
