// agentgatectl: control AgentGate — start and stop the stack, manage providers and the token,
// read logs. Talks to the router's admin API; `up` is also the local supervisor.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/commands.h"
#include "services/ctl/supervisor.h"

namespace agentgate::ctl {
namespace {

constexpr char kUsage[] =
    "agentgatectl: control AgentGate, the gateway between coding agents and LLM providers\n"
    "\n"
    "usage: agentgatectl [--home DIR] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  up [--detach] [--host ADDR] [--port N] [--admin-port N] [--probe-port N]\n"
    "     [--stats-port N] [--allow-remote]      start the stack (Ctrl-C stops it)\n"
    "  down                                      stop a running stack\n"
    "  status [--json]                           health of each service\n"
    "  provider add|update|list|show|reset|test|models|remove|types\n"
    "                                            manage providers (provider --help)\n"
    "  route list|show|add|set|remove|explain    route profiles: which providers serve which\n"
    "                                            client, in what order (route --help)\n"
    "  token [--rotate] [--admin] [--json]       print (or replace) the local token; --admin:\n"
    "                                            the admin credential (for another machine)\n"
    "  logs [--tail N] [--provider P] [--status CODE] [--errors] [--json]\n"
    "                                            recent requests through the gateway, with the\n"
    "                                            failover path of those tried more than once\n"
    "  events [--json]                           live events: requests starting and finishing,\n"
    "                                            provider health, config changes (Ctrl-C stops)\n"
    "  stats [--since 7d] [--by provider|model|client] [--bucket hour|day] [--json]\n"
    "                                            requests, tokens and cost (stats --help)\n"
    "  price list|show|set|reset                 model prices per million tokens (price help)\n"
    "  account import|login|list|show|use|...    official ChatGPT accounts, used like keys, the\n"
    "                                            next when one's usage limit is reached\n"
    "                                            (account help)\n"
    "  backup create|list|prune|restore          backups of the data, made while it serves; a\n"
    "                                            restore shows what changes (backup help)\n"
    "  mcp list|add|remove|import|sync|restore   one list of MCP servers, written into every\n"
    "                                            client's own file and taken back (mcp help)\n"
    "  skill list|add|remove|import|sync|restore Skills (folders with a SKILL.md), copied into\n"
    "                                            the clients' skills folders (skill help)\n"
    "  budget [set USD --mode notify|block|cheapest|off]\n"
    "                                            a daily cost limit (budget --help)\n"
    "  setup [--key KEY] [--clients LIST]        first run: add and test a provider from its key,\n"
    "                                            point your clients at the gateway (setup --help)\n"
    "  doctor [--json] [--bundle FILE]           self-check; a redacted archive for a bug\n"
    "                                            report (doctor --help)\n"
    "  client apply|restore|status|test CLIENT   point Claude Code, Codex, Gemini CLI or\n"
    "                                            OpenCode at the gateway in their own config\n"
    "                                            files, and back (client help)\n"
    "\n"
    "environment: AGENTGATE_HOME (default ~/.agentgate), AGENTGATE_HOST, AGENTGATE_PORT (edge,\n"
    "9090), AGENTGATE_ADMIN_PORT (router, 9091), AGENTGATE_PROBE_PORT (9092),\n"
    "AGENTGATE_STATS_PORT (9093); AGENTGATE_PROVIDER + AGENTGATE_API_KEY add that provider on\n"
    "first start.\n";

std::string BinDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

int Up(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"detach", "", "run in the background"},
           {"host", "ADDR", "bind address"},
           {"port", "N", "edge HTTP port"},
           {"admin-port", "N", "router (admin API) port"},
           {"probe-port", "N", "probe port"},
           {"stats-port", "N", "stats port"},
           {"allow-remote", "", "allow a non-loopback bind address"}});
  if (auto st = f.Parse(args); !st.ok()) {
    std::fprintf(stderr, "agentgatectl: %s\n", Message(st).c_str());
    return 2;
  }
  UpOptions o;
  o.home = home;
  o.bin_dir = BinDir();
  o.host = f.Get("host", "AGENTGATE_HOST", "127.0.0.1");
  o.allow_remote = f.Has("allow-remote");
  o.detach = f.Has("detach");
  auto port = [&](const char* flag, const char* env, int def, int* out) {
    std::string v = f.Get(flag, env, std::to_string(def));
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (end == v.c_str() || *end != '\0' || n < 0 || n > 65535) {
      std::fprintf(stderr, "agentgatectl: --%s needs a port number, got '%s'\n", flag, v.c_str());
      return false;
    }
    *out = static_cast<int>(n);
    return true;
  };
  if (!port("port", "AGENTGATE_PORT", 9090, &o.edge_port) ||
      !port("admin-port", "AGENTGATE_ADMIN_PORT", 9091, &o.router_port) ||
      !port("probe-port", "AGENTGATE_PROBE_PORT", 9092, &o.probe_port) ||
      !port("stats-port", "AGENTGATE_STATS_PORT", 9093, &o.stats_port)) {
    return 2;
  }
  return RunUp(o);
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  std::string home;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--home" && i + 1 < argc) {
      home = argv[++i];
    } else if (a.rfind("--home=", 0) == 0) {
      home = a.substr(7);
    } else if (a == "--help" || a == "-h" || a == "help") {
      std::printf("%s", kUsage);
      return 0;
    } else if (a == "--version") {
      std::printf("agentgatectl %s\n", AGENTGATE_VERSION);
      return 0;
    } else {
      break;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  if (home.empty()) home = DefaultHome();
  if (home.empty()) {
    std::fprintf(stderr, "agentgatectl: %s\n", NoHomeMessage().c_str());
    return 2;
  }
  std::string cmd = argv[i];
  std::vector<std::string> args(argv + i + 1, argv + argc);
  // Every command reads the token or the stack file from the data folder: refuse one that
  // another user owns or can write to (`up` checks it too, creating it when missing).
  if (auto st = CheckDataDir(home); !st.ok() && !absl::IsNotFound(st)) {
    std::fprintf(stderr, "agentgatectl: %s\n", Message(st).c_str());
    return 1;
  }
  if (cmd == "up") return Up(home, args);
  if (cmd == "down") return RunDown(home);
  if (cmd == "status") return CmdStatus(home, args);
  if (cmd == "provider" || cmd == "providers") return CmdProvider(home, args);
  if (cmd == "route" || cmd == "routes") return CmdRoute(home, args);
  if (cmd == "token") return CmdToken(home, args);
  if (cmd == "logs") return CmdLogs(home, args);
  if (cmd == "events") return CmdEvents(home, args);
  if (cmd == "stats") return CmdStats(home, args);
  if (cmd == "price" || cmd == "prices") return CmdPrice(home, args);
  if (cmd == "account" || cmd == "accounts") return CmdAccount(home, args);
  if (cmd == "backup" || cmd == "backups") return CmdBackup(home, args);
  if (cmd == "mcp") return CmdMcp(home, args);
  if (cmd == "skill" || cmd == "skills") return CmdSkill(home, args);
  if (cmd == "budget") return CmdBudget(home, args);
  if (cmd == "doctor") return CmdDoctor(home, args);
  if (cmd == "setup") return CmdSetup(home, args);
  if (cmd == "client" || cmd == "clients") return CmdClient(home, args);
  std::fprintf(stderr, "agentgatectl: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}

}  // namespace
}  // namespace agentgate::ctl

int main(int argc, char** argv) { return agentgate::ctl::Main(argc, argv); }
