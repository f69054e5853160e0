// agentgatectl doctor [--json] [--bundle FILE]: the stack's self-check, plus what only the CLI
// can see (the stack file, the ports it names, local file modes when the stack is down), and a
// redacted archive for a bug report.
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "services/common/check.h"
#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/bundle.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"
#include "services/ctl/stack_file.h"

namespace agentgate::ctl {
namespace {

constexpr char kDoctorUsage[] =
    "usage: agentgatectl doctor [--json] [--bundle FILE]\n"
    "  Checks the stack: every service up and on the same version, config and databases\n"
    "  sound, token and key files private, ports where the stack file says, each provider's\n"
    "  last test, clocks. Exit 1 when a check fails.\n"
    "  --bundle FILE writes a .tar.gz for a bug report: versions, the self-check, the config\n"
    "  with keys masked, recent logs and request records, every secret redacted, no prompts.\n";

// Local log tail kept per service in a bundle.
constexpr size_t kLogTail = 256 * 1024;

// What the CLI checks itself: the stack file and the ports it names.
admin::v1::Check CheckPorts(const std::string& home) {
  auto stack = ReadStackFile(home);
  if (!stack.ok()) {
    return MakeCheck(
        "ports", admin::v1::CHECK_STATUS_OK,
        "no stack file: the stack was not started by agentgatectl up (systemd, docker, "
        "by hand)");
  }
  std::string problems, seen;
  for (const auto& [name, s] : stack->services) {
    // A pid is checked against its recorded start time: a reused pid is not the service.
    PidState state = stack->ServiceState(s);
    if (s.pid > 0 && (state == PidState::kNotRunning || state == PidState::kStale)) {
      problems += (problems.empty() ? "" : "; ") + name + " (pid " + std::to_string(s.pid) +
                  ") is " + PidStateText(state);
      continue;
    }
    seen += (seen.empty() ? "" : ", ") + name + " " + s.address;
    if (s.pid > 0 && state == PidState::kUnverifiable)
      seen += " (pid unverified: older stack file)";
  }
  if (!problems.empty()) {
    return MakeCheck("ports", admin::v1::CHECK_STATUS_FAIL, problems,
                     "agentgatectl down && agentgatectl up --detach");
  }
  return MakeCheck("ports", admin::v1::CHECK_STATUS_OK, "as the stack file says: " + seen);
}

// File modes when the router cannot be asked.
admin::v1::Check LocalFiles(const std::string& home) {
  std::string problems;
  for (const char* name : {"token", "master.key", "config.db", "stats.db"}) {
    struct stat st {};
    std::string path = home + "/" + name;
    if (::stat(path.c_str(), &st) != 0) continue;
    if ((st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
      problems += (problems.empty() ? "" : "; ") + path + " is mode " + mode;
    }
  }
  if (!problems.empty()) {
    return MakeCheck("files", admin::v1::CHECK_STATUS_FAIL, problems, "chmod 600 on each of them");
  }
  return MakeCheck("files", admin::v1::CHECK_STATUS_OK, "the files that exist are private (0600)");
}

std::string Mark(admin::v1::CheckStatus s) {
  switch (s) {
    case admin::v1::CHECK_STATUS_OK:
      return "✓";
    case admin::v1::CHECK_STATUS_WARN:
      return "!";
    default:
      return "✗";
  }
}

std::string Tail(const std::string& path, size_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff from = size > static_cast<std::streamoff>(max) ? size - max : 0;
  in.seekg(from);
  std::string out(static_cast<size_t>(size - from), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

}  // namespace

int CmdDoctor(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"json", "", "JSON output"},
           {"bundle", "FILE", "write a redacted .tar.gz for a bug report"},
           {"help", "", "this help"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("help")) return Usage(kDoctorUsage);

  AdminClient client(home);
  admin::v1::SelfCheckReport report;
  std::string unreachable;
  {
    auto ctx = client.Context(std::chrono::seconds(30));
    grpc::Status st = client.stub().SelfCheck(ctx.get(), admin::v1::SelfCheckRequest(), &report);
    if (!st.ok()) unreachable = client.Explain(st);
  }
  if (!unreachable.empty()) {
    *report.add_checks() = MakeCheck("services", admin::v1::CHECK_STATUS_FAIL, unreachable,
                                     "agentgatectl up --detach");
    *report.add_checks() = LocalFiles(home);
  } else {
    int64_t skew = report.router_time_ms() - NowMs();
    if (skew > 5000 || skew < -5000) {
      *report.add_checks() = MakeCheck(
          "clock", admin::v1::CHECK_STATUS_WARN,
          "this machine's clock and the router's differ by " + std::to_string(skew / 1000) + " s",
          "synchronise the clocks (NTP)");
    }
  }
  *report.add_checks() = CheckPorts(home);
  report.set_version(report.version().empty() ? AGENTGATE_VERSION : report.version());

  bool failed = false;
  for (const auto& c : report.checks())
    failed = failed || c.status() == admin::v1::CHECK_STATUS_FAIL;

  if (f.Has("bundle")) {
    std::vector<std::string> secrets;
    for (const char* file : {"/token", "/admin.token"}) {
      if (auto token = ReadFile(home + file); token.ok()) {
        secrets.push_back(std::string(StripSpace(*token)));
      }
    }
    const int64_t now_s = NowMs() / 1000;
    TarWriter tar;
    auto add = [&](const std::string& path, const std::string& content) {
      tar.Add("agentgate-bundle/" + path, Redact(content, secrets), now_s);
    };
    add("README.txt",
        "AgentGate diagnostics bundle, made by agentgatectl doctor --bundle.\n"
        "Secrets (the local token, provider keys, bearer credentials) are redacted; provider "
        "keys were never readable (the admin API returns them masked); request records carry "
        "no prompt or answer text.\n");
    std::string versions = "agentgatectl " AGENTGATE_VERSION "\n";
    admin::v1::StackStatus status;
    {
      auto ctx = client.Context(std::chrono::seconds(10));
      if (client.stub()
              .GetStackStatus(ctx.get(), admin::v1::GetStackStatusRequest(), &status)
              .ok()) {
        for (const auto& s : status.services()) {
          versions += s.info().name() + " " + s.info().version() + " " + s.info().address() + "\n";
        }
      }
    }
    add("versions.txt", versions);
    add("selfcheck.json", ToJson(report) + "\n");
    if (unreachable.empty()) {
      admin::v1::ListProvidersResponse providers;
      {
        auto ctx = client.Context();
        (void)client.stub().ListProviders(ctx.get(), admin::v1::ListProvidersRequest(), &providers);
      }
      // Header values can hold credentials: only their names go in.
      for (auto& p : *providers.mutable_providers()) {
        for (auto& [name, value] : *p.mutable_extra_headers()) value = "[redacted]";
      }
      add("config/providers.json", ToJson(providers) + "\n");
      admin::v1::ListRoutesResponse routes;
      {
        auto ctx = client.Context();
        (void)client.stub().ListRoutes(ctx.get(), admin::v1::ListRoutesRequest(), &routes);
      }
      add("config/routes.json", ToJson(routes) + "\n");
      admin::v1::Budget budget;
      {
        auto ctx = client.Context();
        (void)client.stub().GetBudget(ctx.get(), admin::v1::GetBudgetRequest(), &budget);
      }
      add("config/budget.json", ToJson(budget) + "\n");
      admin::v1::ListPricesResponse prices, mine;
      {
        auto ctx = client.Context();
        (void)client.stub().ListPrices(ctx.get(), admin::v1::ListPricesRequest(), &prices);
      }
      for (const auto& p : prices.prices()) {
        if (p.user_set()) *mine.add_prices() = p;
      }
      add("config/prices-set-by-user.json", ToJson(mine) + "\n");
      admin::v1::ListRequestLogsRequest lr;
      lr.set_limit(200);
      admin::v1::ListRequestLogsResponse logs;
      {
        auto ctx = client.Context();
        (void)client.stub().ListRequestLogs(ctx.get(), lr, &logs);
      }
      add("requests.json", ToJson(logs) + "\n");
    }
    if (auto stack = ReadFile(StackFilePath(home)); stack.ok()) add("stack.json", *stack);
    for (const char* svc : {"edge", "router", "probe", "stats", "supervisor"}) {
      std::string text = Tail(home + "/logs/" + svc + ".log", kLogTail);
      if (!text.empty()) add(std::string("logs/") + svc + ".log", text);
    }
    auto gz = Gzip(tar.Finish());
    if (!gz.ok()) return Fail(Message(gz.status()));
    if (auto st = WriteFileAtomic(f.Get("bundle"), *gz, 0600); !st.ok()) {
      return Fail(Message(st));
    }
  }

  if (f.Has("json")) {
    std::printf("%s\n", ToJson(report).c_str());
  } else {
    for (const auto& c : report.checks()) {
      std::printf("%s %-10s %s\n", Mark(c.status()).c_str(), c.name().c_str(), c.detail().c_str());
      if (!c.fix().empty() && c.status() != admin::v1::CHECK_STATUS_OK) {
        std::printf("  %-10s → %s\n", "", c.fix().c_str());
      }
    }
    if (f.Has("bundle")) {
      std::printf("bundle written to %s (secrets redacted; look inside before you share it)\n",
                  f.Get("bundle").c_str());
    }
  }
  return failed ? 1 : 0;
}

}  // namespace agentgate::ctl
