#include "services/common/grpc_util.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "services/common/files.h"
#include "services/common/token.h"

namespace agentgate {

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

grpc::Status CheckBearer(const grpc::ServerContext& ctx, std::string_view expected) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) {
    return grpc::Status(
        grpc::StatusCode::UNAUTHENTICATED,
        "missing authorization metadata: send 'authorization: Bearer <local token>'");
  }
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() <= kBearer.size() || value.substr(0, kBearer.size()) != kBearer ||
      !ConstantTimeEquals(value.substr(kBearer.size()), expected)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "wrong local token");
  }
  return grpc::Status::OK;
}

void AddBearer(grpc::ClientContext& ctx, std::string_view token) {
  ctx.AddMetadata("authorization", "Bearer " + std::string(token));
}

grpc::ChannelArguments LocalChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  // Our peers are on this machine: never route them through a proxy from the environment.
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  return args;
}

std::shared_ptr<grpc::Channel> LocalChannel(const std::string& address) {
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   LocalChannelArguments());
}

std::string JoinHostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(
    const std::string& host, int* port, const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int selected = 0;
  builder.AddListeningPort(JoinHostPort(host, *port), grpc::InsecureServerCredentials(), &selected);
  builder.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  for (auto* s : services) builder.RegisterService(s);
  auto server = builder.BuildAndStart();
  if (!server || selected == 0) {
    return absl::UnavailableError("cannot listen on " + JoinHostPort(host, *port) +
                                  " (in use, or not an address of this machine)");
  }
  *port = selected;
  return server;
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

absl::Status WritePortFile(const std::string& path, int port) {
  if (path.empty()) return absl::OkStatus();
  return WriteFileAtomic(path, std::to_string(port) + "\n", 0644);
}

admin::v1::ServiceInfo MakeServiceInfo(std::string_view name, std::string_view address,
                                       int64_t started_at_ms) {
  admin::v1::ServiceInfo info;
  info.set_name(std::string(name));
  info.set_version(AGENTGATE_VERSION);
  info.set_address(std::string(address));
  info.set_started_at_ms(started_at_ms);
  info.set_pid(static_cast<int32_t>(::getpid()));
  return info;
}

}  // namespace agentgate

namespace agentgate {
bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}
}  // namespace agentgate
