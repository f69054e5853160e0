// agentgatectl account: official ChatGPT accounts (import, login, list, show, use, refresh,
// export, remove).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/callback_listener.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"

extern char** environ;

namespace agentgate::ctl {
namespace {

constexpr char kAccountUsage[] =
    "usage: agentgatectl account import [FILE] [--provider POOL]\n"
    "       agentgatectl account login [--device | --paste] [--no-browser] [--port N]\n"
    "                                  [--provider POOL]\n"
    "       agentgatectl account list [--json]\n"
    "       agentgatectl account show ID [--json]\n"
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
    "  login    signs an account in as Codex does, for the gateway alone (Codex's own sign-in\n"
    "           is left as it is): opens the ChatGPT sign-in page and waits on\n"
    "           localhost:1455 (else 1457) for the browser to come back. --device: no browser\n"
    "           here (a server over ssh): enter the code shown at the address shown, on any\n"
    "           machine. --paste: the browser is elsewhere; paste the address it came back\n"
    "           to (the page will not load; copy it from the address bar).\n"
    "  list     each account's plan, state and quota (5-hour and weekly windows), as the\n"
    "           backend last reported it\n"
    "  show     one account, with why it is in its state\n"
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

// What an import or a sign-in added.
int PrintAdded(const admin::v1::ImportAccountResponse& resp, bool json, bool imported) {
  if (json) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  const auto& a = resp.account();
  if (resp.provider_created()) {
    std::printf("made provider %s (type chatgpt): it serves Codex (Responses) requests\n",
                a.provider().c_str());
  }
  std::printf("%s account %s%s%s (plan %s) in %s, place %d\n",
              resp.replaced() ? "signed in again:"
              : imported      ? "imported"
                              : "signed in:",
              a.id().c_str(), a.email().empty() ? "" : " ", a.email().c_str(),
              a.plan().empty() ? "unknown" : a.plan().c_str(), a.provider().c_str(),
              a.position() + 1);
  if (imported) {
    std::printf(
        "the gateway now keeps this sign-in alive: it refreshes the tokens before they expire, "
        "and refresh tokens rotate, so the copy in auth.json stops working once it has. Point "
        "Codex at the gateway (agentgatectl client apply codex); agentgatectl account export %s "
        "writes a fresh auth.json when you want Codex on its own again\n",
        a.id().c_str());
  } else {
    std::printf(
        "this sign-in is the gateway's own (Codex's sign-in, if any, is untouched). Point Codex "
        "at the gateway with agentgatectl client apply codex\n");
  }
  return 0;
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
  return PrintAdded(resp, f.Has("json"), /*imported=*/true);
}

// Opens `url` in the desktop's browser when there is a desktop (never waits for it).
void OpenBrowser(const std::string& url) {
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((display == nullptr || *display == '\0') && (wayland == nullptr || *wayland == '\0')) return;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  char* argv[] = {const_cast<char*>("xdg-open"), const_cast<char*>(url.c_str()), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", &fa, nullptr, argv, environ) == 0) {
    std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
  }
  posix_spawn_file_actions_destroy(&fa);
}

std::string ResultPage(const std::string& title, const std::string& text) {
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>AgentGate</title></head>"
         "<body style=\"font-family:sans-serif;margin:4em\"><h2>" +
         HtmlEscape(title) + "</h2><p>" + HtmlEscape(text) + "</p></body></html>";
}

int LoginDevice(AdminClient& client, const Flags& f) {
  admin::v1::StartAccountLoginRequest start;
  start.set_device(true);
  start.set_provider(f.Get("provider"));
  admin::v1::AccountLogin login;
  if (!Call(client, &Stub::StartAccountLogin, start, &login)) return 1;
  // With --json the instructions go to standard error: standard output is the result alone.
  std::fprintf(f.Has("json") ? stderr : stdout,
               "Sign in with ChatGPT by device code:\n\n"
               "1. Open this address in a browser, on any machine, and sign in:\n   %s\n\n"
               "2. Enter this one-time code (it expires in 15 minutes):\n   %s\n\n"
               "Device codes are a common phishing target: never share this code.\n\n"
               "waiting for the code to be entered...\n",
               login.verification_url().c_str(), login.user_code().c_str());
  std::fflush(stdout);
  admin::v1::FinishAccountLoginRequest finish;
  finish.set_login_id(login.login_id());
  const int interval = std::clamp(login.interval_s(), 1, 60);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(interval));
    if (NowMs() > login.expires_at_ms()) return Fail("the code was not entered within 15 minutes");
    admin::v1::FinishAccountLoginResponse done;
    if (!Call(client, &Stub::FinishAccountLogin, finish, &done)) return 1;
    if (!done.pending()) return PrintAdded(done.imported(), f.Has("json"), /*imported=*/false);
  }
}

