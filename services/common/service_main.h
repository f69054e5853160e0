// What every gRPC service's main does the same way: the common flags (--home, --host, --port,
// --port-file, --metrics-port, --metrics-port-file, --allow-remote, --log-level, --help), the
// loopback check, serving until SIGTERM or SIGINT, and a graceful shutdown.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "services/common/flags.h"

namespace agentgate {

struct ServiceOptions {
  std::string home;
  std::string host;
  int port = 0;
  std::string port_file;
  int metrics_port = -1;  // --metrics-port: HTTP GET /metrics there (0: any port); -1: off
  std::string metrics_port_file;
};

// Adds the common flags to `extra`, parses argv and initialises logging as `name`.
// Returns an exit code when the process should exit now (--help, a bad flag, a remote bind
// without --allow-remote); otherwise fills *opts and *flags.
std::optional<int> ParseServiceFlags(const std::string& name, const std::string& description,
                                     int default_port, const char* port_env,
                                     std::vector<FlagSpec> extra, int argc, char** argv,
                                     ServiceOptions* opts, Flags** flags);

// Starts a gRPC server with `services` (plus health) on opts.host:opts.port, writes the port
// file, calls on_started(address), waits for SIGTERM/SIGINT and shuts down within 5 s.
// Returns the process exit code.
int ServeUntilSignal(const std::string& name, const ServiceOptions& opts,
                     const std::vector<grpc::Service*>& services,
                     const std::function<void(const std::string& address)>& on_started,
                     const std::function<void()>& before_shutdown = nullptr);

}  // namespace agentgate
