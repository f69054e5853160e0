// agentgate-stats: stores request records in stats.db and answers log queries.
#include <sys/stat.h>

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/service_main.h"
#include "services/common/strings.h"
#include "services/net/metrics_endpoint.h"
#include "services/stats/stats_service.h"

int main(int argc, char** argv) {
  using namespace agentgate;
  BlockShutdownSignals();
  ServiceOptions opts;
  Flags* flags = nullptr;
  if (auto code = ParseServiceFlags("agentgate-stats", "AgentGate request logs, tokens and cost",
                                    9093, "AGENTGATE_STATS_PORT", {}, argc, argv, &opts, &flags)) {
    return *code;
  }
  auto store = stats::StatsStore::Open(opts.home + "/stats.db");
  if (!store.ok()) {
    LogError("cannot open stats.db").Kv("error", Message(store.status()));
    return 1;
  }
  TokenFile token(opts.home + "/token");
  stats::StatsServiceImpl service(**store, token, MakeServiceInfo("stats", "", NowMs()));

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
