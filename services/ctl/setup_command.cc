// agentgatectl setup: first-run onboarding. Start the stack if it is not running, take a key,
// detect its provider from the prefix, add and test it, then point the chosen clients at the
// gateway. Interactive in a terminal; every answer can also be given as a flag (and must be,
// without a terminal).
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "services/clientconf/client_config.h"
#include "services/clientconf/client_files.h"
#include "services/common/flags.h"
#include "services/common/strings.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"
#include "services/routing/presets.h"

namespace agentgate::ctl {
namespace {

namespace cc = clientconf;

constexpr char kSetupUsage[] =
    "usage: agentgatectl setup [--key KEY] [--type TYPE|auto] [--name NAME] [--base-url URL]\n"
    "                          [--model M] [--clients codex,claude,gemini,opencode,…|all|none]\n"
    "                          [--no-test] [--yes]\n"
    "  First run: starts the stack if needed, adds the provider of KEY (its type detected from\n"
    "  the key's prefix), tests it, and points the chosen clients at the gateway. Asks for\n"
    "  what is missing in a terminal; without one, give --key (and --type when the prefix is\n"
    "  ambiguous) and --clients.\n";

bool Interactive() { return ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO); }

std::string Ask(const std::string& question, bool secret = false) {
  return std::string(StripSpace(AskLine(question, secret, stdout)));
}

bool Confirm(const std::string& question, bool yes_default) {
  std::string a = Ask(question + (yes_default ? " [Y/n] " : " [y/N] "));
  if (a.empty()) return yes_default;
  return a[0] == 'y' || a[0] == 'Y';
}

// This program, to start the stack with.
std::string SelfPath() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "agentgatectl";
  return std::string(buf, static_cast<size_t>(n));
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool StackUp(AdminClient& client) {
  admin::v1::StackStatus status;
  auto ctx = client.Context(std::chrono::seconds(5));
  return client.stub().GetStackStatus(ctx.get(), admin::v1::GetStackStatusRequest(), &status).ok();
}

}  // namespace

