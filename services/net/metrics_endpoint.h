// GET /metrics over HTTP for the gRPC services (router, stats, probe), whose own ports speak
// only gRPC: a one-worker HttpServer that answers with `render()` in the Prometheus text
// format, 404 for anything else. Started beside the service when --metrics-port is given.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/service_main.h"
#include "services/net/http_server.h"

namespace agentgate::net {

class MetricsEndpoint final : public RequestHandler {
 public:
  explicit MetricsEndpoint(std::function<std::string()> render);
  ~MetricsEndpoint() override;

  // Binds host:port (0: any) and starts serving. Fails with a clear message.
  absl::Status Start(const std::string& host, int port);
  int port() const;
  void Stop();

  asio::awaitable<void> Handle(IncomingRequest& req, ResponseWriter& w) override;
  std::pair<std::string, std::string> ErrorBody(int status, std::string_view message,
                                                std::string_view target) override;

 private:
  std::function<std::string()> render_;
  std::unique_ptr<HttpServer> server_;
};

// When opts.metrics_port is set: an endpoint serving `render()` on opts.host, its port written
// to opts.metrics_port_file. nullptr when metrics are off.
absl::StatusOr<std::unique_ptr<MetricsEndpoint>> StartMetricsEndpoint(
    const ServiceOptions& opts, std::function<std::string()> render);

}  // namespace agentgate::net
