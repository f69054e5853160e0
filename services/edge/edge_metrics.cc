#include "services/edge/edge_metrics.h"

#include "services/common/client_name.h"
namespace agentgate::edge {

std::string_view OutcomeName(control::v1::OutcomeKind k) {
  switch (k) {
    case control::v1::OUTCOME_KIND_SUCCESS:
      return "success";
    case control::v1::OUTCOME_KIND_HTTP_ERROR:
      return "http_error";
    case control::v1::OUTCOME_KIND_CONNECT_ERROR:
      return "connect_error";
    case control::v1::OUTCOME_KIND_TIMEOUT:
      return "timeout";
    case control::v1::OUTCOME_KIND_STREAM_CUT:
      return "stream_cut";
    default:
      return "other";
  }
}

std::string_view ClientLabel(admin::v1::ClientProtocol p) { return ClientShortName(p); }

EdgeMetrics::EdgeMetrics()
    : requests_(registry_.AddCounter("agentgate_requests_total",
                                     "Requests answered, by client protocol, provider (none: no "
                                     "provider was reached) and HTTP status sent to the client",
                                     {"client", "provider", "status"})),
      duration_(registry_.AddHistogram("agentgate_request_duration_seconds",
                                       "Time from the request's header to its last byte",
                                       {"client", "stream"})),
      ttfb_(registry_.AddHistogram("agentgate_time_to_first_byte_seconds",
                                   "Time from the request's header to the first byte sent back",
                                   {"client", "stream"})),
      tokens_(registry_.AddCounter(
          "agentgate_tokens_total",
          "Tokens by provider, model sent and kind (input includes cached and cache_write)",
          {"provider", "model", "kind"})),
      cost_(registry_.AddCounter("agentgate_cost_usd_total",
                                 "Cost of priced requests in US dollars, by provider and model",
                                 {"provider", "model"})),
      unpriced_(registry_.AddCounter("agentgate_unpriced_requests_total",
                                     "Requests with usage whose model has no price",
                                     {"provider", "model"})),
      attempts_(registry_.AddCounter("agentgate_upstream_attempts_total",
                                     "Requests sent to providers, by how they ended",
                                     {"provider", "outcome"})),
      failovers_(registry_.AddCounter("agentgate_failovers_total",
                                      "Requests that left this provider for the next in the chain",
                                      {"provider"})),
      open_streams_(
          registry_.AddGauge("agentgate_open_streams", "Streamed responses being sent now")
              .With({})) {}

void EdgeMetrics::Request(const admin::v1::RequestLog& rec) {
  const std::string client(ClientLabel(rec.client_protocol()));
  const std::string provider = rec.provider().empty() ? "none" : rec.provider();
  const std::string stream = rec.stream() ? "true" : "false";
  requests_.With({client, provider, std::to_string(rec.status())}).Add();
  duration_.With({client, stream}).Observe(static_cast<double>(rec.latency_ms()) / 1000);
  if (rec.ttfb_ms() >= 0) {
    ttfb_.With({client, stream}).Observe(static_cast<double>(rec.ttfb_ms()) / 1000);
  }
  if (rec.input_tokens() > 0 || rec.output_tokens() > 0) {
    const std::string& model = rec.model_sent().empty() ? rec.model_requested() : rec.model_sent();
    const std::pair<const char*, int64_t> kinds[] = {{"input", rec.input_tokens()},
                                                     {"output", rec.output_tokens()},
                                                     {"cached", rec.cached_tokens()},
                                                     {"cache_write", rec.cache_write_tokens()},
                                                     {"reasoning", rec.reasoning_tokens()}};
    for (const auto& [kind, n] : kinds) {
      if (n > 0) tokens_.With({provider, model, kind}).Add(static_cast<double>(n));
    }
    if (rec.has_cost_usd()) {
      cost_.With({provider, model}).Add(rec.cost_usd());
    } else {
      unpriced_.With({provider, model}).Add();
    }
  }
}

void EdgeMetrics::Attempt(const std::string& provider, control::v1::OutcomeKind kind) {
  attempts_.With({provider, std::string(OutcomeName(kind))}).Add();
}

void EdgeMetrics::Failover(const std::string& provider) { failovers_.With({provider}).Add(); }

}  // namespace agentgate::edge
