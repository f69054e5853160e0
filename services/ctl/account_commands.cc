// agentgatectl account: official ChatGPT accounts (import, list, remove).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"

namespace agentgate::ctl {
namespace {

constexpr char kAccountUsage[] =
    "usage: agentgatectl account import [FILE] [--provider POOL]\n"
    "       agentgatectl account list [--json]\n"
    "       agentgatectl account remove ID\n"
    "       agentgatectl account use ID\n"
    "       agentgatectl account refresh ID\n"
    "       agentgatectl account export ID [--to FILE]\n"
    "\n"
    "Official ChatGPT accounts, used by the gateway like provider keys: each is a key of a\n"
    "provider of type chatgpt (the pool, \"chatgpt\" unless --provider; made by the first\n"
    "import), tried in its order, the next one when an account's usage limit is reached.\n"
    "\n"
    "  import   reads a Codex auth.json (default: $CODEX_HOME/auth.json, else\n"
    "           ~/.codex/auth.json; - for standard input). Importing an account again\n"
    "           replaces its tokens.\n"
    "  list     each account's plan, state and quota (5-hour and weekly windows), as the\n"
    "           backend last reported it\n"
    "  remove   takes an account out of its pool\n"
    "  use      makes it the pool's first account: the one used while it is ready\n"
    "  refresh  refreshes its sign-in now (the gateway does it by itself before the access\n"
    "           token expires; refresh tokens rotate, so Codex's own copy of an imported\n"
    "           sign-in stops working once the gateway has refreshed it)\n"
    "  export   \"switch back to official\": a Codex auth.json of the tokens the gateway holds\n"
    "           now (standard output, or --to FILE, written 0600; an existing FILE is kept as\n"
    "           FILE.bak). Remove the account from the gateway too, or the two copies will\n"
    "           spend each other's refresh tokens.\n";

std::string DefaultAuthPath() {
  const char* codex_home = std::getenv("CODEX_HOME");
  if (codex_home != nullptr && *codex_home != '\0') return std::string(codex_home) + "/auth.json";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + "/.codex/auth.json";
}

// "[######----]  61% used, resets in 2h 5m" for one window.
std::string WindowText(const admin::v1::QuotaWindow& w, int64_t now) {
  if (!w.known()) return "-";
  const int used = static_cast<int>(std::lround(w.used_percent()));
  const int filled = std::clamp(used / 10, 0, 10);
  std::string bar = "[" + std::string(filled, '#') + std::string(10 - filled, '-') + "] ";
  std::string text = bar + std::to_string(used) + "%";
  if (w.reset_at_ms() > now) text += " resets in " + FormatDuration(w.reset_at_ms() - now);
  return text;
}

int Import(AdminClient& client, const Flags& f) {
  const std::string path = f.positional().empty() ? DefaultAuthPath() : f.positional()[0];
  std::string text;
  if (path == "-") {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0 && text.size() < 1024 * 1024) {
      text.append(buf, n);
    }
  } else {
    auto read = ReadFile(path);
    if (!read.ok()) {
      if (!FileExists(path)) {
        return Fail("there is no " + path +
                    ": Codex may keep its sign-in in the system keyring instead of the file "
                    "(cli_auth_credentials_store). Put cli_auth_credentials_store = \"file\" in "
                    "~/.codex/config.toml and run `codex login` again, or pass the file's path");
      }
      return Fail("cannot read " + path + ": " + std::string(Message(read.status())));
    }
    text = *std::move(read);
  }
  admin::v1::ImportAccountRequest req;
  req.set_auth_json(text);
  req.set_provider(f.Get("provider"));
  admin::v1::ImportAccountResponse resp;
  if (!Call(client, &Stub::ImportAccount, req, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  const auto& a = resp.account();
  if (resp.provider_created()) {
    std::printf("made provider %s (type chatgpt): it serves Codex (Responses) requests\n",
                a.provider().c_str());
  }
  std::printf("%s account %s%s%s (plan %s) in %s, place %d\n",
              resp.replaced() ? "signed in again:" : "imported", a.id().c_str(),
              a.email().empty() ? "" : " ", a.email().c_str(),
              a.plan().empty() ? "unknown" : a.plan().c_str(), a.provider().c_str(),
              a.position() + 1);
  std::printf(
      "the gateway now keeps this sign-in alive: it refreshes the tokens before they expire, and "
      "refresh tokens rotate, so the copy in auth.json stops working once it has. Point Codex "
      "at the gateway (agentgatectl client apply codex); agentgatectl account export %s writes "
      "a fresh auth.json when you want Codex on its own again\n",
      a.id().c_str());
  return 0;
}

int List(AdminClient& client, const Flags& f) {
  admin::v1::ListAccountsResponse resp;
  if (!Call(client, &Stub::ListAccounts, admin::v1::ListAccountsRequest(), &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  if (resp.accounts().empty()) {
    std::printf("no accounts: agentgatectl account import [~/.codex/auth.json]\n");
    return 0;
  }
  const int64_t now = NowMs();
  std::vector<std::vector<std::string>> rows = {
      {"#", "ACCOUNT", "EMAIL", "PLAN", "POOL", "STATE", "5H", "WEEKLY"}};
  std::vector<std::string> details;
  for (const auto& a : resp.accounts()) {
    rows.push_back({std::to_string(a.position() + 1), a.id(), a.email().empty() ? "-" : a.email(),
                    a.plan().empty() ? "-" : a.plan(), a.provider(), a.state(),
                    WindowText(a.quota().primary(), now), WindowText(a.quota().secondary(), now)});
    if (!a.detail().empty()) details.push_back(a.id() + ": " + a.detail());
  }
  PrintTable(rows);
  for (const auto& d : details) std::printf("%s\n", d.c_str());
  return 0;
}

}  // namespace

int CmdAccount(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kAccountUsage);
  const std::string sub = args[0];
  Flags f({{"provider", "POOL", "import: the pool (a provider of type chatgpt)"},
           {"to", "FILE", "export: write the auth.json there"},
           {"json", "", "JSON output"}});
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  AdminClient client(home);
  if (sub == "import") return Import(client, f);
  if (sub == "list") return List(client, f);
  if (sub == "remove" || sub == "rm") {
    if (f.positional().empty()) return Fail("account remove needs an account ID (account list)");
    admin::v1::RemoveAccountRequest req;
    req.set_id(f.positional()[0]);
    admin::v1::RemoveAccountResponse resp;
    if (!Call(client, &Stub::RemoveAccount, req, &resp)) return 1;
    std::printf("removed account %s\n", req.id().c_str());
    return 0;
  }
  if (sub == "use") {
    if (f.positional().empty()) return Fail("account use needs an account ID (account list)");
    admin::v1::UseAccountRequest req;
    req.set_id(f.positional()[0]);
    admin::v1::Account a;
    if (!Call(client, &Stub::UseAccount, req, &a)) return 1;
    std::printf("account %s is now used first in %s (%s)\n", a.id().c_str(), a.provider().c_str(),
                a.state().c_str());
    return 0;
  }
  if (sub == "refresh") {
    if (f.positional().empty()) return Fail("account refresh needs an account ID (account list)");
    admin::v1::RefreshAccountRequest req;
    req.set_id(f.positional()[0]);
    admin::v1::Account a;
    if (!Call(client, &Stub::RefreshAccount, req, &a)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(a).c_str());
      return 0;
    }
    std::printf("refreshed account %s%s\n", a.id().c_str(),
                a.access_expires_at_ms() > 0
                    ? (": the access token expires " + FormatTime(a.access_expires_at_ms())).c_str()
                    : "");
    return 0;
  }
  if (sub == "export") {
    if (f.positional().empty()) return Fail("account export needs an account ID (account list)");
    admin::v1::ExportAccountRequest req;
    req.set_id(f.positional()[0]);
    admin::v1::ExportAccountResponse resp;
    if (!Call(client, &Stub::ExportAccount, req, &resp)) return 1;
    if (!f.Has("to")) {
      std::printf("%s", resp.auth_json().c_str());
      return 0;
    }
    const std::string to = f.Get("to");
    bool backed_up = false;
    if (FileExists(to)) {
      backed_up = true;
      auto old = ReadFile(to);
      if (!old.ok()) return Fail("cannot read " + to + ": " + std::string(Message(old.status())));
      if (auto st = WriteFileAtomic(to + ".bak", *old, 0600); !st.ok()) {
        return Fail("cannot keep " + to + ".bak: " + std::string(Message(st)));
      }
    }
    if (auto st = WriteFileAtomic(to, resp.auth_json(), 0600); !st.ok()) {
      return Fail("cannot write " + to + ": " + std::string(Message(st)));
    }
    const std::string kept = backed_up ? " (the old one is " + to + ".bak)" : "";
    std::printf("wrote %s with account %s's current sign-in%s\n", to.c_str(), req.id().c_str(),
                kept.c_str());
    std::printf(
        "remove the account from the gateway (agentgatectl account remove %s) before "
        "Codex uses this copy: refresh tokens rotate, and two copies spend each other's\n",
        req.id().c_str());
    return 0;
  }
  return Fail("unknown account command '" + sub +
              "': import, list, use, remove, refresh or export");
}

}  // namespace agentgate::ctl
