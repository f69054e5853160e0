// agentgate-stats: stores request records in stats.db and answers log queries.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/service_main.h"
#include "services/common/strings.h"
#include "services/net/metrics_endpoint.h"
#include "services/stats/stats_service.h"

int main(int argc, char** argv) {
  using namespace agentgate;
  using stats::RetentionPolicy;
  BlockShutdownSignals();
  ServiceOptions opts;
  Flags* flags = nullptr;
  if (auto code =
          ParseServiceFlags("agentgate-stats", "AgentGate request logs, tokens and cost", 9093,
                            "AGENTGATE_STATS_PORT",
                            {{"retention-days", "N",
                              "delete request records older than N days, every hour (env "
                              "AGENTGATE_RETENTION_DAYS, default 90; 0 keeps them forever)"},
                             {"max-db-mb", "N",
                              "keep stats.db under N MiB by deleting the oldest records (env "
                              "AGENTGATE_STATS_MAX_MB, default 0: no cap)"}},
                            argc, argv, &opts, &flags)) {
    return *code;
  }
  RetentionPolicy policy;
  {
    std::string v = flags->Get("retention-days", "AGENTGATE_RETENTION_DAYS", "90");
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 0 || n > 100000) {
      std::fprintf(stderr, "agentgate-stats: --retention-days needs a number of days, got '%s'\n",
                   v.c_str());
      return 2;
    }
    policy.retention_days = static_cast<int>(n);
  }
  {
    std::string v = flags->Get("max-db-mb", "AGENTGATE_STATS_MAX_MB", "0");
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 0) {
      std::fprintf(stderr, "agentgate-stats: --max-db-mb needs a number, got '%s'\n", v.c_str());
      return 2;
    }
    policy.max_bytes = static_cast<int64_t>(n) * 1024 * 1024;
  }
  auto store = stats::StatsStore::Open(opts.home + "/stats.db");
  if (!store.ok()) {
    LogError("cannot open stats.db").Kv("error", Message(store.status()));
    return 1;
  }
  // Its callers (the router, the edges) present the service credential.
  TokenFile token(opts.home + "/service.token", "AGENTGATE_SERVICE_TOKEN");
  stats::Pruner pruner(**store, policy, [] { return NowMs(); });
  pruner.Start();
  stats::StatsServiceImpl service(**store, token, MakeServiceInfo("stats", "", NowMs()), pruner);

  // Prometheus metrics (--metrics-port).
  metrics::Registry reg;
  const int64_t started_at = NowMs();
  reg.AddCallbackCounter("agentgate_stats_records_ingested_total",
                         "Request records stored since start",
                         [&] { return static_cast<double>(service.stored()); });
  reg.AddCallbackCounter("agentgate_stats_batches_total", "Record batches received since start",
                         [&] { return static_cast<double>(service.batches()); });
  reg.AddCallbackGauge("agentgate_stats_records", "Request records in stats.db", [&] {
    auto n = (*store)->Count();
    return n.ok() ? static_cast<double>(*n) : -1;
  });
  reg.AddCallbackGauge("agentgate_stats_db_bytes", "Size of stats.db and its WAL", [&] {
    double total = 0;
    for (const char* suffix : {"", "-wal"}) {
      struct stat st {};
      if (::stat((opts.home + "/stats.db" + suffix).c_str(), &st) == 0) total += st.st_size;
    }
    return total;
  });
  reg.AddCallbackGauge("agentgate_stats_start_time_seconds", "When the stats service started",
                       [&] { return static_cast<double>(started_at) / 1000; });
  auto endpoint = net::StartMetricsEndpoint(opts, [&] { return reg.Render(); });
  if (!endpoint.ok()) {
    LogError("cannot serve metrics").Kv("error", Message(endpoint.status()));
    return 1;
  }
  return ServeUntilSignal("agentgate-stats", opts, {&service},
                          [&](const std::string& address) { service.SetAddress(address); });
}
