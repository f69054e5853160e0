// The edge's request handling: authentication, the endpoints, and Chat Completions
// pass-through to the providers of the current snapshot, streaming answers back event by event.
//
// All work for a request runs on the worker thread that owns its client connection, and uses
// that worker's upstream pool. Records (to stats), outcomes and live events (to the router) are
// pushed to bounded queues and never block a request.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/edge/affinity.h"
#include "services/edge/bounded_queue.h"
#include "services/edge/config_watcher.h"
#include "services/edge/edge_metrics.h"
#include "services/edge/endpoints.h"
#include "services/edge/forwarder.h"
#include "services/edge/ingress.h"
#include "services/edge/live_events.h"
#include "services/edge/record.h"
#include "services/edge/response_adapter.h"
#include "services/edge/response_store.h"
#include "services/edge/signature_store.h"
#include "services/edge/spliced_body.h"
#include "services/edge/upstream_relay.h"
#include "services/net/http_server.h"
#include "services/net/upstream.h"
#include "services/protocol/client_codecs.h"
#include "services/protocol/openai_chat.h"
#include "services/routing/health.h"
#include "services/routing/planner.h"

namespace agentgate::edge {

namespace http = boost::beast::http;

using OutcomeQueue = BoundedQueue<control::v1::Outcome>;

class EdgeHandler final : public net::RequestHandler {
 public:
  // `keepalive`: the longest silence a streaming client sees while the provider thinks
  // (0: none).
  // `events`: REQUEST_STARTED / REQUEST_FINISHED of every authenticated request.
  EdgeHandler(std::string edge_id, ConfigWatcher& watcher, RecordSink& records,
              OutcomeQueue& outcomes, EventQueue& events, EdgeMetrics& metrics,
              std::chrono::milliseconds keepalive = std::chrono::milliseconds(15000),
              routing::RetryPolicy retry = {}, routing::HealthPolicy health = {},
              IngressPolicy ingress = {});

  // Where the client key comes from while there is no snapshot (the token file), for /metrics.
  // REQUIRES: before server.Start().
  void set_token_fallback(std::function<std::string()> f) { token_fallback_ = std::move(f); }
  // Creates one upstream pool per worker of `server`. REQUIRES: before server.Start().
  void InitPools(net::HttpServer& server);
  // Drops the pools' idle connections. REQUIRES: after server.Stop().
  void ClearPools();

  // The ingress stage, on the header before the body is read: Host, Origin, then the client
  // key (except for /health, GET /, and /metrics when public). A refusal is recorded (path
  // bounded) and answered in the client's protocol.
  std::optional<net::Refusal> Admit(const http::request<http::string_body>& head) override;
  net::asio::awaitable<void> Handle(net::IncomingRequest& req, net::ResponseWriter& w) override;
  std::pair<std::string, std::string> ErrorBody(int status, std::string_view message,
                                                std::string_view target) override;

  int64_t active_requests() const { return active_requests_.load(); }

 private:
  // One client request on its way to a provider, whatever the protocols.
  struct Exchange {
    admin::v1::ClientProtocol client = admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
    routing::Protocol api = routing::Protocol::kOpenAiChat;  // the client's protocol
    bool stream = false;
    std::string model;
    std::string route;              // x-agentgate-route: a profile by name ("" = default)
    routing::RequestTraits traits;  // for rules and vision (model only when none needs more)
    // The body for a candidate reached in the client's own protocol.
    std::function<protocol::json::Spliced(const routing::Candidate&)> pass_through_body;
    // For candidates reached by conversion: the client's codec, the request in the
    // intermediate model (decoded up front, or on the first such candidate) and the encoder of
    // the answer (made with it).
    const protocol::ClientCodec* codec = nullptr;
    std::optional<ir::Request> ir;
    std::unique_ptr<protocol::ClientEncoder> encoder;
    // Mid-stream failover (the route's choice, for a stream): every attempt writes into one
    // client stream, and streams of the client's own protocol are converted too (but Responses,
    // which has no provider encoder) so the gateway knows where an answer stood when it is cut.
    bool midstream = false;
    std::unique_ptr<protocol::SplicedStream> splice;  // made with the encoder
    // Whose request it is (the client credential): the thought signatures kept for it.
    std::string scope;
    // Responses: the stored response this turn continues, and how many messages of ex.ir are
    // its history (put in front of the turn's own input).
    std::shared_ptr<const StoredResponse> previous;
    size_t history_messages = 0;
    // Session affinity: the conversation (affinity.h) and the key of the last attempt.
    std::string conversation;
    int last_key = -1;
    // The request's live events: REQUEST_STARTED goes out once the model is known.
    RequestEvents* live = nullptr;
  };

