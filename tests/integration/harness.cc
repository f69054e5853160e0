#include "tests/integration/harness.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace agentgate::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::vector<std::string> MergedEnv(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int out_fd, int err_fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<std::string> envs = MergedEnv(env);
  std::vector<char*> cargv, cenv;
  std::vector<std::string> args = argv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : envs) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0].c_str(), &fa, &attr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << args[0] << ": " << std::strerror(rc);
    return 0;
  }
  return pid;
}

}  // namespace

Process::~Process() {
  if (pid_ > 0) Stop(SIGKILL);
}

void Process::Start(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& env, const std::string& log_path) {
  int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = Spawn(argv, env, fd, fd);
  if (fd >= 0) ::close(fd);
}

int Process::Stop(int sig, std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, sig);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  return status;
}

bool Process::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = 0;
    exit_status_ = status;
    return false;
  }
  return true;
}

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env) {
  std::string dir = MakeTempDir("cmd");
  std::string out_path = dir + "/out", err_path = dir + "/err";
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  CommandResult r;
  pid_t pid = Spawn(argv, env, out, err);
  ::close(out);
  ::close(err);
  if (pid <= 0) return r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrEmpty(out_path);
  r.err = ReadFileOrEmpty(err_path);
  return r;
}

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = "/tmp/agentgate-" + prefix + "-XXXXXX";
  char* dir = ::mkdtemp(tmpl.data());
  if (dir == nullptr) ADD_FAILURE() << "mkdtemp failed";
  return tmpl;
}

std::string BinPath(const std::string& name) { return std::string(AGENTGATE_BIN_DIR) + "/" + name; }

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

