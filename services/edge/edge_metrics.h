// The edge's Prometheus metrics, served at GET /metrics: requests by client protocol, provider
// and status; latency and time-to-first-byte histograms; tokens; cost; upstream attempts;
// failovers; open streams; and (registered by main) queue depths and drops.
//
// Updated once per finished request from its record, off the byte path. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/common/metrics.h"

namespace agentgate::edge {

class EdgeMetrics {
 public:
  EdgeMetrics();

  // A finished request, from its record.
  void Request(const admin::v1::RequestLog& rec);
  // One upstream attempt and how it ended.
  void Attempt(const std::string& provider, control::v1::OutcomeKind kind);
  // A request left `provider` for the next one in its chain.
  void Failover(const std::string& provider);
  // A streamed response began / ended.
  void StreamOpened() { open_streams_.Add(1); }
  void StreamClosed() { open_streams_.Add(-1); }

  metrics::Registry& registry() { return registry_; }
  std::string Render() const { return registry_.Render(); }

 private:
  metrics::Registry registry_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& duration_;
  metrics::Family<metrics::Histogram>& ttfb_;
  metrics::Family<metrics::Counter>& tokens_;
  metrics::Family<metrics::Counter>& cost_;
  metrics::Family<metrics::Counter>& unpriced_;
  metrics::Family<metrics::Counter>& attempts_;
  metrics::Family<metrics::Counter>& failovers_;
  metrics::Gauge& open_streams_;
};

// "success", "http_error", "connect_error", "timeout", "stream_cut" or "other": the outcome
// label of the attempts metric and of a request record's `tried` list.
std::string_view OutcomeName(control::v1::OutcomeKind k);

// "chat", "claude", "codex", "gemini" or "other".
std::string_view ClientLabel(admin::v1::ClientProtocol p);

}  // namespace agentgate::edge
