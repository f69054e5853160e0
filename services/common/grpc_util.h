// gRPC glue shared by the services: status mapping, bearer-token metadata, server start-up,
// and the shutdown-signal wait every service main uses.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate {

grpc::Status ToGrpc(const absl::Status& s);
absl::Status FromGrpc(const grpc::Status& s);

// OK when the call carries `authorization: Bearer <expected>`; UNAUTHENTICATED otherwise.
grpc::Status CheckBearer(const grpc::ServerContext& ctx, std::string_view expected);
void AddBearer(grpc::ClientContext& ctx, std::string_view token);

// The arguments of every channel LocalChannel makes: quick reconnects, and no HTTP proxy.
// gRPC otherwise sends a channel through $grpc_proxy / $https_proxy / $http_proxy, which would
// carry the local token to the proxy or fail the call when the proxy cannot reach 127.0.0.1.
grpc::ChannelArguments LocalChannelArguments();

// An insecure channel to a loopback or local address ("127.0.0.1:9091"), always direct. Every
// channel the services, agentgatectl and the desktop app open goes through here.
std::shared_ptr<grpc::Channel> LocalChannel(const std::string& address);

// Builds and starts a server on host:port (port 0 picks a free one) with the default health
// service. The selected port is stored in *port. Fails if the address cannot be bound.
absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(
    const std::string& host, int* port, const std::vector<grpc::Service*>& services);

// "127.0.0.1:9091", "[::1]:9091".
std::string JoinHostPort(const std::string& host, int port);

// Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread and every thread it starts later.
// Call first thing in main.
void BlockShutdownSignals();
// Waits for SIGTERM or SIGINT; returns the signal number.
int WaitForShutdownSignal();

// Writes the port to `path` (if not empty) so a supervisor can learn an ephemeral port.
absl::Status WritePortFile(const std::string& path, int port);

// The ServiceInfo a service reports about itself.
admin::v1::ServiceInfo MakeServiceInfo(std::string_view name, std::string_view address,
                                       int64_t started_at_ms);

}  // namespace agentgate

namespace agentgate {
// True for 127.0.0.0/8, ::1 and "localhost". Services refuse other bind addresses unless
// --allow-remote is given.
bool IsLoopbackHost(const std::string& host);
}  // namespace agentgate