  // Chat, Messages and Responses, whose body names the model: the body checked by the codec's
  // `inspect`, passed through with the model spliced, or decoded and converted.
  net::asio::awaitable<void> HandleJson(net::IncomingRequest& req, net::ResponseWriter& w,
                                        const routing::Snapshot& snap, admin::v1::RequestLog& rec,
                                        RequestEvents& live, admin::v1::ClientProtocol client);
  // /v1beta/models/{model}:{generateContent|streamGenerateContent|countTokens}
  net::asio::awaitable<void> HandleGemini(net::IncomingRequest& req, net::ResponseWriter& w,
                                          const routing::Snapshot& snap, admin::v1::RequestLog& rec,
                                          std::string_view path, RequestEvents& live);
  net::asio::awaitable<void> HandleCountTokens(net::IncomingRequest& req, net::ResponseWriter& w,
                                               const routing::Snapshot& snap,
                                               admin::v1::RequestLog& rec);
  // Tries the plan's candidates in order until one answers (or all failed before a byte).
  net::asio::awaitable<void> Forward(net::IncomingRequest& req, net::ResponseWriter& w,
                                     const routing::Snapshot& snap, admin::v1::RequestLog& rec,
                                     Exchange& ex);
  net::asio::awaitable<void> SendError(net::ResponseWriter& w, admin::v1::ClientProtocol proto,
                                       int status, std::string_view message,
                                       std::string_view code = {}, int64_t retry_after_ms = 0);
  // Whether the request carries the client key of `snap` (or, before any snapshot, of the token
  // file, for /metrics only).
  bool KeyAccepted(const http::fields& headers, std::string_view query,
                   const routing::Snapshot* snap, EndpointKind kind);
  // A request's record as it starts: time, bounded path, edge, id, client protocol.
  admin::v1::RequestLog NewRecord(std::string_view path, admin::v1::ClientProtocol protocol);
  // Adds one attempt to the record's failover path (rec.tried).
  // The attempt stage (attempt.cc). Whether a candidate of the client's own protocol passes
  // through (else it is converted).
  static bool Passes(const Exchange& ex, const routing::Candidate& c);
  // The request in the intermediate model and the answer's encoder, made once; a Responses turn
  // that continues a stored response gets its earlier turns in front (an unknown one: refused).
  absl::Status Convertible(net::IncomingRequest& req, Exchange& ex);
  // One try at `cand` with key `key`: the provider asked in `up_stream` mode, passed through
  // (`pass`) or converted; `may_switch`: a provider that refuses that mode is reported, not
  // relayed.
  net::asio::awaitable<Attempt> TryCandidate(net::IncomingRequest& req, net::ResponseWriter& w,
                                             admin::v1::RequestLog& rec, Exchange& ex,
                                             const routing::Candidate& cand, int key,
                                             const MoveOnFn& can_move_on, bool up_stream, bool pass,
                                             bool may_switch);
  // The request line and headers for one candidate, in the protocol it is reached with. The
  // client's own credentials are never copied; the provider's key goes where that protocol
  // expects it.
  static UpstreamMessage UpstreamRequest(const routing::Candidate& cand, bool stream,
                                         const http::request<http::string_body>& client,
                                         int key_index);
  // Keeps a Responses answer by conversion, for previous_response_id and GET (response_store.h).
  void StoreResponse(const Exchange& ex, protocol::ir::Response answer);
  // `account`: the official account whose key it was (nullptr: an API key).
  void AddTried(admin::v1::RequestLog& rec, const std::string& provider, const Attempt& a, int key,
                bool continued, const std::string* account = nullptr);
  // Reports one attempt at `p` with key `key` to the router (its health and the live events;
  // an official account's quota).
  void ReportOutcome(admin::v1::RequestLog& rec, const routing::ProviderEntry& p, const Attempt& a,
                     int key);

  const std::string edge_id_;
  const IngressPolicy ingress_;
  std::function<std::string()> token_fallback_;
  ConfigWatcher& watcher_;
  RecordSink& records_;
  OutcomeQueue& outcomes_;
  EventQueue& events_;
  EdgeMetrics& metrics_;
  UpstreamRelay relay_;
  IdSource ids_;
  SignatureStore signatures_;
  Affinity affinity_;
  ResponseStore responses_;
  // Ids and time for the answers the client codecs write.
  const protocol::EncoderEnv encoder_env_{
      [this](std::string_view prefix) { return ids_.Next(prefix); }, [] { return NowMs() / 1000; }};
  std::shared_ptr<net::asio::ssl::context> tls_;
  std::vector<std::unique_ptr<net::UpstreamPool>> pools_;  // one per worker
  std::atomic<int64_t> active_requests_{0};
  Forwarder forwarder_;
};

}  // namespace agentgate::edge
