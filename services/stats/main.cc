// agentgate-stats: stores request records in stats.db and answers log queries.
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/service_main.h"
#include "services/common/strings.h"
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
  return ServeUntilSignal("agentgate-stats", opts, {&service},
                          [&](const std::string& address) { service.SetAddress(address); });
}
