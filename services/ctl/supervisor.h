// `agentgatectl up` / `down`: the four services as one supervised group of child processes.
//
// Start order: stats and probe, then the router (told their addresses), then the edge. Each
// service writes its bound port to $AGENTGATE_HOME/run/<name>.port, so port 0 works and tests
// need no fixed ports. A service that exits unexpectedly is restarted on the same port with
// backoff (1 s doubling to 30 s, reset after a minute of running). SIGTERM/SIGINT stop the
// group: the edge first (so it drains), then the router, probe and stats.
#pragma once

#include <string>

namespace agentgate::ctl {

struct UpOptions {
  std::string home;
  std::string bin_dir;  // where the service binaries are
  std::string host = "127.0.0.1";
  bool allow_remote = false;
  int edge_port = 9090;
  int router_port = 9091;
  int probe_port = 9092;
  int stats_port = 9093;
  bool detach = false;
};

// Runs the group until a stop signal (foreground) or starts it in the background and returns
// once it is up (detach). Returns the process exit code.
int RunUp(const UpOptions& opts);

// Stops the group recorded in stack.json; returns the exit code.
int RunDown(const std::string& home);

}  // namespace agentgate::ctl