int LoginBrowser(AdminClient& client, const Flags& f) {
  const bool paste = f.Has("paste");
  CallbackListener listener;
  int port = 1455;
  if (f.Has("port")) {
    int64_t p = 0;
    if (!ParseInt(f.Get("port"), &p) || p < 0 || p > 65535) return Fail("--port takes a port");
    port = static_cast<int>(p);
  }
  if (!paste) {
    absl::Status st = listener.Listen(port);
    if (!st.ok() && !f.Has("port")) st = listener.Listen(port = 1457);  // Codex's other port
    if (!st.ok()) {
      return Fail(std::string(Message(st)) +
                  " (is a Codex login running?). Try again when it is done, or use --device");
    }
    port = listener.port();
  }
  admin::v1::StartAccountLoginRequest start;
  start.set_redirect_uri("http://localhost:" + std::to_string(port) + "/auth/callback");
  start.set_provider(f.Get("provider"));
  admin::v1::AccountLogin login;
  if (!Call(client, &Stub::StartAccountLogin, start, &login)) return 1;
  admin::v1::FinishAccountLoginRequest finish;
  finish.set_login_id(login.login_id());
  if (paste) {
    std::fprintf(
        f.Has("json") ? stderr : stdout,
        "1. Open this address in a browser and sign in with ChatGPT:\n\n%s\n\n"
        "2. The browser then goes to http://localhost:%d/auth/callback?code=... and shows an "
        "error (nothing listens there): copy that whole address from the address bar and "
        "paste it here.\n> ",
        login.authorize_url().c_str(), port);
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line)) return Fail("no address was pasted");
    finish.set_callback(line);
    admin::v1::FinishAccountLoginResponse done;
    if (!Call(client, &Stub::FinishAccountLogin, finish, &done)) return 1;
    return PrintAdded(done.imported(), f.Has("json"), /*imported=*/false);
  }
  std::fprintf(f.Has("json") ? stderr : stdout,
               "Sign in with ChatGPT: opening this address in your browser (open it yourself if "
               "nothing opens):\n\n%s\n\nwaiting for the browser on localhost:%d...\n",
               login.authorize_url().c_str(), port);
  std::fflush(stdout);
  if (!f.Has("no-browser")) OpenBrowser(login.authorize_url());
  admin::v1::FinishAccountLoginResponse done;
  std::string failed;
  absl::Status waited = listener.Wait(
      std::chrono::milliseconds(std::max<int64_t>(login.expires_at_ms() - NowMs(), 1000)),
      [&](const std::string& target) {
        finish.set_callback(target);
        done.Clear();
        auto ctx = client.Context();
        grpc::Status st = client.stub().FinishAccountLogin(ctx.get(), finish, &done);
        if (st.ok()) {
          const auto& a = done.imported().account();
          return CallbackListener::Page{
              200,
              ResultPage("Signed in to AgentGate", "The gateway now uses ChatGPT account " +
                                                       (a.email().empty() ? a.id() : a.email()) +
                                                       ". You can close this tab.")};
        }
        // Another sign-in's answer (an old tab): this one is still waited for.
        const bool stale = st.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
                           st.error_message().find("state") != std::string::npos;
        if (!stale) failed = client.Explain(st);
        return CallbackListener::Page{400, ResultPage("Sign-in failed", st.error_message()),
                                      !stale};
      });
  if (!waited.ok()) return Fail(std::string(Message(waited)));
  if (!failed.empty()) return Fail(failed);
  return PrintAdded(done.imported(), f.Has("json"), /*imported=*/false);
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

int Show(AdminClient& client, const Flags& f) {
  if (f.positional().empty()) return Fail("account show needs an account ID (account list)");
  admin::v1::ListAccountsResponse resp;
  if (!Call(client, &Stub::ListAccounts, admin::v1::ListAccountsRequest(), &resp)) return 1;
  for (const auto& a : resp.accounts()) {
    if (a.id() != f.positional()[0]) continue;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(a).c_str());
      return 0;
    }
    const int64_t now = NowMs();
    std::vector<std::vector<std::string>> rows = {
        {"account", a.id()},
        {"email", a.email().empty() ? "-" : a.email()},
        {"plan", a.plan().empty() ? "-" : a.plan()},
        {"pool", a.provider() + ", place " + std::to_string(a.position() + 1)},
        {"state", a.state() + (a.detail().empty() ? "" : ": " + a.detail())},
        {"5-hour window", WindowText(a.quota().primary(), now)},
        {"weekly window", WindowText(a.quota().secondary(), now)},
        {"quota told", a.quota().reported_at_ms() > 0
                           ? FormatDuration(now - a.quota().reported_at_ms()) + " ago"
                           : "never"},
        {"access token expires",
         a.access_expires_at_ms() > 0 ? FormatTime(a.access_expires_at_ms()) : "not known"},
        {"last refresh", a.last_refresh().empty() ? "-" : a.last_refresh()}};
    if (!a.quota().credits_balance().empty())
      rows.push_back({"credits", a.quota().credits_balance()});
    if (!a.relogin().empty()) {
      rows.push_back({"sign in again", a.relogin() + " (agentgatectl account login)"});
    }
    PrintTable(rows);
    return 0;
  }
  return Fail("no account " + f.positional()[0] + " (account list)");
}

}  // namespace

int CmdAccount(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kAccountUsage);
  const std::string sub = args[0];
  Flags f({{"provider", "POOL", "import, login: the pool (a provider of type chatgpt)"},
           {"device", "", "login: by device code (no browser on this machine)"},
           {"paste", "", "login: paste where the browser came back to"},
           {"no-browser", "", "login: print the address, do not open a browser"},
           {"port", "N", "login: the local port the browser comes back to (default 1455)"},
           {"to", "FILE", "export: write the auth.json there"},
           {"json", "", "JSON output"}});
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  AdminClient client(home);
  if (sub == "import") return Import(client, f);
  if (sub == "list") return List(client, f);
  if (sub == "show") return Show(client, f);
  if (sub == "login") return f.Has("device") ? LoginDevice(client, f) : LoginBrowser(client, f);
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
              "': import, login, list, show, use, remove, refresh or export");
}

}  // namespace agentgate::ctl
