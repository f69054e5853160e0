// ControlService (router side): WatchConfig streams snapshots to edges; ReportOutcomes takes
// their outcome batches and heartbeats, folding the outcomes into provider health (announcing
// availability changes as PROVIDER_HEALTH events) and handing the batches' request events to the
// EventHub. Sync API: each
// watching edge holds one server thread, which waits on the hub and checks for cancellation twice a
// second.
#pragma once

#include "agentgate/control/v1/control.grpc.pb.h"
#include "services/router/event_hub.h"
#include "services/router/health_events.h"
#include "services/router/health_state.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"

namespace agentgate::router {

class ControlServiceImpl final : public control::v1::ControlService::Service {
 public:
  ControlServiceImpl(SnapshotHub& hub, LocalToken& token, HealthState& health, EventHub& events,
                     HealthEvents& health_events, ConfigStore& store)
      : hub_(hub),
        token_(token),
        health_(health),
        events_(events),
        health_events_(health_events),
        store_(store) {}

  grpc::Status WatchConfig(grpc::ServerContext* ctx, const control::v1::WatchConfigRequest* req,
                           grpc::ServerWriter<control::v1::ConfigSnapshot>* writer) override;
  grpc::Status ReportOutcomes(grpc::ServerContext* ctx,
                              grpc::ServerReader<control::v1::OutcomeBatch>* reader,
                              control::v1::ReportOutcomesResponse* resp) override;

 private:
  SnapshotHub& hub_;
  LocalToken& token_;
  HealthState& health_;
  EventHub& events_;
  HealthEvents& health_events_;
  ConfigStore& store_;  // official accounts' quota
};

}  // namespace agentgate::router
