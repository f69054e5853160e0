#include "services/edge/live_events.h"

#include <chrono>
#include <vector>

#include "services/common/client_name.h"
#include "services/common/clock.h"
#include "services/common/grpc_util.h"

namespace agentgate::edge {
namespace {

admin::v1::Event RequestEvent(admin::v1::EventKind kind, const admin::v1::RequestLog& rec,
                              int64_t at_ms) {
  admin::v1::Event e;
  e.set_kind(kind);
  e.set_at_ms(at_ms);
  e.set_request_id(rec.request_id());
  e.set_client(std::string(ClientShortName(rec.client_protocol())));
  e.set_model(rec.model_requested());
  e.set_edge_id(rec.edge_id());
  return e;
}

}  // namespace

admin::v1::Event StartedEvent(const admin::v1::RequestLog& rec) {
  return RequestEvent(admin::v1::EVENT_KIND_REQUEST_STARTED, rec, rec.started_at_ms());
}

admin::v1::Event FinishedEvent(const admin::v1::RequestLog& rec, int64_t now_ms) {
  admin::v1::Event e = RequestEvent(admin::v1::EVENT_KIND_REQUEST_FINISHED, rec, now_ms);
  e.set_provider(rec.provider());
  e.set_status(rec.status());
  e.set_error(ShortText(rec.error()));
  e.set_latency_ms(rec.latency_ms());
  e.set_input_tokens(rec.input_tokens());
  e.set_output_tokens(rec.output_tokens());
  if (rec.has_cost_usd()) e.set_cost_usd(rec.cost_usd());
  return e;
}

void RequestEvents::Started(const admin::v1::RequestLog& rec) {
  if (queue_ == nullptr || started_) return;
  started_ = true;
  queue_->Push(StartedEvent(rec));
}

void RequestEvents::Finished(const admin::v1::RequestLog& rec) {
  if (queue_ == nullptr) return;
  Started(rec);
  queue_->Push(FinishedEvent(rec, NowMs()));
}

int64_t DrainEvents(EventQueue& queue, size_t max, int64_t now_ms,
                    control::v1::OutcomeBatch* batch) {
  if (queue.size() == 0) return 0;
  std::vector<admin::v1::Event> events = queue.PopBatch(max, std::chrono::milliseconds(0));
  int64_t stale = 0;
  for (auto& e : events) {
    if (now_ms - e.at_ms() > kEventMaxAgeMs) {
      ++stale;
      continue;
    }
    *batch->add_events() = std::move(e);
  }
  return stale;
}

}  // namespace agentgate::edge
