// Test harness for integration tests: starts the real service binaries as child processes on
// ephemeral loopback ports with a temporary AGENTGATE_HOME, and offers a small blocking HTTP
// client and an admin API client. Not thread-safe; one Stack per test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agentgate/admin/v1/admin.grpc.pb.h"

namespace agentgate::testing {

// A child process with its stdout/stderr in a log file.
class Process {
 public:
  Process() = default;
  ~Process();
  // Starts argv[0] with argv and the current environment plus `env`.
  void Start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& log_path);
  // Sends `sig` and waits for the exit (SIGKILL after `grace`). Returns the wait status.
  int Stop(int sig = 15, std::chrono::milliseconds grace = std::chrono::seconds(10));
  bool Running();
  pid_t pid() const { return pid_; }
  // The wait status of a process Running() found ended (-1: not found ended yet).
  int exit_status() const { return exit_status_; }

 private:
  pid_t pid_ = 0;
  int exit_status_ = -1;
};

// Runs a command to completion; returns its exit code and captures stdout.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {});

std::string MakeTempDir(const std::string& prefix);
std::string BinPath(const std::string& name);
std::string ReadFileOrEmpty(const std::string& path);
// Polls `pred` every 20 ms until it is true or `timeout` passes.
bool WaitFor(const std::function<bool()>& pred,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

struct HttpResponse {
  int status = 0;                              // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string error;
  // For streamed bodies: each piece as it arrived, and when (ms after the request was sent).
  std::vector<std::string> pieces;
  std::vector<int64_t> piece_ms;
};

// One blocking HTTP/1.1 request to 127.0.0.1:port, reading the body piece by piece.
HttpResponse HttpRequest(int port, const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

class Stack {
 public:
  struct Options {
    std::vector<std::string> edge_args;
    std::map<std::string, std::string> env;
    std::vector<std::string> router_args;
    std::vector<std::string> stats_args;
    std::string home;  // "": a new temporary folder
  };
  Stack();
  explicit Stack(Options opts);
  ~Stack();

  // Starts stats, probe, router, edge; waits until the edge has a config snapshot.
  void Start();
  // Starts (or restarts) one service on its previous port, if it had one.
  void StartService(const std::string& name);
  void StopService(const std::string& name, int sig = 15);

  const std::string& home() const { return home_; }
  // Safe to call from load threads while a service restarts (chaos_test).
  int port(const std::string& name) const {
    std::lock_guard lock(ports_mu_);
    return ports_.at(name);
  }
  int edge_port() const { return port("edge"); }
  std::string address(const std::string& name) const;
  std::string token() const;          // the client key, from the token file
  std::string admin_token() const;    // the admin credential, from admin.token
  std::string service_token() const;  // what the services present to each other
  std::string log(const std::string& name) const;
  // The process id of a running service (0 when it is not running).
  pid_t pid(const std::string& name) const;

  // Admin API with the current token (or `token` if given).
  std::unique_ptr<admin::v1::AdminService::Stub> Admin() const;
  // Waits until the edge serves the router's current config (after a change through the admin
  // API, which reaches the edge a moment later). False after 10 s.
  bool SyncEdge();
  // With the admin credential, or `token` when given.
  std::unique_ptr<grpc::ClientContext> AdminContext(const std::string& token = "") const;

  // Adds an openai-compatible provider via the admin API; fails the test on error.
  admin::v1::Provider AddProvider(const std::string& name, const std::string& base_url,
                                  const std::string& key, const std::string& model,
                                  const std::map<std::string, std::string>& model_map = {});

  // POST /v1/chat/completions with the local token.
  HttpResponse Chat(const std::string& body,
                    const std::map<std::string, std::string>& extra_headers = {});
  // POST /v1/messages (x-api-key, anthropic-version) and POST /v1/responses with the token.
  HttpResponse Messages(const std::string& body);
  HttpResponse Responses(const std::string& body);

 private:
  Options opts_;
  std::string home_;
  mutable std::mutex ports_mu_;
  std::map<std::string, int> ports_;  // guarded by ports_mu_ where load threads read it
  std::map<std::string, std::unique_ptr<Process>> procs_;
};

// {"model":M,"messages":[{"role":"user","content":"hi"}]} with optional stream flags. Requests
// with the same content are one conversation to session affinity (the edge keeps it on the
// provider and key of its last answer): tests of health and rotation vary it.
std::string ChatBody(const std::string& model, bool stream = false, bool include_usage = false,
                     const std::string& content = "hi");
// A new conversation each call ("hi 1", "hi 2", …).
std::string NewChatBody(const std::string& model, bool stream = false);

}  // namespace agentgate::testing
