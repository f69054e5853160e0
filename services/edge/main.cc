// agentgate-edge: the HTTP data plane. See services/edge/edge_handler.h.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "agentgate/control/v1/control.grpc.pb.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/edge/config_watcher.h"
#include "services/edge/edge_handler.h"
#include "services/edge/live_events.h"
#include "services/edge/record.h"
#include "services/edge/record_shipper.h"
#include "services/edge/record_spool.h"
#include "services/edge/stream_uploader.h"

namespace agentgate::edge {
namespace {

// Each open stream holds two descriptors (client and provider): lift the soft limit to the hard
// one, since distributions start processes at 1024.
void RaiseDescriptorLimit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// Request bodies of tens of kilobytes are allocated and freed on every request. With glibc's
// defaults the freed top of a worker's heap goes back to the kernel and the next request faults
// the pages in again (page faults were 8% of the edge's CPU on 45 KB bodies): keep up to 32 MB
// of freed memory, and serve blocks up to 1 MB from the heap rather than fresh mappings.
void KeepFreedMemory() {
  ::mallopt(M_TRIM_THRESHOLD, 32 << 20);
  ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  RaiseDescriptorLimit();
  KeepFreedMemory();
  Flags flags({
      {"help", "", "show this help"},
      {"home", "DIR", "data folder (env AGENTGATE_HOME, default ~/.agentgate)"},
      {"host", "ADDR", "HTTP bind address (env AGENTGATE_HOST, default 127.0.0.1)"},
      {"port", "PORT", "HTTP port, 0 for any (env AGENTGATE_PORT, default 9090)"},
      {"allow-remote", "", "allow a non-loopback bind address"},
      {"allowed-host", "NAME",
       "also serve requests whose Host is NAME (repeatable or comma-separated; env "
       "AGENTGATE_ALLOWED_HOSTS). On loopback only localhost names are served otherwise"},
      {"allowed-origin", "ORIGIN",
       "serve browser requests from ORIGIN, e.g. https://app.example (repeatable; others get "
       "403)"},
      {"metrics-public", "", "serve GET /metrics without the token"},
      {"router", "HOST:PORT",
       "router gRPC address (env AGENTGATE_ROUTER_ADDR, default 127.0.0.1:9091)"},
      {"stats", "HOST:PORT",
       "stats gRPC address (env AGENTGATE_STATS_ADDR, default 127.0.0.1:9093)"},
      {"workers", "N", "worker threads (default: number of cores)"},
      {"max-body-bytes", "N",
       "largest request body (env AGENTGATE_MAX_BODY_BYTES, default 32 MiB)"},
      {"max-header-bytes", "N", "largest request header (default 65536)"},
      {"max-connections", "N", "open client connections at most (default 4096)"},
      {"header-timeout-ms", "MS", "time to read a request header (default 30000)"},
      {"body-timeout-ms", "MS", "time to read a request body (default 120000)"},
      {"idle-timeout-ms", "MS", "keep-alive idle time (default 300000)"},
      {"keepalive-ms", "MS",
       "keep-alive event to a streaming client after this much provider silence "
       "(env AGENTGATE_KEEPALIVE_MS, default 15000, 0 for none)"},
      {"max-attempts", "N", "upstream attempts for one request, all providers (default 6)"},
      {"retries", "N",
       "retries of the last provider left after a 5xx, 429 or connect error "
       "(default 2)"},
      {"retry-deadline-ms", "MS", "no new upstream attempt after this long (default 90000)"},
      {"cooldown-ms", "MS",
       "first cooldown of a failing provider without Retry-After, doubled "
       "per failure (default 2000)"},
      {"breaker-open-ms", "MS",
       "how long 3 failures in a row keep a provider out before a "
       "half-open trial (default 30000)"},
      {"port-file", "FILE", "write the bound HTTP port here"},
      {"spool-max-bytes", "N",
       "request records waiting for the stats service in the spool at most (env "
       "AGENTGATE_SPOOL_MAX_BYTES, default 1 GiB); beyond, new records are dropped and counted"},
      {"edge-id", "ID", "name of this edge in status output (default edge-<pid>)"},
      {"log-level", "LEVEL", "debug, info, warn, error (env AGENTGATE_LOG_LEVEL)"},
  });
  if (auto st = flags.Parse(argc, argv, 1); !st.ok()) {
    std::fprintf(stderr, "agentgate-edge: %s\n", Message(st).c_str());
    return 2;
  }
  if (flags.Has("help")) {
    std::printf("agentgate-edge: the AgentGate HTTP data plane\n\n%s", flags.Usage().c_str());
    return 0;
  }
  InitLogging("edge", ParseLogLevel(flags.Get("log-level", "AGENTGATE_LOG_LEVEL", "info")));
  auto num = [&](const char* name, const char* env, int64_t def) -> int64_t {
    std::string v = flags.Get(name, env, std::to_string(def));
    try {
      return std::stoll(v);
    } catch (...) {
      std::fprintf(stderr, "agentgate-edge: --%s needs a number, got '%s'\n", name, v.c_str());
      std::exit(2);
    }
  };

  std::string home = flags.Get("home", "AGENTGATE_HOME", DefaultHome());
  std::string host = flags.Get("host", "AGENTGATE_HOST", "127.0.0.1");
  int port = static_cast<int>(num("port", "AGENTGATE_PORT", 9090));
  if (!IsLoopbackHost(host) && !flags.Has("allow-remote")) {
    std::fprintf(stderr,
                 "agentgate-edge: refusing to listen on non-loopback address %s: anyone who can "
                 "reach it could use your providers. Pass --allow-remote if you mean it.\n",
                 host.c_str());
    return 2;
  }
  IngressPolicy ingress;
  ingress.loopback_listener = IsLoopbackHost(host);
  ingress.metrics_public = flags.Has("metrics-public");
  auto add_list = [](std::vector<std::string>* out, const std::string& value) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      std::string item(StripSpace(std::string_view(value).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (!item.empty()) out->push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  };
  for (const auto& v : flags.GetAll("allowed-host")) add_list(&ingress.allowed_hosts, v);
  if (const char* env = std::getenv("AGENTGATE_ALLOWED_HOSTS")) {
    add_list(&ingress.allowed_hosts, env);
  }
  for (const auto& v : flags.GetAll("allowed-origin")) add_list(&ingress.allowed_origins, v);
  if (home.empty()) {
    std::fprintf(stderr, "agentgate-edge: %s\n", NoHomeMessage().c_str());
    return 2;
  }
  // Refuses a folder another user owns or can write to before anything is read from it.
  if (auto st = EnsureDataDir(home); !st.ok()) {
    std::fprintf(stderr, "agentgate-edge: %s\n", Message(st).c_str());
    return 1;
  }
  std::string router = flags.Get("router", "AGENTGATE_ROUTER_ADDR", "127.0.0.1:9091");
  std::string stats = flags.Get("stats", "AGENTGATE_STATS_ADDR", "127.0.0.1:9093");
  std::string edge_id = flags.Get("edge-id", nullptr, "edge-" + std::to_string(::getpid()));

  net::ServerLimits limits;
  limits.body_limit =
      static_cast<uint64_t>(num("max-body-bytes", "AGENTGATE_MAX_BODY_BYTES", 32ll * 1024 * 1024));
  limits.header_limit = static_cast<size_t>(num("max-header-bytes", nullptr, 65536));
  limits.max_connections = static_cast<int>(num("max-connections", nullptr, 4096));
  limits.header_timeout = std::chrono::milliseconds(num("header-timeout-ms", nullptr, 30000));
  limits.body_timeout = std::chrono::milliseconds(num("body-timeout-ms", nullptr, 120000));
  limits.idle_timeout = std::chrono::milliseconds(num("idle-timeout-ms", nullptr, 300000));
  routing::RetryPolicy retry;
  retry.max_attempts = static_cast<int>(std::max<int64_t>(1, num("max-attempts", nullptr, 6)));
  retry.same_provider_retries = static_cast<int>(num("retries", nullptr, 2));
  retry.deadline_ms = num("retry-deadline-ms", nullptr, 90000);
  routing::HealthPolicy health;
  health.first_cooldown_ms = num("cooldown-ms", nullptr, health.first_cooldown_ms);
  health.open_for_ms = num("breaker-open-ms", nullptr, health.open_for_ms);
  size_t workers = static_cast<size_t>(
      num("workers", nullptr, std::max(1u, std::thread::hardware_concurrency())));

  // Internal RPCs carry the service credential (DATA/service.token, or
  // $AGENTGATE_SERVICE_TOKEN on a host without the data folder); the client key in `token`
  // serves /metrics until the first snapshot.
  TokenFile token_file(home + "/token");
  TokenFile service_file(home + "/service.token", "AGENTGATE_SERVICE_TOKEN");
  auto token = [&]() -> std::string { return service_file.Get(); };

  // Each request's record goes to the spool in the data folder as the request ends, and is
  // shipped to stats from there (kept until stats has committed it).
  RecordSpool::Options spool_options;
  spool_options.dir = home + "/spool";
  spool_options.max_bytes =
      static_cast<uint64_t>(num("spool-max-bytes", "AGENTGATE_SPOOL_MAX_BYTES", 1ll << 30));
  auto spool_or = RecordSpool::Open(spool_options);
  if (!spool_or.ok()) {
    LogError("cannot open the record spool").Kv("error", Message(spool_or.status()));
    return 1;
  }
  RecordSpool& records = **spool_or;
  OutcomeQueue outcomes(100000);
  EventQueue events(kEventQueueCapacity);
  std::atomic<int64_t> stale_events{0};  // drained too late to be news (router was down)
  auto router_channel = LocalChannel(router);
  auto stats_channel = LocalChannel(stats);
  auto control_stub = control::v1::ControlService::NewStub(router_channel);
  auto stats_stub = stats::v1::StatsService::NewStub(stats_channel);

  std::unique_ptr<net::HttpServer> server;
  int64_t started_at = NowMs();
  std::string http_address;

  using OutcomeUploader = StreamUploader<control::v1::Outcome, control::v1::OutcomeBatch,
                                         control::v1::ReportOutcomesResponse>;
  OutcomeUploader* outcome_ptr = nullptr;

  ConfigWatcher watcher(router_channel, edge_id, token, [&](uint64_t) {
    if (outcome_ptr) outcome_ptr->Nudge();
  });
  EdgeMetrics metrics;
  metrics::Registry& reg = metrics.registry();
  reg.AddCallbackCounter("agentgate_records_dropped_total",
                         "Request records dropped because the spool was full or not writable",
                         [&] { return static_cast<double>(records.dropped()); });
  reg.AddCallbackCounter("agentgate_spool_damaged_total",
                         "Damaged spool segment ends skipped (a write torn by a crash)",
                         [&] { return static_cast<double>(records.corrupt()); });
  reg.AddCallbackCounter("agentgate_outcomes_dropped_total",
                         "Outcome reports dropped because the queue to the router was full",
                         [&] { return static_cast<double>(outcomes.dropped()); });
  reg.AddCallbackCounter(
      "agentgate_events_dropped_total",
      "Live request events dropped: the queue to the router was full, or they were too old "
      "when the router came back",
      [&] { return static_cast<double>(events.dropped() + stale_events.load()); });
  reg.AddCallbackGauge("agentgate_records_spooled_bytes",
                       "Bytes of request records in the spool not yet committed by stats",
                       [&] { return static_cast<double>(records.pending_bytes()); });
  reg.AddCallbackGauge("agentgate_open_connections", "Client connections open now", [&] {
    return server ? static_cast<double>(server->open_connections()) : 0;
  });
  reg.AddCallbackGauge("agentgate_config_version", "Version of the config snapshot in use", [&] {
    auto snap = watcher.Current();
    return snap ? static_cast<double>(snap->version) : 0;
  });
  reg.AddCallbackGauge("agentgate_router_connected", "1 while the config stream is up",
                       [&] { return watcher.connected() ? 1.0 : 0.0; });
  reg.AddCallbackGauge("agentgate_start_time_seconds", "When this edge started (Unix time)",
                       [&] { return static_cast<double>(started_at) / 1000; });
  EdgeHandler handler(
      edge_id, watcher, records, outcomes, events, metrics,
      std::chrono::milliseconds(num("keepalive-ms", "AGENTGATE_KEEPALIVE_MS", 15000)), retry,
      health, ingress);
  handler.set_token_fallback([&] { return token_file.Get(); });

  OutcomeUploader outcome_uploader(
      "outcomes", outcomes,
      [&](grpc::ClientContext* ctx, control::v1::ReportOutcomesResponse* resp) {
        return control_stub->ReportOutcomes(ctx, resp);
      },
      [&](const std::vector<control::v1::Outcome>& items) {
        control::v1::OutcomeBatch b;
        auto* hb = b.mutable_heartbeat();
        *hb->mutable_info() = MakeServiceInfo("edge", http_address, started_at);
        hb->mutable_info()->set_config_version(watcher.Current() ? watcher.Current()->version : 0);
        hb->set_open_connections(server ? server->open_connections() : 0);
        hb->set_dropped_records(records.dropped());
        hb->set_dropped_outcomes(outcomes.dropped());
        for (const auto& o : items) *b.add_outcomes() = o;
        // Live events ride along, best effort: a batch whose write fails loses its events.
        stale_events += DrainEvents(events, kEventsPerBatch, NowMs(), &b);
        return b;
      },
      token, std::chrono::milliseconds(2000));
  // Pending events go out within the uploader's 250 ms poll even when no outcome comes.
  outcome_uploader.set_extra_pending([&] { return events.size() > 0; });
  outcome_ptr = &outcome_uploader;
  RecordShipper record_shipper(records, [&](const stats::v1::RecordBatch& batch) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ctx.AddMetadata("authorization", "Bearer " + token());
    stats::v1::CommitResponse resp;
    return stats_stub->Commit(&ctx, batch, &resp);
  });

  server = std::make_unique<net::HttpServer>(handler, limits, workers);
  if (auto st = server->Listen(host, port); !st.ok()) {
    LogError("cannot start").Kv("error", Message(st));
    return 1;
  }
  http_address = JoinHostPort(host, server->port());
  handler.InitPools(*server);
  watcher.Start();
  outcome_uploader.Start();
  record_shipper.Start();
  server->Start();
  if (auto st = WritePortFile(flags.Get("port-file"), server->port()); !st.ok()) {
    LogError("cannot write port file").Kv("error", Message(st));
  }
  LogInfo("listening")
      .Kv("addr", http_address)
      .Kv("router", router)
      .Kv("stats", stats)
      .Kv("workers", static_cast<int64_t>(workers))
      .Kv("version", AGENTGATE_VERSION);

  int sig = WaitForShutdownSignal();
  LogInfo("stopping").Kv("signal", sig);
  // Let requests in flight finish (bounded), accepting no new connections, then stop.
  server->StopAccepting();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (handler.active_requests() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server->Stop();
  handler.ClearPools();
  watcher.Stop();
  record_shipper.Stop();
  outcome_uploader.Stop();
  LogInfo("stopped")
      .Kv("dropped_records", records.dropped())
      .Kv("spooled_bytes", static_cast<int64_t>(records.pending_bytes()));
  return 0;
}

}  // namespace
}  // namespace agentgate::edge

int main(int argc, char** argv) { return agentgate::edge::Main(argc, argv); }
