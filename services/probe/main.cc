// agentgate-probe: talks to providers outside the request path. The router asks it to test a
// provider (config, gateway, a real request, vision, prompt cache) and to list its models.
#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/service_main.h"
#include "services/probe/probe_service.h"

int main(int argc, char** argv) {
  using namespace agentgate;
  BlockShutdownSignals();
  ServiceOptions opts;
  Flags* flags = nullptr;
  if (auto code = ParseServiceFlags("agentgate-probe", "AgentGate provider probing", 9092,
                                    "AGENTGATE_PROBE_PORT", {}, argc, argv, &opts, &flags)) {
    return *code;
  }
  // Its callers (the router, the edges) present the service credential.
  TokenFile token(opts.home + "/service.token", "AGENTGATE_SERVICE_TOKEN");
  probe::ProbeServiceImpl service(token, MakeServiceInfo("probe", "", NowMs()));
  return ServeUntilSignal("agentgate-probe", opts, {&service},
                          [&](const std::string& address) { service.SetAddress(address); });
}
