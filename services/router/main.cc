// agentgate-router: owns config.db and the local token, serves the admin API, and streams
// config snapshots to the edges.
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/service_main.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/net/metrics_endpoint.h"
#include "services/router/account_refresher.h"
#include "services/router/admin_service.h"
#include "services/router/backups.h"
#include "services/router/budget_watcher.h"
#include "services/router/config_store.h"
#include "services/router/control_service.h"
#include "services/router/event_hub.h"
#include "services/router/health_events.h"
#include "services/router/health_state.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"
#include "services/routing/presets.h"

namespace agentgate::router {
namespace {

// AGENTGATE_PROVIDER + AGENTGATE_API_KEY (and optionally AGENTGATE_BASE_URL,
// AGENTGATE_MODEL) add that provider on first start, when no provider of that name exists.
// Returns its name ("" when none was added).
std::string BootstrapFromEnv(ConfigStore& store) {
  std::string type = EnvOr("AGENTGATE_PROVIDER", "");
  std::string key = EnvOr("AGENTGATE_API_KEY", "");
  if (type.empty() && key.empty()) return "";
  if (type.empty() || type == "auto") {
    auto detected = routing::DetectTypeFromKey(key);
    if (!detected.ok()) {
      LogError("AGENTGATE_API_KEY given but the provider type is unknown")
          .Kv("error", Message(detected.status()));
      return "";
    }
    type = *detected;
  }
  if (store.GetProvider(type).ok()) return "";
  admin::v1::Provider p;
  p.set_name(type);
  p.set_type(type);
  p.set_base_url(EnvOr("AGENTGATE_BASE_URL", ""));
  p.set_default_model(EnvOr("AGENTGATE_MODEL", ""));
  auto created = store.CreateProvider(p, key);
  if (!created.ok()) {
    LogError("cannot add the provider from AGENTGATE_PROVIDER")
        .Kv("error", Message(created.status()));
    return "";
  }
  LogInfo("added provider from the environment").Kv("provider", created->name());
  return created->name();
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceOptions opts;
  Flags* flags = nullptr;
  if (auto code =
          ParseServiceFlags("agentgate-router", "AgentGate routing control plane and admin API",
                            9091, "AGENTGATE_ADMIN_PORT",
                            {{"stats", "HOST:PORT",
                              "stats service (env AGENTGATE_STATS_ADDR, default 127.0.0.1:9093)"},
                             {"probe", "HOST:PORT",
                              "probe service (env AGENTGATE_PROBE_ADDR, default 127.0.0.1:9092)"},
                             {"cooldown-ms", "MS",
                              "first cooldown of a failing provider without Retry-After, "
                              "doubled per failure (default 2000)"},
                             {"breaker-open-ms", "MS",
                              "how long 3 failures in a row keep a provider out before a "
                              "half-open trial (default 30000)"},
                             {"auto-test", "on|off",
                              "test a provider through the probe when it is created or its "
                              "connection settings change (env AGENTGATE_AUTO_TEST, default on)"},
                             {"budget-check-ms", "MS",
                              "how often today's cost is checked against a daily budget "
                              "(default 5000)"},
                             {"openai-auth-url", "URL",
                              "the auth server official ChatGPT accounts are refreshed at (env "
                              "AGENTGATE_OPENAI_AUTH_URL, default https://auth.openai.com)"},
                             {"account-check-ms", "MS",
                              "how often the accounts' sign-ins are checked for a refresh "
                              "(default 60000)"},
                             {"quota-every", "DURATION",
                              "ask the usage endpoint for the quota of an official account no "
                              "answer told of for this long: 5m, 1h; 0 never (env "
                              "AGENTGATE_QUOTA_EVERY, default 5m)"},
                             {"account-low-percent", "N",
                              "an official account with less than N% left in a window is "
                              "avoided while another is fresh (env AGENTGATE_ACCOUNT_LOW_PERCENT, "
                              "default 10; 0: only a spent account is)"},
                             {"backup-every", "DURATION",
                              "make a backup (sealed with the master key) this often: 1d, 6h; 0 "
                              "never (env AGENTGATE_BACKUP_EVERY, default 1d)"},
                             {"backup-keep", "N",
                              "scheduled backups kept, the newest (env AGENTGATE_BACKUP_KEEP, "
                              "default 7)"},
                             {"test-every", "DURATION",
                              "also test every enabled provider this often: 30m, 6h, 1d "
                              "(env AGENTGATE_TEST_EVERY, default 0 = never)"}},
                            argc, argv, &opts, &flags)) {
    return *code;
  }
  // The same health policy flags as the edge's, so that both boards judge alike.
  routing::HealthPolicy policy;
  for (auto [flag, field] : {std::pair{"cooldown-ms", &policy.first_cooldown_ms},
                             std::pair{"breaker-open-ms", &policy.open_for_ms}}) {
    if (!flags->Has(flag)) continue;
    std::string v = flags->Get(flag);
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n <= 0) {
      std::fprintf(stderr, "agentgate-router: --%s needs a positive number of milliseconds\n",
                   flag);
      return 2;
    }
    *field = n;
  }
  auto box =
      store::SecretBox::LoadOrCreate(opts.home + "/master.key", EnvOr("AGENTGATE_MASTER_KEY", ""));
  if (!box.ok()) {
    LogError("cannot load the master key").Kv("error", Message(box.status()));
    return 1;
  }
  auto store = ConfigStore::Open(opts.home + "/config.db", *std::move(box));
  if (!store.ok()) {
    LogError("cannot open config.db").Kv("error", Message(store.status()));
    return 1;
  }
  auto token = LocalToken::LoadOrCreate(opts.home + "/token");
  if (!token.ok()) {
    LogError("cannot load the local token").Kv("error", Message(token.status()));
    return 1;
  }
  auto admin_token = LocalToken::LoadOrCreate(opts.home + "/admin.token", kAdminTokenPrefix);
  if (!admin_token.ok()) {
    LogError("cannot load the admin credential").Kv("error", Message(admin_token.status()));
    return 1;
  }
  // What the services present to each other (edges get provider keys with it): neither the
  // client key nor the admin credential.
  auto service_cred = LocalToken::LoadOrCreate(opts.home + "/service.token", kServiceTokenPrefix);
  if (!service_cred.ok()) {
    LogError("cannot load the service credential").Kv("error", Message(service_cred.status()));
    return 1;
  }
  std::string auto_test = flags->Get("auto-test", "AGENTGATE_AUTO_TEST", "on");
  if (auto_test != "on" && auto_test != "off") {
    std::fprintf(stderr, "agentgate-router: --auto-test takes on or off, got '%s'\n",
                 auto_test.c_str());
    return 2;
  }
  auto every = ParseDuration(flags->Get("test-every", "AGENTGATE_TEST_EVERY", "0"));
  if (!every) {
    std::fprintf(stderr, "agentgate-router: --test-every takes a duration such as 30m, 6h or 1d\n");
    return 2;
  }
  std::string bootstrapped = BootstrapFromEnv(**store);
  // Health is not persisted: the first snapshot of this run differs from the last one edges
  // saw under the same version, so it gets a version of its own.
  if (auto v = (*store)->BumpVersion(); !v.ok()) {
    LogError("cannot write config.db").Kv("error", Message(v.status()));
    return 1;
  }
  HealthState health(policy);
  SnapshotHub hub(**store, **token, health);
  if (auto st = hub.Rebuild(); !st.ok()) {
    LogError("cannot build the config snapshot").Kv("error", Message(st));
    return 1;
  }
  AdminServiceImpl::Peers peers{flags->Get("stats", "AGENTGATE_STATS_ADDR", "127.0.0.1:9093"),
                                flags->Get("probe", "AGENTGATE_PROBE_ADDR", "127.0.0.1:9092"),
                                opts.home};
  ProviderTester tester(**store, hub, **token, **service_cred,
                        ProviderTester::Options{peers.probe_address, auto_test == "on", *every});
  int64_t budget_check_ms = 5000;
  if (flags->Has("budget-check-ms")) {
    std::string v = flags->Get("budget-check-ms");
    char* end = nullptr;
    budget_check_ms = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || budget_check_ms < 50) {
      std::fprintf(stderr, "agentgate-router: --budget-check-ms needs milliseconds, 50 or more\n");
      return 2;
    }
  }
  BudgetWatcher budget(**store, hub, **service_cred, peers.stats_address,
                       std::chrono::milliseconds(budget_check_ms));
  int64_t account_check_ms = 60000;
  if (flags->Has("account-check-ms")) {
    std::string v = flags->Get("account-check-ms");
    char* end = nullptr;
    account_check_ms = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || account_check_ms < 50) {
      std::fprintf(stderr, "agentgate-router: --account-check-ms needs milliseconds, 50 or more\n");
      return 2;
    }
  }
  auto quota_every = ParseDuration(flags->Get("quota-every", "AGENTGATE_QUOTA_EVERY", "5m"));
  if (!quota_every) {
    std::fprintf(stderr, "agentgate-router: --quota-every takes a duration such as 5m or 1h\n");
    return 2;
  }
  EventHub events;  // live events for WatchEvents (also an account's news from the refresher)
  AccountRefresher refresher(
      **store, hub, **service_cred, events,
      AccountRefresher::Options{
          peers.probe_address,
          flags->Get("openai-auth-url", "AGENTGATE_OPENAI_AUTH_URL", "https://auth.openai.com"),
          std::chrono::milliseconds(account_check_ms), *quota_every});
  {
    const std::string low =
        flags->Get("account-low-percent", "AGENTGATE_ACCOUNT_LOW_PERCENT", "10");
    char* end = nullptr;
    const double percent = std::strtod(low.c_str(), &end);
    if (low.empty() || *end != '\0' || !(percent >= 0 && percent <= 50)) {
      std::fprintf(stderr, "agentgate-router: --account-low-percent takes a number from 0 to 50\n");
      return 2;
    }
    (*store)->SetLowLeftPercent(percent);
  }
  auto backup_every = ParseDuration(flags->Get("backup-every", "AGENTGATE_BACKUP_EVERY", "1d"));
  const std::string keep_text = flags->Get("backup-keep", "AGENTGATE_BACKUP_KEEP", "7");
  char* keep_end = nullptr;
  const long backup_keep = std::strtol(keep_text.c_str(), &keep_end, 10);
  if (!backup_every || keep_text.empty() || *keep_end != '\0' || backup_keep < 1 ||
      backup_keep > 1000) {
    std::fprintf(stderr,
                 "agentgate-router: --backup-every takes a duration such as 1d, --backup-keep "
                 "a count from 1 to 1000\n");
    return 2;
  }
  Backups backups(**store, **service_cred,
                  Backups::Options{opts.home, peers.stats_address, *backup_every,
                                   static_cast<int>(backup_keep)});
  // Provider health changes as live events.
  HealthEvents health_events(health, events);
  AdminServiceImpl admin(**store, hub, **token, **admin_token, **service_cred, health, tester,
                         budget, events, health_events, refresher, backups, peers,
                         MakeServiceInfo("router", "", NowMs()));
  ControlServiceImpl control(hub, **service_cred, health, events, health_events, **store);
  tester.Start();
  budget.Start();
  refresher.Start();
  backups.Start();
  health_events.Start();
  if (!bootstrapped.empty()) tester.Enqueue(bootstrapped, "created");

  // Prometheus metrics (--metrics-port): the config version, the edges, each provider's health.
  metrics::Registry reg;
  const int64_t started_at = NowMs();
  reg.AddCallbackGauge("agentgate_router_config_version", "Version of the config snapshot",
                       [&] { return static_cast<double>(hub.version()); });
  reg.AddCallbackGauge("agentgate_router_edges", "Edges heard from in the last minute",
                       [&] { return static_cast<double>(hub.Edges().size()); });
  reg.AddCallbackGauge("agentgate_router_start_time_seconds", "When the router started",
                       [&] { return static_cast<double>(started_at) / 1000; });
  reg.AddCallbackGauge("agentgate_budget_limit_usd", "The daily budget (0: none)",
                       [&] { return budget.Current().daily_limit_usd(); });
  reg.AddCallbackGauge("agentgate_budget_spent_today_usd", "Priced requests since local midnight",
                       [&] { return budget.Current().spent_today_usd(); });
  reg.AddCallbackGauge("agentgate_budget_exceeded", "1 when today's budget is spent",
                       [&] { return budget.Current().exceeded() ? 1.0 : 0.0; });
  auto& available = reg.AddGauge("agentgate_router_provider_available",
                                 "1 when the provider may be tried now (enabled, not cooling "
                                 "down, breaker not open)",
                                 {"provider"});
  auto& failures = reg.AddGauge("agentgate_router_provider_consecutive_failures",
                                "Failures in a row the edges reported", {"provider"});
  auto& breaker_opens = reg.AddGauge("agentgate_router_provider_breaker_opens",
                                     "Times the breaker opened since it last closed", {"provider"});
  auto endpoint = net::StartMetricsEndpoint(opts, [&] {
    if (auto providers = (*store)->ListProviders(); providers.ok()) {
      const int64_t now = NowMs();
      for (const auto& p : *providers) {
        routing::ProviderHealth h = health.Get(p.name());
        bool up = p.enabled() && routing::Unavailable(h, now).empty();
        available.With({p.name()}).Set(up ? 1 : 0);
        failures.With({p.name()}).Set(h.consecutive_failures);
        breaker_opens.With({p.name()}).Set(h.opens);
      }
    }
    return reg.Render();
  });
  if (!endpoint.ok()) {
    LogError("cannot serve metrics").Kv("error", Message(endpoint.status()));
    return 1;
  }
  int code = ServeUntilSignal(
      "agentgate-router", opts, {&admin, &control},
      [&](const std::string& address) { admin.SetAddress(address); },
      [&] {
        // First: event subscribers hear STACK_STOPPING at once, and their streams end before
        // the server's shutdown waits for open calls.
        events.Shutdown();
        health_events.Stop();
        tester.Stop();
        budget.Stop();
        refresher.Stop();
        backups.Stop();
        hub.Shutdown();
      });
  return code;
}

}  // namespace
}  // namespace agentgate::router

int main(int argc, char** argv) { return agentgate::router::Main(argc, argv); }
