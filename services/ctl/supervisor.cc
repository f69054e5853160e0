#include "services/ctl/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/ctl/stack_file.h"
#include "services/ctl/stack_lock.h"

namespace agentgate::ctl {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  std::string name;
  std::string binary;
  std::vector<std::string> args;  // without --port / --port-file
  int port = 0;                   // requested; the bound one after the first start
  pid_t pid = 0;
  Clock::time_point started{};
  Clock::time_point restart_at{};
  std::chrono::seconds backoff{1};
  bool restart_pending = false;
};

std::string PortFile(const std::string& home, const std::string& name) {
  return home + "/run/" + name + ".port";
}

pid_t Spawn(const UpOptions& opts, const Child& c, bool log_to_file) {
  std::string port_file = PortFile(opts.home, c.name);
  ::unlink(port_file.c_str());
  std::vector<std::string> argv = {c.binary};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  argv.push_back("--port=" + std::to_string(c.port));
  argv.push_back("--port-file=" + port_file);
  argv.push_back("--home=" + opts.home);
  std::string log_path = opts.home + "/logs/" + c.name + ".log";
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child.
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the supervisor
  if (::getppid() != parent) _exit(1);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (log_to_file) {
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  ::execv(c.binary.c_str(), cargv.data());
  std::fprintf(stderr, "agentgatectl: cannot run %s: %s\n", c.binary.c_str(), std::strerror(errno));
  _exit(127);
}

// Waits for the child's port file; false if it exits or `timeout` passes first.
bool WaitForPort(const UpOptions& opts, Child& c, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string path = PortFile(opts.home, c.name);
  while (Clock::now() < deadline) {
    if (auto text = ReadFile(path); text.ok() && !text->empty() && text->back() == '\n') {
      c.port = std::atoi(text->c_str());
      return c.port > 0;
    }
    int status = 0;
    if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {
      c.pid = 0;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void StopChild(Child& c, std::chrono::milliseconds grace) {
  if (c.pid <= 0) return;
  ::kill(c.pid, SIGTERM);
  auto deadline = Clock::now() + grace;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {
      c.pid = 0;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  LogWarn("service did not stop in time; killing").Kv("service", c.name);
  ::kill(c.pid, SIGKILL);
  ::waitpid(c.pid, &status, 0);
  c.pid = 0;
}

void StopAll(std::vector<Child>& children) {
  // Reverse start order: edge, router, probe, stats.
  for (auto it = children.rbegin(); it != children.rend(); ++it) {
    StopChild(*it, std::chrono::seconds(12));
  }
}

std::string Tail(const std::string& path, size_t lines) {
  auto text = ReadFile(path);
  if (!text.ok()) return "";
  size_t pos = text->size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = text->rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  return text->substr(pos == 0 ? 0 : pos + 1);
}

// Records the stack, with each process's start time and the boot id, so `down` can tell these
// processes from later ones that get the same pids.
void WriteStack(const UpOptions& opts, const std::vector<Child>& children, int64_t started) {
  StackFile f;
  f.supervisor_pid = ::getpid();
  if (auto boot = BootId(); boot.ok()) f.boot_id = *boot;
  if (auto me = ReadProcessIdentity(f.supervisor_pid); me.ok()) {
    f.supervisor_start_time = me->start_time;
  }
  f.started_at_ms = started;
  f.home = opts.home;
  for (const auto& c : children) {
    StackService s{JoinHostPort(opts.host, c.port), c.pid};
    if (auto id = ReadProcessIdentity(c.pid); c.pid > 0 && id.ok()) s.start_time = id->start_time;
    f.services[c.name] = s;
  }
  if (auto st = WriteStackFile(opts.home, f); !st.ok()) {
    LogError("cannot write stack.json").Kv("error", Message(st));
  }
}

void PrintBanner(const UpOptions& opts, const StackFile& f, bool detached) {
  std::string url = f.GatewayUrl();
  std::printf(
      "AgentGate is up.\n"
      "  gateway   %s   (OpenAI-style base URL: %s/v1)\n"
      "  admin     %s   (its credential: %s/admin.token)\n"
      "  token     %s/token   (clients' key; print it with: agentgatectl token)\n"
      "  data      %s\n"
      "%s",
      url.c_str(), url.c_str(), f.services.at("router").address.c_str(), opts.home.c_str(),
      opts.home.c_str(), opts.home.c_str(),
      detached ? "Stop it with: agentgatectl down\n"
               : "Press Ctrl-C to stop (or run: agentgatectl down).\n");
  std::fflush(stdout);
}

// Starts the group; returns false (with everything stopped) if a service does not come up.
bool StartAll(const UpOptions& opts, std::vector<Child>& children, bool log_to_file) {
  auto start = [&](Child& c) {
    c.pid = Spawn(opts, c, log_to_file);
    c.started = Clock::now();
  };
  auto wait = [&](Child& c) {
    if (WaitForPort(opts, c, std::chrono::seconds(20))) return true;
    std::fprintf(stderr, "agentgatectl: %s did not start", c.name.c_str());
    if (log_to_file) {
      std::string log = opts.home + "/logs/" + c.name + ".log";
      std::fprintf(stderr, "; the end of %s:\n%s", log.c_str(), Tail(log, 8).c_str());
    } else {
      std::fprintf(stderr, " (see its messages above)\n");
    }
    return false;
  };
  // children: stats, probe, router, edge.
  start(children[0]);
  start(children[1]);
  if (!wait(children[0]) || !wait(children[1])) {
    StopAll(children);
    return false;
  }
  std::string stats_addr = JoinHostPort(opts.host, children[0].port);
  std::string probe_addr = JoinHostPort(opts.host, children[1].port);
  children[2].args.push_back("--stats=" + stats_addr);
  children[2].args.push_back("--probe=" + probe_addr);
  start(children[2]);
  if (!wait(children[2])) {
    StopAll(children);
    return false;
  }
  children[3].args.push_back("--router=" + JoinHostPort(opts.host, children[2].port));
  children[3].args.push_back("--stats=" + stats_addr);
  start(children[3]);
  if (!wait(children[3])) {
    StopAll(children);
    return false;
  }
  return true;
}

int Supervise(const UpOptions& opts, bool log_to_file) {
  std::vector<std::string> common = {"--host=" + opts.host};
  if (opts.allow_remote) common.push_back("--allow-remote");
  std::vector<Child> children = {
      {"stats", opts.bin_dir + "/agentgate-stats", common, opts.stats_port},
      {"probe", opts.bin_dir + "/agentgate-probe", common, opts.probe_port},
      {"router", opts.bin_dir + "/agentgate-router", common, opts.router_port},
      {"edge", opts.bin_dir + "/agentgate-edge", common, opts.edge_port},
  };
  for (const auto& c : children) {
    if (!FileExists(c.binary)) {
      std::fprintf(stderr, "agentgatectl: %s is missing (build the project first)\n",
                   c.binary.c_str());
      return 1;
    }
  }
  if (!StartAll(opts, children, log_to_file)) return 1;
  int64_t started = NowMs();
  WriteStack(opts, children, started);
  LogInfo("stack up").Kv("gateway", "http://" + JoinHostPort(opts.host, children[3].port));

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  for (;;) {
    timespec ts{0, 250 * 1000 * 1000};
    siginfo_t info;
    int sig = ::sigtimedwait(&set, &info, &ts);
    if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
      LogInfo("stopping the stack").Kv("signal", sig);
      break;
    }
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      for (auto& c : children) {
        if (c.pid != pid) continue;
        c.pid = 0;
        if (Clock::now() - c.started > std::chrono::minutes(1)) c.backoff = std::chrono::seconds(1);
        c.restart_pending = true;
        c.restart_at = Clock::now() + c.backoff;
        LogWarn("service exited; restarting")
            .Kv("service", c.name)
            .Kv("status", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status))
            .Kv("in_s", static_cast<int64_t>(c.backoff.count()));
        c.backoff = std::min(c.backoff * 2, std::chrono::seconds(30));
      }
    }
    bool changed = false;
    for (auto& c : children) {
      if (!c.restart_pending || Clock::now() < c.restart_at) continue;
      c.restart_pending = false;
      c.pid = Spawn(opts, c, log_to_file);
      c.started = Clock::now();
      if (WaitForPort(opts, c, std::chrono::seconds(20))) {
        LogInfo("service restarted").Kv("service", c.name).Kv("pid", static_cast<int64_t>(c.pid));
      } else if (c.pid == 0) {
        c.restart_pending = true;
        c.restart_at = Clock::now() + c.backoff;
        c.backoff = std::min(c.backoff * 2, std::chrono::seconds(30));
      }
      changed = true;
    }
    if (changed) WriteStack(opts, children, started);
  }
  StopAll(children);
  ::unlink(StackFilePath(opts.home).c_str());
  for (const auto& c : children) ::unlink(PortFile(opts.home, c.name).c_str());
  LogInfo("stack stopped");
  return 0;
}

}  // namespace

int RunUp(const UpOptions& opts) {
  InitLogging("ctl");
  if (!IsLoopbackHost(opts.host) && !opts.allow_remote) {
    std::fprintf(stderr,
                 "agentgatectl: refusing to listen on non-loopback address %s: anyone who can "
                 "reach it could spend your provider credit. Pass --allow-remote if you mean "
                 "it (and keep the token secret).\n",
                 opts.host.c_str());
    return 2;
  }
  // The data folder holds the token and keys: refuse one another user owns or can write to.
  if (auto st = EnsureDataDir(opts.home); !st.ok()) {
    std::fprintf(stderr, "agentgatectl: %s\n", Message(st).c_str());
    return 1;
  }
  for (const char* sub : {"/run", "/logs"}) {
    if (auto st = EnsureDir(opts.home + sub); !st.ok()) {
      std::fprintf(stderr, "agentgatectl: %s\n", Message(st).c_str());
      return 1;
    }
  }
  // One stack per data folder. The lock lasts as long as this process or, with --detach, the
  // background supervisor forked below, which shares it.
  auto lock = StackLock::Acquire(opts.home);
  if (!lock.ok()) {
    std::fprintf(stderr, "agentgatectl: %s\n", Message(lock.status()).c_str());
    return 1;
  }
  // A supervisor from before the lock existed does not hold it: its stack file still tells.
  if (auto f = ReadStackFile(opts.home); f.ok()) {
    PidState state = f->SupervisorState();
    if (state == PidState::kRunning) {
      std::fprintf(stderr,
                   "agentgatectl: the stack is already running (supervisor pid %d, gateway %s); "
                   "run agentgatectl down first\n",
                   f->supervisor_pid, f->GatewayUrl().c_str());
      return 1;
    }
    if (state == PidState::kUnverifiable) {
      std::fprintf(stderr,
                   "agentgatectl: %s was written by an older agentgatectl and names supervisor "
                   "pid %d, which is alive but cannot be verified as AgentGate's (no start time "
                   "recorded). If it is AgentGate, stop it (kill %d); if not, remove %s. Then "
                   "run agentgatectl up again.\n",
                   StackFilePath(opts.home).c_str(), f->supervisor_pid, f->supervisor_pid,
                   StackFilePath(opts.home).c_str());
      return 1;
    }
  }
  // SIGCHLD must stay blocked so sigtimedwait sees it; the others are blocked by main.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, nullptr);

  if (!opts.detach) {
    // Foreground: print the banner once the stack is up, from a helper thread.
    std::thread banner([&] {
      for (int i = 0; i < 3000; ++i) {
        auto f = ReadStackFile(opts.home);
        if (f.ok() && f->supervisor_pid == ::getpid()) {
          PrintBanner(opts, *f, false);
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    banner.detach();
    return Supervise(opts, false);
  }

  ::unlink(StackFilePath(opts.home).c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = ::fork();
  if (pid < 0) {
    std::fprintf(stderr, "agentgatectl: fork failed: %s\n", std::strerror(errno));
    return 1;
  }
  if (pid > 0) {
    // Parent: wait until the background supervisor reports the stack up, or fails.
    auto deadline = Clock::now() + std::chrono::seconds(90);
    while (Clock::now() < deadline) {
      auto f = ReadStackFile(opts.home);
      if (f.ok() && f->supervisor_pid == pid) {
        PrintBanner(opts, *f, true);
        return 0;
      }
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        std::fprintf(stderr, "agentgatectl: the stack did not start; logs are in %s/logs\n",
                     opts.home.c_str());
        std::string tail = Tail(opts.home + "/logs/supervisor.log", 10);
        if (!tail.empty()) std::fprintf(stderr, "%s", tail.c_str());
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::fprintf(stderr, "agentgatectl: the stack did not come up within 90 s; see %s/logs\n",
                 opts.home.c_str());
    return 1;
  }
  // Background supervisor: it shares the lock; the parent's copy closes when it returns.
  ::setsid();
  if (auto st = lock->SetHolder(::getpid()); !st.ok()) {
    LogWarn("cannot record the lock holder").Kv("error", Message(st));
  }
  int devnull = ::open("/dev/null", O_RDWR);
  int log = ::open((opts.home + "/logs/supervisor.log").c_str(),
                   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (log >= 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
  }
  return Supervise(opts, true);
}

int RunDown(const std::string& home) {
  auto f = ReadStackFile(home);
  if (!f.ok()) {
    std::fprintf(stderr, "agentgatectl: the stack is not running (no %s)\n",
                 StackFilePath(home).c_str());
    return 1;
  }
  // Only a process that is still the one recorded is signalled: a pid reused since is not ours.
  PidState supervisor =
      SignalIfSame(f->supervisor_pid, f->supervisor_start_time, f->boot_id, SIGTERM);
  if (supervisor == PidState::kUnverifiable) {
    std::fprintf(stderr,
                 "agentgatectl: %s was written by an older agentgatectl: the supervisor pid %d "
                 "cannot be verified (no start time recorded), so it is not signalled. If it is "
                 "AgentGate's supervisor, stop it with: kill %d; if not, remove the file.\n",
                 StackFilePath(home).c_str(), f->supervisor_pid, f->supervisor_pid);
    return 1;
  }
  if (supervisor != PidState::kRunning) {
    // The supervisor died without cleaning up: stop what is left of its services.
    std::printf("The supervisor (pid %d) is %s.\n", f->supervisor_pid,
                PidStateText(supervisor).c_str());
    for (const auto& [name, s] : f->services) {
      PidState state = SignalIfSame(s.pid, s.start_time, f->boot_id, SIGTERM);
      switch (state) {
        case PidState::kRunning:
          std::printf("  %s (pid %d): told to stop (SIGTERM)\n", name.c_str(), s.pid);
          break;
        case PidState::kStale:
          std::printf("  %s (pid %d): not running (stale pid); not signalled\n", name.c_str(),
                      s.pid);
          break;
        case PidState::kUnverifiable:
          std::printf(
              "  %s (pid %d): cannot be verified (stack file from an older agentgatectl); not "
              "signalled: if it is AgentGate's %s, stop it with: kill %d\n",
              name.c_str(), s.pid, name.c_str(), s.pid);
          break;
        case PidState::kNotRunning:
          break;
      }
    }
    ::unlink(StackFilePath(home).c_str());
    std::printf("AgentGate stopped (stale supervisor; cleaned up).\n");
    return 0;
  }
  // Done when the supervisor is gone, not merely exited: its parent (init, after --detach) reaps
  // it at once, and whoever runs down next may expect the pid to be free.
  auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    if (ProcessGone(f->supervisor_pid, f->supervisor_start_time, f->boot_id)) {
      std::printf("AgentGate stopped.\n");
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "agentgatectl: the supervisor (pid %d) did not stop within 60 s\n",
               f->supervisor_pid);
  return 1;
}

}  // namespace agentgate::ctl
