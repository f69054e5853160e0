// agentgatectl client apply|restore|status|test: point the coding agents at the gateway by
// editing their own config files (services/clientconf), put the originals back, and check a
// client end to end.
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "services/clientconf/client_config.h"
#include "services/clientconf/client_files.h"
#include "services/clientconf/gateway_models.h"
#include "services/clientconf/http_client.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/strings.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"
#include "services/ctl/stack_file.h"

namespace agentgate::ctl {
namespace {

namespace cc = clientconf;

const char kClientUsage[] =
    "usage:\n"
    "  agentgatectl client apply CLIENT [--model M] [--gateway URL] [--token T] [--dry-run]\n"
    "                            point CLIENT at the gateway in its own config files; the\n"
    "                            originals are backed up first (once)\n"
    "  agentgatectl client restore CLIENT\n"
    "                            put the original config back (keeping changes you made\n"
    "                            since apply) and drop the backup\n"
    "  agentgatectl client status [--json]\n"
    "                            each client: installed, config file, where it points, backup\n"
    "  agentgatectl client test CLIENT [--model M]\n"
    "                            config -> gateway -> provider: the config points at this\n"
    "                            gateway with its token, /health answers, and the smallest\n"
    "                            real request in the client's protocol goes through\n"
    "CLIENT is claude, codex, gemini, opencode, qwen, kimi, droid, crush or atomcode. Files:\n"
    "Claude Code ~/.claude/settings.json ($CLAUDE_CONFIG_DIR), Codex ~/.codex/config.toml\n"
    "($CODEX_HOME), Gemini CLI ~/.gemini/settings.json and ~/.gemini/.env ($GEMINI_CLI_HOME),\n"
    "OpenCode ~/.config/opencode/opencode.json ($XDG_CONFIG_HOME), Qwen Code\n"
    "~/.qwen/settings.json ($QWEN_HOME), Kimi Code ~/.kimi-code/config.toml ($KIMI_CODE_HOME),\n"
    "Factory Droid ~/.factory/settings.json, Crush ~/.config/crush/crush.json\n"
    "($CRUSH_GLOBAL_CONFIG), AtomCode ~/.atomcode/config.toml ($ATOMCODE_HOME). OpenCode and the\n"
    "five after it name a model: --model, else the first the gateway lists. Backups:\n"
    "$AGENTGATE_HOME/client-backups.\n"
    "The gateway URL and token come from the running stack (run/stack.json, the token file);\n"
    "--gateway and --token override them.\n";

std::vector<FlagSpec> ClientFlags() {
  return {{"model", "M", "the model the client should ask for"},
          {"gateway", "URL", "the gateway's URL (default: the running stack's)"},
          {"token", "T", "the local token (default: $AGENTGATE_HOME/token)"},
          {"dry-run", "", "apply: show the new files, write nothing"},
          {"json", "", "JSON output"}};
}

// The gateway's URL as a client on this machine reaches it.
std::string LocalUrl(std::string url) {
  for (const auto& [any, local] :
       {std::pair<std::string, std::string>{"//0.0.0.0:", "//127.0.0.1:"},
        {"//[::]:", "//[::1]:"}}) {
    if (size_t at = url.find(any); at != std::string::npos) url.replace(at, any.size(), local);
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

struct Gateway {
  std::string url;    // "" when unknown
  std::string token;  // "" when unknown
  std::string why;    // why the URL is unknown
};

Gateway FindGateway(const std::string& home, const Flags& f) {
  Gateway g;
  g.url = f.Get("gateway");
  if (g.url.empty()) {
    auto stack = ReadStackFile(home);
    if (stack.ok() && !stack->GatewayUrl().empty()) {
      g.url = stack->GatewayUrl();
    } else {
      g.why = "the gateway is not running (no " + StackFilePath(home) +
              "): start it with `agentgatectl up --detach`, or pass --gateway URL";
    }
  }
  g.url = LocalUrl(g.url);
  g.token = f.Get("token");
  if (g.token.empty()) {
    auto token = ReadFile(home + "/token");
    if (token.ok()) g.token = std::string(StripSpace(*token));
  }
  return g;
}

std::optional<cc::ClientKind> KindArg(const Flags& f, std::string* error) {
  const auto& pos = f.positional();
  if (pos.size() < 2) {
    *error = "which client? claude, codex, gemini, opencode, qwen, kimi, droid, crush or atomcode";
    return std::nullopt;
  }
  auto kind = cc::ParseClientKind(pos[1]);
  if (!kind) {
    *error = "unknown client '" + pos[1] +
             "': claude, codex, gemini, opencode, qwen, kimi, droid, crush or atomcode";
  }
  return kind;
}

// Environment variables set now that would win over the files.
void WarnOverrides(cc::ClientKind kind) {
  for (const auto& var : cc::OverridingEnvVars(kind)) {
    const char* v = std::getenv(var.c_str());
    if (v != nullptr && *v != '\0') {
      std::fprintf(stderr,
                   "warning: $%s is set in this shell and takes precedence over %s's files\n",
                   var.c_str(), cc::ClientTitle(kind).c_str());
    }
  }
}

int Apply(const std::string& home, const Flags& f) {
  std::string error;
  auto kind = KindArg(f, &error);
  if (!kind) return Fail(error);
  Gateway g = FindGateway(home, f);
  if (g.url.empty()) return Fail(g.why);
  if (g.token.empty()) {
    return Fail("no token: " + home +
                "/token does not exist yet (start the stack once) — or pass --token");
  }
  cc::ApplyOptions o;
  o.gateway_url = g.url;
  o.token = g.token;
  o.model = f.Get("model");
  // The list names the models (for the clients that want a model list) and their limits (for
  // the clients that compact by a context window).
  if (cc::NeedsModel(*kind) || !o.model.empty()) {
    cc::GatewayModelList listed = cc::FetchGatewayModels(g.url, g.token, std::chrono::seconds(5));
    if (cc::NeedsModel(*kind)) {
      for (const auto& m : listed.models) o.models.push_back(m.id);
    }
    o.limits = std::move(listed.models);
    if (cc::NeedsModel(*kind) && o.models.empty() && o.model.empty()) {
      return Fail(cc::ClientTitle(*kind) + " needs a model for its agentgate provider: " +
                  listed.why_none + "; pass --model M");
    }
  }
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  bool dry = f.Has("dry-run");
  auto r = c.Apply(*kind, o, dry);
  if (!r.ok())
    return Fail(cc::ClientTitle(*kind) + ": " + Message(r.status()) + " (nothing was changed)");
  for (size_t i = 0; i < r->plan.files.size(); ++i) {
    const auto& fp = r->plan.files[i];
    const char* what = !fp.changed() ? "already points at the gateway, unchanged"
                       : dry         ? (fp.before ? "would be updated" : "would be created")
                       : fp.before   ? "updated"
                                     : "created";
    std::printf("%s: %s\n", r->paths[i].c_str(), what);
    if (dry && fp.changed()) {
      std::printf("----- %s -----\n%s", r->paths[i].c_str(), fp.after.c_str());
      if (!fp.after.empty() && fp.after.back() != '\n') std::printf("\n");
      std::printf("-----\n");
    }
  }
  std::printf("%s now uses %s%s\n", cc::ClientTitle(*kind).c_str(),
              cc::ExpectedBaseUrl(*kind, g.url).c_str(),
              o.model.empty() ? "" : (" with model " + o.model).c_str());
  if (!dry) {
    std::printf(r->backup_created ? "originals backed up in %s\n"
                                  : "the originals from the first apply stay backed up in %s\n",
                r->backup_dir.c_str());
    std::printf("undo with: agentgatectl client restore %s\n", cc::ClientName(*kind).c_str());
  }
  for (const auto& note : r->plan.notes) std::printf("note: %s\n", note.c_str());
  WarnOverrides(*kind);
  return 0;
}

int Restore(const std::string& home, const Flags& f) {
  std::string error;
  auto kind = KindArg(f, &error);
  if (!kind) return Fail(error);
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  auto r = c.Restore(*kind);
  if (!r.ok()) return Fail(Message(r.status()));
  for (const auto& file : r->files) {
    std::string what;
    switch (file.action) {
      case cc::RestoreAction::kWriteOriginal:
        what = file.changed_since_apply
                   ? "was removed since apply; the original is back"
                   : "unchanged since apply: the original is back, byte for byte";
        break;
      case cc::RestoreAction::kWriteMerged:
        what = "changed since apply: AgentGate's entries were undone, your other changes kept";
        break;
      case cc::RestoreAction::kRemoveFile:
        what = file.changed_since_apply
                   ? "did not exist before apply; removed (nothing of yours was left in it)"
                   : "did not exist before apply; removed";
        break;
      case cc::RestoreAction::kNothing:
        what = "did not exist before apply and is gone; nothing to do";
        break;
    }
    std::printf("%s: %s\n", file.path.c_str(), what.c_str());
  }
  std::printf("%s's configuration is restored; the backup is removed\n",
              cc::ClientTitle(*kind).c_str());
  return 0;
}

// `path` with the user's home folder shortened to "~".
std::string Home(const std::string& path) {
  auto home = UserHome();
  if (home.ok() && !home->empty() && path.rfind(*home + "/", 0) == 0) {
    return "~" + path.substr(home->size());
  }
  return path;
}

int Status(const std::string& home, const Flags& f) {
  Gateway g = FindGateway(home, f);
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  std::vector<cc::ClientStatus> all;
  for (cc::ClientKind kind : cc::AllClients()) all.push_back(c.Status(kind, g.url, g.token));
  auto points = [&](const cc::ClientStatus& s) {
    // Without a running gateway there is nothing to compare with.
    if (g.url.empty() && s.inspection.pointing == cc::Pointing::kElsewhere) {
      return std::string("configured");
    }
    return cc::PointingLabel(s.inspection.pointing);
  };
  if (f.Has("json")) {
    boost::json::array arr;
    for (const auto& s : all) {
      boost::json::array problems;
      for (const auto& p : s.inspection.problems) problems.emplace_back(p);
      arr.emplace_back(boost::json::object{{"client", cc::ClientName(s.kind)},
                                           {"installed", !s.binary.empty()},
                                           {"binary", s.binary},
                                           {"config_path", s.config_path},
                                           {"config_present", s.config_present},
                                           {"points_at", points(s)},
                                           {"base_url", s.inspection.base_url},
                                           {"token_matches", s.inspection.token_matches},
                                           {"model", s.inspection.model},
                                           {"backup", s.backup_present},
                                           {"problems", std::move(problems)}});
    }
    boost::json::object out{{"gateway_url", g.url}, {"clients", std::move(arr)}};
    std::printf("%s\n", boost::json::serialize(out).c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"CLIENT", "INSTALLED", "CONFIG", "POINTS AT", "BACKUP"}};
  for (const auto& s : all) {
    std::string where = points(s);
    if (s.inspection.pointing == cc::Pointing::kElsewhere)
      where += " (" + s.inspection.base_url + ")";
    rows.push_back({cc::ClientName(s.kind), s.binary.empty() ? "no" : Home(s.binary),
                    Home(s.config_path) + (s.config_present ? "" : " (missing)"), where,
                    s.backup_present ? "yes" : "no"});
  }
  PrintTable(rows);
  if (g.url.empty()) std::printf("\n%s\n", g.why.c_str());
  for (const auto& s : all) {
    for (const auto& p : s.inspection.problems) {
      std::printf("%s: %s\n", cc::ClientName(s.kind).c_str(), p.c_str());
    }
  }
  return 0;
}

// The provider's (or gateway's) error message from an error body, else the body's start.
std::string ErrorText(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto* err = v.as_object().if_contains("error");
    if (err && err->is_object() && err->as_object().contains("message") &&
        err->as_object().at("message").is_string()) {
      return std::string(err->as_object().at("message").as_string());
    }
    if (err && err->is_string()) return std::string(err->as_string());
  }
  std::string s = body.substr(0, 200);
  for (char& ch : s) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return s;
}

void Step(bool ok, const char* name, const std::string& detail, int64_t ms = -1) {
  std::printf("%s %-9s %s%s\n", ok ? "✓" : "✗", name, detail.c_str(),
              ms < 0 ? "" : (" (" + std::to_string(ms) + " ms)").c_str());
}

int Test(const std::string& home, const Flags& f) {
  std::string error;
  auto kind = KindArg(f, &error);
  if (!kind) return Fail(error);
  Gateway g = FindGateway(home, f);
  if (g.url.empty()) return Fail(g.why);
  cc::ClientConfigurator c(home, cc::Locations::FromEnvironment());
  bool all_ok = true;

  // 1. The config points at this gateway with its current token.
  cc::ClientStatus s = c.Status(*kind, g.url, g.token);
  const auto& in = s.inspection;
  bool config_ok = in.pointing == cc::Pointing::kThisGateway && in.token_matches;
  std::string detail;
  switch (in.pointing) {
    case cc::Pointing::kThisGateway:
      detail = Home(s.config_path) + " -> " + in.base_url;
      break;
    case cc::Pointing::kElsewhere:
      detail = Home(s.config_path) + " points at " + in.base_url + ", not " +
               cc::ExpectedBaseUrl(*kind, g.url);
      break;
    case cc::Pointing::kNotConfigured:
      detail = Home(s.config_path) + " does not point at the gateway";
      break;
    case cc::Pointing::kUnreadable:
      detail = Home(s.config_path) + " cannot be read";
      break;
  }
  for (const auto& p : in.problems) detail += "; " + p;
  if (!config_ok && in.pointing != cc::Pointing::kUnreadable) {
    detail += " (run `agentgatectl client apply " + cc::ClientName(*kind) + "`)";
  }
  Step(config_ok, "config", detail);
  all_ok = all_ok && config_ok;
  WarnOverrides(*kind);

  // 2. The gateway answers.
  auto health = cc::HttpCall(g.url, "GET", "/health", "", {}, std::chrono::seconds(5));
  bool gateway_ok = health.status == 200;
  Step(gateway_ok, "gateway",
       gateway_ok           ? g.url + "/health ok"
       : health.status == 0 ? g.url + ": " + health.error
                            : g.url + "/health answered " + std::to_string(health.status) + ": " +
                                  ErrorText(health.body),
       health.elapsed_ms);
  all_ok = all_ok && gateway_ok;

  // 3. The smallest real request in the client's protocol, through the gateway.
  std::string model = f.Get("model");
  if (model.empty()) model = in.model;
  if (model.empty() && !in.models.empty()) model = in.models.front();
  if (model.empty()) model = cc::DefaultTestModel(*kind);
  cc::TestRequest req = cc::MakeTestRequest(*kind, model, g.token);
  if (!gateway_ok) {
    std::printf("- %-9s skipped: the gateway does not answer\n", "provider");
    return 1;
  }
  auto r =
      cc::HttpCall(g.url, req.method, req.target, req.body, req.headers, std::chrono::seconds(120));
  bool provider_ok = r.status >= 200 && r.status < 300 && cc::LooksLikeAnswer(*kind, r.body);
  std::string what = req.method + " " + req.target + " (model " + model + "): ";
  Step(provider_ok, "provider",
       what + (r.status == 0 ? r.error
               : provider_ok ? std::to_string(r.status) + ", answered"
                             : std::to_string(r.status) + " " + ErrorText(r.body)),
       r.elapsed_ms);
  all_ok = all_ok && provider_ok;
  return all_ok ? 0 : 1;
}

}  // namespace

int CmdClient(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kClientUsage);
  Flags f(ClientFlags());
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  const auto& pos = f.positional();
  std::string sub = pos.empty() ? "" : pos[0];
  if (sub == "apply") return Apply(home, f);
  if (sub == "restore") return Restore(home, f);
  if (sub == "status") return Status(home, f);
  if (sub == "test") return Test(home, f);
  return Usage("agentgatectl: unknown client command '" + sub + "'\n" + kClientUsage);
}

}  // namespace agentgate::ctl
