#include "services/common/service_main.h"

#include <cstdio>
#include <cstdlib>

#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate {

std::optional<int> ParseServiceFlags(const std::string& name, const std::string& description,
                                     int default_port, const char* port_env,
                                     std::vector<FlagSpec> extra, int argc, char** argv,
                                     ServiceOptions* opts, Flags** flags) {
  std::vector<FlagSpec> specs = {
      {"help", "", "show this help"},
      {"home", "DIR", "data folder (env AGENTGATE_HOME, default ~/.agentgate)"},
      {"host", "ADDR", "gRPC bind address (default 127.0.0.1)"},
      {"port", "PORT",
       "gRPC port, 0 for any (env " + std::string(port_env) + ", default " +
           std::to_string(default_port) + ")"},
      {"port-file", "FILE", "write the bound port here"},
      {"metrics-port", "PORT",
       "serve Prometheus metrics at http://HOST:PORT/metrics (0 for any port; default off)"},
      {"metrics-port-file", "FILE", "write the metrics port here"},
      {"allow-remote", "", "allow a non-loopback bind address"},
      {"log-level", "LEVEL", "debug, info, warn, error (env AGENTGATE_LOG_LEVEL)"},
  };
  specs.insert(specs.end(), extra.begin(), extra.end());
  static Flags* parsed = nullptr;
  parsed = new Flags(specs);  // lives for the process
  if (auto st = parsed->Parse(argc, argv, 1); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), Message(st).c_str());
    return 2;
  }
  if (parsed->Has("help")) {
    std::printf("%s: %s\n\n%s", name.c_str(), description.c_str(), parsed->Usage().c_str());
    return 0;
  }
  std::string short_name = name.substr(name.find('-') + 1);
  InitLogging(short_name, ParseLogLevel(parsed->Get("log-level", "AGENTGATE_LOG_LEVEL", "info")));
  opts->home = parsed->Get("home", "AGENTGATE_HOME", DefaultHome());
  opts->host = parsed->Get("host", nullptr, "127.0.0.1");
  std::string port = parsed->Get("port", port_env, std::to_string(default_port));
  try {
    opts->port = std::stoi(port);
  } catch (...) {
    std::fprintf(stderr, "%s: --port needs a number, got '%s'\n", name.c_str(), port.c_str());
    return 2;
  }
  opts->port_file = parsed->Get("port-file");
  if (parsed->Has("metrics-port")) {
    std::string mp = parsed->Get("metrics-port");
    char* end = nullptr;
    long v = std::strtol(mp.c_str(), &end, 10);
    if (mp.empty() || *end != '\0' || v < 0 || v > 65535) {
      std::fprintf(stderr, "%s: --metrics-port needs a port number, got '%s'\n", name.c_str(),
                   mp.c_str());
      return 2;
    }
    opts->metrics_port = static_cast<int>(v);
  }
  opts->metrics_port_file = parsed->Get("metrics-port-file");
  if (!IsLoopbackHost(opts->host) && !parsed->Has("allow-remote")) {
    std::fprintf(stderr,
                 "%s: refusing to listen on non-loopback address %s; pass --allow-remote if you "
                 "mean it\n",
                 name.c_str(), opts->host.c_str());
    return 2;
  }
  if (opts->home.empty()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), NoHomeMessage().c_str());
    return 2;
  }
  // Refuses a folder another user owns or can write to before anything is read from it.
  if (auto st = EnsureDataDir(opts->home); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), Message(st).c_str());
    return 1;
  }
  *flags = parsed;
  return std::nullopt;
}

int ServeUntilSignal(const std::string& name, const ServiceOptions& opts,
                     const std::vector<grpc::Service*>& services,
                     const std::function<void(const std::string& address)>& on_started,
                     const std::function<void()>& before_shutdown) {
  int port = opts.port;
  auto server = StartGrpcServer(opts.host, &port, services);
  if (!server.ok()) {
    LogError("cannot start").Kv("error", Message(server.status()));
    return 1;
  }
  std::string address = JoinHostPort(opts.host, port);
  if (auto st = WritePortFile(opts.port_file, port); !st.ok()) {
    LogError("cannot write port file").Kv("error", Message(st));
  }
  LogInfo("listening").Kv("addr", address).Kv("version", AGENTGATE_VERSION);
  if (on_started) on_started(address);
  int sig = WaitForShutdownSignal();
  LogInfo("stopping").Kv("signal", sig);
  if (before_shutdown) before_shutdown();
  (*server)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  (*server)->Wait();
  LogInfo("stopped");
  return 0;
}

}  // namespace agentgate
