#include "services/router/control_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/router/account_news.h"

namespace agentgate::router {

grpc::Status ControlServiceImpl::WatchConfig(
    grpc::ServerContext* ctx, const control::v1::WatchConfigRequest* req,
    grpc::ServerWriter<control::v1::ConfigSnapshot>* writer) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  LogInfo("edge watching").Kv("edge", req->edge_id()).Kv("known_version", req->known_version());
  uint64_t sent = 0;  // always send the current snapshot first
  while (!ctx->IsCancelled() && !hub_.shutting_down()) {
    auto snap = hub_.WaitNewer(sent, std::chrono::milliseconds(500));
    if (!snap) continue;
    if (!writer->Write(*snap)) break;
    sent = snap->version();
  }
  LogInfo("edge stopped watching").Kv("edge", req->edge_id());
  return grpc::Status::OK;
}

grpc::Status ControlServiceImpl::ReportOutcomes(
    grpc::ServerContext* ctx, grpc::ServerReader<control::v1::OutcomeBatch>* reader,
    control::v1::ReportOutcomesResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  control::v1::OutcomeBatch batch;
  std::vector<std::string> edge_ids;  // the edges whose events came on this stream
  while (reader->Read(&batch)) {
    if (batch.has_heartbeat()) hub_.RecordHeartbeat(batch.heartbeat());
    // Request events first, in their order; then the health changes the outcomes make, which
    // come after the request that caused them.
    for (const auto& e : batch.events()) {
      if (!e.edge_id().empty() &&
          std::find(edge_ids.begin(), edge_ids.end(), e.edge_id()) == edge_ids.end()) {
        edge_ids.push_back(e.edge_id());
      }
    }
    events_.AddEdgeEvents(batch.events());
    events_.EdgesAlive(edge_ids);
    bool changed = false;
    int64_t now = NowMs();
    for (const auto& o : batch.outcomes()) {
      // An official account's answer: what it said of the account's quota; a spent window
      // (429 usage_limit_reached) rests the account until the reset the edge read from it.
      if (!o.account().empty() && o.has_quota()) {
        const int64_t at = o.at_ms() > 0 ? o.at_ms() : now;
        const int64_t cooling =
            o.status() == 429 && o.retry_after_ms() > 0 ? at + o.retry_after_ms() : 0;
        auto changed = store_.RecordAccountQuota(o.account(), o.quota(), cooling);
        if (!changed.ok() && !absl::IsNotFound(changed.status())) {
          LogWarn("cannot record an account's quota").Kv("error", Message(changed.status()));
        }
        if (changed.ok() && *changed) {
          LogInfo("account standing changed").Kv("account", o.account());
          if (auto st = hub_.Rebuild(); !st.ok()) {
            LogWarn("cannot publish an account's standing").Kv("error", Message(st));
          }
          PublishAccountNews(store_, events_, o.account(), now);
        }
      }
      if (health_.Record(o, now)) {
        changed = true;
        health_events_.Check(o.provider(), &o);
      }
      if (o.kind() != control::v1::OUTCOME_KIND_SUCCESS) {
        LogInfo("provider attempt failed")
            .Kv("provider", o.provider())
            .Kv("request_id", o.request_id())
            .Kv("kind", control::v1::OutcomeKind_Name(o.kind()))
            .Kv("status", o.status())
            .Kv("retry_after_ms", o.retry_after_ms())
            .Kv("key_index", o.key_index());
      }
    }
    if (changed) hub_.HealthChanged();
  }
  return grpc::Status::OK;
}

}  // namespace agentgate::router