HttpResponse HttpRequest(int port, const std::string& method, const std::string& target,
                         const std::string& body, const std::map<std::string, std::string>& headers,
                         std::chrono::milliseconds timeout) {
  HttpResponse out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(timeout);
  stream.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  auto start = std::chrono::steady_clock::now();
  http::write(stream, req, ec);
  if (ec) {
    out.error = "write: " + ec.message();
    return out;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  http::read_header(stream, buffer, parser, ec);
  if (ec) {
    out.error = "read header: " + ec.message();
    return out;
  }
  out.status = parser.get().result_int();
  for (const auto& f : parser.get()) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  char buf[64 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    http::read_some(stream, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    size_t n = sizeof buf - parser.get().body().size;
    if (n > 0) {
      out.pieces.emplace_back(buf, n);
      out.piece_ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count());
      out.body.append(buf, n);
    }
    if (ec) {
      out.error = "read body: " + ec.message();
      break;
    }
  }
  return out;
}

std::string ChatBody(const std::string& model, bool stream, bool include_usage,
                     const std::string& content) {
  boost::json::object o;
  o["model"] = model;
  boost::json::array messages;
  messages.push_back(boost::json::object{{"role", "user"}, {"content", content}});
  o["messages"] = std::move(messages);
  if (stream) o["stream"] = true;
  if (include_usage) o["stream_options"] = boost::json::object{{"include_usage", true}};
  return boost::json::serialize(o);
}

std::string NewChatBody(const std::string& model, bool stream) {
  static std::atomic<int> n{0};
  return ChatBody(model, stream, false, "hi " + std::to_string(++n));
}

Stack::Stack() : Stack(Options{}) {}
Stack::Stack(Options opts)
    : opts_(std::move(opts)), home_(opts_.home.empty() ? MakeTempDir("home") : opts_.home) {}

Stack::~Stack() {
  for (const char* name : {"edge", "router", "probe", "stats"}) {
    if (procs_.count(name)) procs_[name]->Stop(SIGTERM);
  }
}

std::string Stack::address(const std::string& name) const {
  return "127.0.0.1:" + std::to_string(port(name));
}

std::string Stack::log(const std::string& name) const {
  return ReadFileOrEmpty(home_ + "/" + name + ".log");
}

void Stack::StartService(const std::string& name) {
  std::string port_file = home_ + "/" + name + ".port";
  ::unlink(port_file.c_str());
  int port = 0;
  {
    std::lock_guard lock(ports_mu_);
    if (auto it = ports_.find(name); it != ports_.end()) port = it->second;
  }
  std::vector<std::string> argv = {BinPath("agentgate-" + name), "--home",      home_,    "--port",
                                   std::to_string(port),         "--port-file", port_file};
  if (name == "router") {
    argv.insert(argv.end(), {"--stats", address("stats"), "--probe", address("probe")});
    argv.insert(argv.end(), opts_.router_args.begin(), opts_.router_args.end());
  } else if (name == "stats") {
    argv.insert(argv.end(), opts_.stats_args.begin(), opts_.stats_args.end());
  } else if (name == "edge") {
    argv.insert(argv.end(), {"--router", address("router"), "--stats", address("stats")});
    argv.insert(argv.end(), opts_.edge_args.begin(), opts_.edge_args.end());
  }
  auto& proc = procs_[name];
  if (!proc) proc = std::make_unique<Process>();
  std::map<std::string, std::string> env = opts_.env;
  env["AGENTGATE_LOG_LEVEL"] = "debug";
  // Automatic provider tests would send requests the tests do not expect; the tests of that
  // feature turn them on.
  env.emplace("AGENTGATE_AUTO_TEST", "off");
  proc->Start(argv, env, home_ + "/" + name + ".log");
  bool up = WaitFor([&] {
    std::string text = ReadFileOrEmpty(port_file);
    return !text.empty() && text.back() == '\n';
  });
  ASSERT_TRUE(up) << name << " did not start; log:\n" << log(name);
  const int bound = std::stoi(ReadFileOrEmpty(port_file));
  std::lock_guard lock(ports_mu_);
  ports_[name] = bound;
}

void Stack::StopService(const std::string& name, int sig) {
  if (procs_.count(name)) procs_[name]->Stop(sig);
}

void Stack::Start() {
  StartService("stats");
  StartService("probe");
  StartService("router");
  StartService("edge");
  bool ready = WaitFor([&] { return HttpRequest(edge_port(), "GET", "/health").status == 200; });
  ASSERT_TRUE(ready) << "edge never got a snapshot; edge log:\n" << log("edge");
}

std::string Stack::token() const {
  std::string t = ReadFileOrEmpty(home_ + "/token");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

std::unique_ptr<admin::v1::AdminService::Stub> Stack::Admin() const {
  return admin::v1::AdminService::NewStub(
      grpc::CreateChannel(address("router"), grpc::InsecureChannelCredentials()));
}

std::string Stack::service_token() const {
  std::string t = ReadFileOrEmpty(home_ + "/service.token");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

std::string Stack::admin_token() const {
  std::string t = ReadFileOrEmpty(home_ + "/admin.token");
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

std::unique_ptr<grpc::ClientContext> Stack::AdminContext(const std::string& token) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + (token.empty() ? admin_token() : token));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

admin::v1::Provider Stack::AddProvider(const std::string& name, const std::string& base_url,
                                       const std::string& key, const std::string& model,
                                       const std::map<std::string, std::string>& model_map) {
  admin::v1::CreateProviderRequest req;
  req.mutable_provider()->set_name(name);
  req.mutable_provider()->set_type("custom_openai_compatible");
  req.mutable_provider()->set_base_url(base_url);
  req.mutable_provider()->set_default_model(model);
  for (const auto& [k, v] : model_map) (*req.mutable_provider()->mutable_model_map())[k] = v;
  req.set_api_key(key);
  admin::v1::Provider resp;
  auto ctx = AdminContext();
  grpc::Status st = Admin()->CreateProvider(ctx.get(), req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(SyncEdge());
  return resp;
}

bool Stack::SyncEdge() {
  admin::v1::StackStatus status;
  auto ctx = AdminContext();
  if (!Admin()->GetStackStatus(ctx.get(), {}, &status).ok()) return false;
  // At or past it: the router may have moved on meanwhile (a provider test's result, …).
  const uint64_t want = status.config_version();
  return WaitFor([&] {
    HttpResponse m =
        HttpRequest(edge_port(), "GET", "/metrics", "", {{"authorization", "Bearer " + token()}});
    constexpr std::string_view kGauge = "\nagentgate_config_version ";
    size_t at = m.body.find(kGauge);
    if (m.status != 200 || at == std::string::npos) return false;
    return std::strtoull(m.body.c_str() + at + kGauge.size(), nullptr, 10) >= want;
  });
}

pid_t Stack::pid(const std::string& name) const {
  auto it = procs_.find(name);
  return it == procs_.end() ? 0 : it->second->pid();
}

HttpResponse Stack::Chat(const std::string& body,
                         const std::map<std::string, std::string>& extra_headers) {
  std::map<std::string, std::string> headers = {{"authorization", "Bearer " + token()}};
  for (const auto& [k, v] : extra_headers) headers[k] = v;
  return HttpRequest(edge_port(), "POST", "/v1/chat/completions", body, headers);
}

HttpResponse Stack::Messages(const std::string& body) {
  return HttpRequest(edge_port(), "POST", "/v1/messages", body,
                     {{"x-api-key", token()}, {"anthropic-version", "2023-06-01"}});
}

HttpResponse Stack::Responses(const std::string& body) {
  return HttpRequest(edge_port(), "POST", "/v1/responses", body,
                     {{"authorization", "Bearer " + token()}});
}

}  // namespace agentgate::testing