int CmdSetup(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"key", "KEY", "the provider's API key"},
           {"type", "TYPE", "the provider type (default: detected from the key)"},
           {"name", "NAME", "the provider's name (default: its type)"},
           {"base-url", "URL", "the provider's base URL (default: the type's)"},
           {"model", "M", "the default model (default: the type's)"},
           {"clients", "LIST",
            "codex,claude,gemini,opencode,qwen,kimi,droid,crush,atomcode, all or none"},
           {"no-test", "", "do not test the provider"},
           {"yes", "", "answer yes: start the stack, keep going after a failed test"},
           {"help", "", "this help"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("help")) return Usage(kSetupUsage);
  const bool ask = Interactive() && !f.Has("yes");

  // 1. The stack.
  AdminClient probe_client(home);
  if (!StackUp(probe_client)) {
    if (ask && !Confirm("The gateway is not running. Start it now?", true)) {
      return Fail("setup needs the gateway: start it with agentgatectl up --detach");
    }
    std::printf("starting the gateway…\n");
    std::string cmd = Quote(SelfPath()) + " --home " + Quote(home) + " up --detach";
    if (std::system(cmd.c_str()) != 0) {
      return Fail("could not start the gateway; see " + home + "/logs");
    }
  }
  AdminClient client(home);

  // 2. The key and its provider.
  std::string key = f.Get("key");
  if (key.empty()) {
    if (!ask) return Fail("setup needs --key KEY without a terminal");
    key = Ask("Paste your provider API key (input hidden): ", /*secret=*/true);
    if (key.empty()) return Fail("no key given");
  }
  std::string type = f.Get("type", nullptr, "auto");
  if (type == "auto") {
    auto detected = routing::DetectTypeFromKey(key);
    if (detected.ok()) {
      type = *detected;
      std::printf("the key looks like %s\n", type.c_str());
    } else if (ask) {
      std::printf("%s\n", Message(detected.status()).c_str());
      type = Ask("Provider type: ");
    } else {
      return Fail(Message(detected.status()) + " (give --type)");
    }
  }
  if (routing::FindPreset(type) == nullptr) {
    return Fail("unknown provider type '" + type + "': see agentgatectl provider types");
  }
  admin::v1::CreateProviderRequest create;
  create.mutable_provider()->set_type(type);
  create.mutable_provider()->set_name(f.Get("name", nullptr, type));
  create.mutable_provider()->set_base_url(f.Get("base-url"));
  create.mutable_provider()->set_default_model(f.Get("model"));
  create.set_api_key(key);
  admin::v1::Provider provider;
  {
    admin::v1::GetProviderRequest get;
    get.set_name(create.provider().name());
    auto get_ctx = client.Context();
    const bool exists = client.stub().GetProvider(get_ctx.get(), get, &provider).ok();
    auto ctx = client.Context();
    grpc::Status st = exists ? grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "")
                             : client.stub().CreateProvider(ctx.get(), create, &provider);
    if (st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      // Run again with a new key: the provider keeps its settings and gets the key.
      admin::v1::UpdateProviderRequest update;
      update.set_name(create.provider().name());
      update.set_replace_api_keys(true);
      update.add_api_keys(key);
      if (f.Has("base-url")) update.set_base_url(f.Get("base-url"));
      if (f.Has("model")) update.set_default_model(f.Get("model"));
      if (!Call(client, &Stub::UpdateProvider, update, &provider)) return 1;
      std::printf("provider %s was there: its key is replaced\n", provider.name().c_str());
    } else if (!st.ok()) {
      return Fail(client.Explain(st));
    } else {
      std::printf("added provider %s (%s, %s)\n", provider.name().c_str(), provider.type().c_str(),
                  provider.base_url().c_str());
    }
  }

  // 3. The test.
  bool tested_ok = true;
  if (!f.Has("no-test")) {
    admin::v1::TestProviderRequest test;
    test.set_name(provider.name());
    test.set_check_vision(true);
    admin::v1::ProviderTestResult result;
    if (!Call(client, &Stub::TestProvider, test, &result)) return 1;
    for (const auto& s : result.steps()) {
      const char* mark = s.skipped() ? "-" : s.ok() ? "✓" : "✗";
      std::printf("  %s %-13s %s\n", mark, s.name().c_str(), s.detail().c_str());
    }
    tested_ok = result.ok();
    if (!tested_ok) {
      bool go_on = ask ? Confirm("The provider test failed. Configure the clients anyway?", false)
                       : f.Has("yes");
      if (!go_on) {
        return Fail(
            "the provider test failed: fix the key or URL and run agentgatectl setup "
            "again (or agentgatectl provider update " +
            provider.name() + ")");
      }
    }
  }

  // 4. The clients.
  std::vector<cc::ClientKind> chosen;
  if (f.Has("clients")) {
    std::string list = f.Get("clients");
    if (list == "all") {
      chosen = cc::AllClients();
    } else if (list != "none" && !list.empty()) {
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string name(StripSpace(std::string_view(list).substr(start, comma - start)));
        auto kind = cc::ParseClientKind(name);
        if (!kind) {
          return Fail(
              "--clients takes codex, claude, gemini, opencode, qwen, kimi, droid, crush, "
              "atomcode, all or none; not '" +
              name + "'");
        }
        chosen.push_back(*kind);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  } else if (ask) {
    for (cc::ClientKind kind : cc::AllClients()) {
      bool installed = !cc::FindOnPath(cc::ClientBinary(kind)).empty();
      if (!installed && !cc::IsCoreClient(kind)) continue;  // asked about only when installed
      if (Confirm("Point " + cc::ClientTitle(kind) + (installed ? "" : " (not installed yet)") +
                      " at the gateway?",
                  installed)) {
        chosen.push_back(kind);
      }
    }
  }
  int failures = 0;
  for (cc::ClientKind kind : chosen) {
    std::vector<std::string> apply = {"apply", cc::ClientName(kind)};
    if (!provider.default_model().empty()) {
      apply.push_back("--model");
      apply.push_back(provider.default_model());
    }
    if (CmdClient(home, apply) != 0) ++failures;
  }

  std::printf("\nAgentGate is set up%s.\n", failures > 0 ? " (with errors above)" : "");
  if (!chosen.empty()) {
    std::printf(
        "Run your client as usual; agentgatectl client status shows where each points, "
        "agentgatectl client restore NAME undoes it.\n");
  } else {
    std::printf(
        "Point a client at it with agentgatectl client apply CLIENT (claude, codex, gemini,\n"
        "opencode, qwen, kimi, droid, crush, atomcode).\n");
  }
  return failures > 0 || !tested_ok ? 1 : 0;
}

}  // namespace agentgate::ctl
