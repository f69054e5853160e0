#include "services/edge/edge_handler.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <random>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/edge/endpoints.h"
#include "services/edge/forwarder.h"
#include "services/edge/record.h"
#include "services/net/target.h"
#include "services/protocol/json_util.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/model_name.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/traits.h"
#include "services/routing/endpoints.h"
#include "services/snapshot/quota_convert.h"
#include "services/snapshot/snapshot_convert.h"

namespace agentgate::edge {
namespace {

namespace asio = net::asio;
namespace beast = net::beast;
using net::kUse;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kJson = "application/json";

int64_t MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

// GET /v1/models in OpenAI's shape, plus the context window and output limit of the models the
// provider rules know (as OpenRouter lists context_length): `agentgatectl client apply` writes
// them into the clients that compact by them (Codex, Claude Code, OpenCode, Kimi Code, Crush).
std::string OpenAiModelList(const routing::Snapshot& snap) {
  boost::json::array data;
  for (const auto& entry : routing::ListModels(snap)) {
    boost::json::object o;
    o["id"] = entry.id;
    o["object"] = "model";
    o["created"] = 0;
    o["owned_by"] = entry.provider;
    const protocol::ModelRules& rules = protocol::RulesFor(entry.upstream);
    if (rules.context_window > 0) o["context_window"] = rules.context_window;
    if (rules.max_output > 0) o["max_output_tokens"] = rules.max_output;
    data.push_back(std::move(o));
  }
  boost::json::object root;
  root["object"] = "list";
  root["data"] = std::move(data);
  return boost::json::serialize(root);
}

// GET /v1beta/models in Gemini's shape. (Outside the coroutine: GCC 12 miscompiles braced
// lists of string literals inside one.)
std::string GeminiModelList(const routing::Snapshot& snap) {
  boost::json::array models;
  for (const auto& entry : routing::ListModels(snap)) {
    boost::json::object m{
        {"name", "models/" + entry.id},
        {"displayName", entry.id},
        {"supportedGenerationMethods",
         boost::json::array{"generateContent", "streamGenerateContent", "countTokens"}}};
    const protocol::ModelRules& rules = protocol::RulesFor(entry.upstream);
    if (rules.context_window > 0) m["inputTokenLimit"] = rules.context_window;
    if (rules.max_output > 0) m["outputTokenLimit"] = rules.max_output;
    models.push_back(std::move(m));
  }
  return boost::json::serialize(boost::json::object{{"models", std::move(models)}});
}

// Whether any route rule or provider setting looks at more of a request than its model.
bool NeedsTraits(const routing::Snapshot& s) {
  for (const auto& r : s.routes) {
    if (!r.rules.empty()) return true;
  }
  for (const auto& p : s.providers) {
    if (p.vision == routing::Capability::kNo || !p.reasoning_model.empty()) return true;
  }
  return false;
}

routing::RequestTraits ModelOnly(std::string_view model) {
  routing::RequestTraits t;
  t.model = std::string(model);
  return t;
}

}  // namespace

EdgeHandler::EdgeHandler(std::string edge_id, ConfigWatcher& watcher, RecordSink& records,
                         OutcomeQueue& outcomes, EventQueue& events, EdgeMetrics& metrics,
                         std::chrono::milliseconds keepalive, routing::RetryPolicy retry,
                         routing::HealthPolicy health, IngressPolicy ingress)
    : edge_id_(std::move(edge_id)),
      ingress_(std::move(ingress)),
      watcher_(watcher),
      records_(records),
      outcomes_(outcomes),
      events_(events),
      metrics_(metrics),
      relay_(metrics, keepalive),
      tls_(net::MakeClientTlsContext()),
      forwarder_(retry, health) {}

void EdgeHandler::InitPools(net::HttpServer& server) {
  pools_.clear();
  for (size_t i = 0; i < server.workers(); ++i) {
    pools_.push_back(
        std::make_unique<net::UpstreamPool>(server.worker_context(i).get_executor(), tls_));
  }
}

void EdgeHandler::ClearPools() { pools_.clear(); }

std::pair<std::string, std::string> EdgeHandler::ErrorBody(int status, std::string_view message,
                                                           std::string_view target) {
  return {std::string(kJson),
          ErrorBodyFor(FindEndpoint(net::SplitTarget(target).first).protocol, status, message)};
}

bool EdgeHandler::KeyAccepted(const http::fields& headers, std::string_view query,
                              const routing::Snapshot* snap, EndpointKind kind) {
  std::string_view key = ClientCredential(headers, query);
  if (snap != nullptr) return ConstantTimeEquals(key, snap->local_token);
  // No configuration yet (router unreachable): metrics matter most now; the token file stands in
  // for the snapshot's copy.
  return kind == EndpointKind::kMetrics && token_fallback_ &&
         ConstantTimeEquals(key, token_fallback_());
}

admin::v1::RequestLog EdgeHandler::NewRecord(std::string_view path,
                                             admin::v1::ClientProtocol protocol) {
  admin::v1::RequestLog rec;
  rec.set_started_at_ms(NowMs());
  rec.set_path(BoundedText(path, kMaxRecordedPath));
  rec.set_edge_id(edge_id_);
  rec.set_request_id(ids_.Next("req_"));
  rec.set_client_protocol(protocol);
  return rec;
}

std::optional<net::Refusal> EdgeHandler::Admit(const http::request<http::string_body>& head) {
  auto [path, query] = net::SplitTarget(head.target());
  const Endpoint ep = FindEndpoint(path);
  if (ep.kind == EndpointKind::kHealth) return std::nullopt;
  IngressCheck check = CheckHost(ingress_, head, head.version());
  if (!check) check = CheckOrigin(ingress_, head);
  if (!check && ep.kind != EndpointKind::kRoot &&
      !(ep.kind == EndpointKind::kMetrics && ingress_.metrics_public)) {
    std::shared_ptr<const routing::Snapshot> snap = watcher_.Current();
    if (KeyAccepted(head, query, snap.get(), ep.kind)) {
      // admitted
    } else if (!snap) {
      check = {503,
               "the gateway has no configuration yet: the router is not reachable; retry "
               "shortly",
               ""};
    } else {
      check = {401,
               "invalid local token: send the AgentGate token (see `agentgatectl token`) as "
               "'Authorization: Bearer <token>' or 'x-api-key'",
               "invalid_api_key"};
    }
  }
  if (!check) check = CheckBodyEncoding(head);
  if (!check) return std::nullopt;
  net::Refusal r;
  r.status = check.status;
  r.content_type = std::string(kJson);
  r.body = ErrorBodyFor(ep.protocol, check.status, check.message, check.code);
  if (check.status == 503) r.headers.emplace_back("Retry-After", "1");
  {  // refused requests are recorded too, bounded
    admin::v1::RequestLog rec = NewRecord(path, ep.protocol);
    rec.set_status(check.status);
    rec.set_error(check.status == 401 ? "wrong or missing local token"
                                      : ShortText(check.message, 200));
    BoundRecord(&rec);
    metrics_.Request(rec);
    records_.Write(rec);
  }
  return r;
}

asio::awaitable<void> EdgeHandler::SendError(net::ResponseWriter& w,
                                             admin::v1::ClientProtocol proto, int status,
                                             std::string_view message, std::string_view code,
                                             int64_t retry_after_ms) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (retry_after_ms > 0) {
    headers.emplace_back("Retry-After", std::to_string((retry_after_ms + 999) / 1000));
  } else if (status == 503) {
    headers.emplace_back("Retry-After", "1");
  }
  co_await w.Send(status, kJson, ErrorBodyFor(proto, status, message, code), headers);
}

asio::awaitable<void> EdgeHandler::Handle(net::IncomingRequest& req, net::ResponseWriter& w) {
  struct Active {
    std::atomic<int64_t>& n;
    explicit Active(std::atomic<int64_t>& c) : n(c) { ++n; }
    ~Active() { --n; }
  } active(active_requests_);

  const auto& m = req.message;
  auto [path, query] = net::SplitTarget(m.target());
  const Endpoint ep = FindEndpoint(path);
  std::shared_ptr<const routing::Snapshot> snap = watcher_.Current();
  // Admit checked the token on the header; checked again here against the snapshot this
  // request uses (the token may have been rotated in between).
  const bool authenticated = snap != nullptr && KeyAccepted(m, query, snap.get(), ep.kind);

  switch (ep.kind) {
    case EndpointKind::kHealth: {
      boost::json::object o;
      o["status"] = snap ? "ok" : "waiting_for_config";
      o["version"] = AGENTGATE_VERSION;
      o["config_version"] = snap ? snap->version : 0;
      o["router_connected"] = watcher_.connected();
      co_await w.Send(snap ? 200 : 503, kJson, boost::json::serialize(o));
      co_return;
    }
    case EndpointKind::kMetrics:
      if (m.method() == http::verb::get &&
          (ingress_.metrics_public || KeyAccepted(m, query, snap.get(), ep.kind))) {
        co_await w.Send(200, metrics::kContentType, metrics_.Render());
        co_return;
      }
      break;
    case EndpointKind::kRoot:
      if (m.method() == http::verb::get || m.method() == http::verb::head) {
        co_await w.Send(200, "text/plain; charset=utf-8", "AgentGate edge\n");
        co_return;
      }
      break;
    default:
      break;
  }

  admin::v1::RequestLog rec = NewRecord(path, ep.protocol);
  rec.set_bytes_in(static_cast<int64_t>(req.bytes_in));
  const admin::v1::ClientProtocol proto = ep.protocol;
  const bool post = m.method() == http::verb::post;
  const bool get = m.method() == http::verb::get;
  // The record goes to the spool once, just before the last bytes of the answer go out, so a
  // client never holds an answer whose record a crash could still lose.
  bool recorded = false;
  RequestEvents* live_events = nullptr;
  auto finish = [&](uint64_t pending) {
    if (recorded) return;
    recorded = true;
    if (rec.status() == 0) rec.set_status(w.failed() && !w.started() ? 499 : w.status());
    rec.set_latency_ms(MsBetween(req.received_at, Clock::now()));
    rec.set_ttfb_ms(w.started() ? MsBetween(req.received_at, w.first_byte_at()) : -1);
    rec.set_bytes_out(static_cast<int64_t>(w.bytes_out() + pending));
    PriceRecord(snap.get(), &rec);
    BoundRecord(&rec);
    metrics_.Request(rec);
    if (live_events != nullptr) live_events->Finished(rec);
    records_.Write(rec);
  };
  w.set_before_last_write(finish);

  // Codex may try a WebSocket on /v1/responses first; 426 makes it fall back to HTTP.
  if (ep.kind == EndpointKind::kResponses && beast::iequals(m[http::field::upgrade], "websocket")) {
    recorded = true;  // a protocol probe, not a request
    co_await SendError(w, proto, 426,
                       "this gateway serves /v1/responses over HTTP (server-sent events), not "
                       "WebSocket");
    co_return;
  }

  // Live events only for requests past authentication: a wrong token is not worth a bubble.
  RequestEvents live(authenticated ? &events_ : nullptr);
  live_events = &live;
  if (!snap) {
    co_await SendError(w, proto, 503,
                       "the gateway has no configuration yet: the router is not reachable; "
                       "retry shortly");
  } else if (!authenticated) {
    rec.set_error("wrong or missing local token");
    co_await SendError(w, proto, 401,
                       "invalid local token: send the AgentGate token (see `agentgatectl token`) "
                       "as 'Authorization: Bearer <token>' or 'x-api-key'",
                       "invalid_api_key");
  } else {
    switch (ep.kind) {
      case EndpointKind::kModels:
        if (!get) break;
        recorded = true;
        co_await w.Send(200, kJson, OpenAiModelList(*snap));
        co_return;  // listing models is not a request worth a record
      case EndpointKind::kGeminiModels:
        if (!get) break;
        recorded = true;  // not a request worth a record either
        co_await w.Send(200, kJson, GeminiModelList(*snap));
        co_return;
      case EndpointKind::kChat:
      case EndpointKind::kMessages:
      case EndpointKind::kResponses:
        if (post) co_await HandleJson(req, w, *snap, rec, live, ep.protocol);
        break;
      case EndpointKind::kCountTokens:
        if (post) co_await HandleCountTokens(req, w, *snap, rec);
        break;
      case EndpointKind::kResponseById: {
        // The response store (response_store.h): what this edge answered by conversion.
        const bool del = m.method() == http::verb::delete_;
        if (!get && !del) break;
        recorded = true;  // a lookup, not a request worth a record
        const std::string id(ResponseIdOf(path));
        const std::string scope(ClientCredential(m, query));
        if (del && responses_.Delete(scope, id)) {
          boost::json::object o{{"id", id}, {"object", "response"}, {"deleted", true}};
          co_await w.Send(200, kJson, boost::json::serialize(o));
          co_return;
        }
        if (auto stored = get ? responses_.Get(scope, id, NowMs()) : nullptr) {
          co_await w.Send(200, kJson, stored->body);
          co_return;
        }
        co_await SendError(w, proto, 404,
                           "Response with id '" + std::string(ShortText(id, 100)) +
                               "' not found. (The gateway keeps the responses it answered by "
                               "conversion, for 24 hours; a provider reached by pass-through "
                               "keeps its own.)");
        co_return;
      }
      case EndpointKind::kGemini:
        if (post) co_await HandleGemini(req, w, *snap, rec, path, live);
        break;
      default:
        break;
    }
    if (!w.started()) {
      if (ep.kind == EndpointKind::kUnknown || ep.kind == EndpointKind::kHealth ||
          ep.kind == EndpointKind::kRoot) {
        co_await SendError(w, proto, 404, "unknown endpoint " + ShortText(path, 200));
      } else {
        co_await SendError(w, proto, 405, "method not allowed on " + ShortText(path, 200));
      }
    }
  }

  finish(0);  // when no last write ran it (nothing, or not all, could be sent)
}

asio::awaitable<void> EdgeHandler::HandleJson(net::IncomingRequest& req, net::ResponseWriter& w,
                                              const routing::Snapshot& snap,
                                              admin::v1::RequestLog& rec, RequestEvents& live,
                                              admin::v1::ClientProtocol client) {
  Exchange ex;
  ex.live = &live;
  ex.scope =
      std::string(ClientCredential(req.message, net::SplitTarget(req.message.target()).second));
  ex.client = client;
  ex.api = ClientProtocolFromProto(client);
  ex.codec = &protocol::ClientCodecFor(ex.api);
  // Checked at the top level only: a request that passes through is the provider's to judge,
  // with only its model spliced; the intermediate model is built when a candidate needs
  // conversion.
  auto top = ex.codec->inspect(req.message.body());
  if (!top.ok()) {
    rec.set_error(Message(top.status()));
    co_await SendError(w, rec.client_protocol(), 400, Message(top.status()));
    co_return;
  }
  ex.stream = top->stream;
  ex.model = top->model;
  ex.traits = NeedsTraits(snap) ? protocol::ReadTraits(ex.api, top->body, top->members)
                                : ModelOnly(top->model);
  ex.pass_through_body = [&top](const routing::Candidate& c) {
    return protocol::SpliceModel(*top, c.upstream_model);
  };
  const protocol::ConversationPrefix prefix =
      protocol::ReadConversationPrefix(top->body, top->members);
  ex.conversation = ConversationKey(ex.scope, req.message, prefix.system, prefix.start);
  co_await Forward(req, w, snap, rec, ex);
}

asio::awaitable<void> EdgeHandler::HandleGemini(net::IncomingRequest& req, net::ResponseWriter& w,
                                                const routing::Snapshot& snap,
                                                admin::v1::RequestLog& rec, std::string_view path,
                                                RequestEvents& live) {
  std::string_view rest = path.substr(kGeminiModelsPath.size());
  size_t colon = rest.rfind(':');
  if (rest.size() < 2 || rest[0] != '/' || colon == std::string_view::npos || colon < 2) {
    co_await SendError(w, rec.client_protocol(), 404, "unknown endpoint " + std::string(path));
    co_return;
  }
  std::string model;
  if (!protocol::PercentDecode(rest.substr(1, colon - 1), &model)) {
    rec.set_error("malformed percent-escape in the model name of the path");
    co_await SendError(w, rec.client_protocol(), 400,
                       "model: the model name in the path has a malformed %-escape");
    co_return;
  }
  std::string_view method = rest.substr(colon + 1);
  if (method != "generateContent" && method != "streamGenerateContent" && method != "countTokens") {
    co_await SendError(w, rec.client_protocol(), 404, "unknown method " + std::string(method));
    co_return;
  }
  const protocol::ClientCodec& codec = protocol::ClientCodecFor(routing::Protocol::kGemini);
  auto ir_req = codec.decode(req.message.body(), model);
  if (!ir_req.ok()) {
    rec.set_error(Message(ir_req.status()));
    co_await SendError(w, rec.client_protocol(), 400, Message(ir_req.status()));
    co_return;
  }
  if (method == "countTokens") {
    rec.set_model_requested(model);
    boost::json::object o{{"totalTokens", protocol::ir::EstimateInputTokens(*ir_req)}};
    co_await w.Send(200, kJson, boost::json::serialize(o));
    co_return;
  }
  ir_req->stream = method == "streamGenerateContent";
  Exchange ex;
  ex.scope =
      std::string(ClientCredential(req.message, net::SplitTarget(req.message.target()).second));
  auto members = protocol::json::TopLevelMembers(req.message.body());
  ex.traits =
      members && NeedsTraits(snap)
          ? protocol::ReadTraits(routing::Protocol::kGemini, req.message.body(), *members, model)
          : ModelOnly(model);
  if (members) {
    const protocol::ConversationPrefix prefix =
        protocol::ReadConversationPrefix(req.message.body(), *members);
    ex.conversation = ConversationKey(ex.scope, req.message, prefix.system, prefix.start);
  }
  ex.client = admin::v1::CLIENT_PROTOCOL_GEMINI;
  ex.api = routing::Protocol::kGemini;
  ex.live = &live;
  ex.stream = ir_req->stream;
  ex.model = model;
  // Gemini names the model in the URL: the body passes as it is.
  ex.pass_through_body = [&req](const routing::Candidate&) {
    return protocol::json::Spliced::Of(req.message.body());
  };
  ex.codec = &codec;
  ex.ir = *std::move(ir_req);
  co_await Forward(req, w, snap, rec, ex);
}

asio::awaitable<void> EdgeHandler::HandleCountTokens(net::IncomingRequest& req,
                                                     net::ResponseWriter& w,
                                                     const routing::Snapshot& snap,
                                                     admin::v1::RequestLog& rec) {
  auto ir_req = protocol::DecodeMessagesRequest(req.message.body(), /*for_count_tokens=*/true);
  if (!ir_req.ok()) {
    rec.set_error(Message(ir_req.status()));
    co_await SendError(w, rec.client_protocol(), 400, Message(ir_req.status()));
    co_return;
  }
  rec.set_model_requested(ir_req->model);
  // The provider that would serve the request counts exactly when it speaks Messages; a
  // provider without the endpoint, or one that fails, leaves the local estimate.
  std::vector<routing::Candidate> plan =
      routing::PlanRoute(snap, routing::Protocol::kAnthropicMessages, ir_req->model);
  if (!plan.empty() && plan[0].api == routing::Protocol::kAnthropicMessages) {
    const routing::Candidate& cand = plan[0];
    UpstreamMessage up =
        UpstreamRequest(cand, false, req.message, forwarder_.PickKey(*cand.provider));
    up.target(std::string(up.target()) + "/count_tokens");
    up.body().middle = protocol::json::ReplaceModel(req.message.body(), cand.upstream_model);
    up.prepare_payload();
    auto answer = co_await relay_.Fetch(*pools_[req.worker], cand, up);
    if (answer && answer->first == 200) {
      auto v = protocol::json::Parse(answer->second);
      if (v && protocol::json::Int(*v, "input_tokens")) {
        rec.set_provider(cand.provider->name);
        rec.set_model_sent(cand.upstream_model);
        co_await w.Send(200, kJson, std::move(answer->second));
        co_return;
      }
    }
  }
  boost::json::object o{{"input_tokens", protocol::ir::EstimateInputTokens(*ir_req)}};
  co_await w.Send(200, kJson, boost::json::serialize(o));
}

asio::awaitable<void> EdgeHandler::Forward(net::IncomingRequest& req, net::ResponseWriter& w,
                                           const routing::Snapshot& snap,
                                           admin::v1::RequestLog& rec, Exchange& ex) {
  rec.set_model_requested(ex.model);
  rec.set_stream(ex.stream);
  if (ex.live != nullptr) ex.live->Started(rec);
  ex.route = std::string(req.message["x-agentgate-route"]);
  if (snap.budget.exceeded && snap.budget.mode == routing::Budget::Mode::kBlock) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "AgentGate's daily budget of $%.2f is spent ($%.2f today); requests are "
                  "refused until local midnight. Raise it with `agentgatectl budget set USD` "
                  "or switch to --mode notify.",
                  snap.budget.limit_usd, snap.budget.spent_usd);
    rec.set_error("daily budget spent");
    co_await SendError(w, ex.client, 402, text, "budget_exceeded");
    co_return;
  }
  forwarder_.SyncHealth(snap);
  routing::Plan plan = routing::PlanRequest(
      snap, ex.api, ex.route, ex.traits,
      [this](const routing::ProviderEntry& p) { return forwarder_.Unavailable(p.name); },
      /*explain=*/false);
  if (!plan.error.empty()) {
    rec.set_error(plan.error);
    co_await SendError(w, ex.client, 400, plan.error + " (x-agentgate-route)");
    co_return;
  }
  if (snap.budget.exceeded && snap.budget.mode == routing::Budget::Mode::kCheapest &&
      snap.prices != nullptr) {
    routing::CheapestFirst(plan.candidates, *snap.prices);
  }
  if (plan.candidates.empty()) {
    rec.set_error("no provider");
    co_await SendError(w, ex.client, 503,
                       "no enabled provider can serve this request: add one with "
                       "`agentgatectl provider add`");
    co_return;
  }
  ex.midstream = plan.midstream_failover && ex.stream;
  // Session affinity: the provider and key of the conversation's last answer first, when the
  // plan has it (it is healthy and the route allows it), no rule chose another and the budget
  // does not ask for the cheapest.
  const std::optional<Seat> seat = affinity_.Find(ex.conversation, NowMs());
  const bool cheapest =
      snap.budget.exceeded && snap.budget.mode == routing::Budget::Mode::kCheapest;
  if (seat && plan.rule.empty() && plan.mode == routing::RouteMode::kFailover && !cheapest) {
    auto it = std::find_if(plan.candidates.begin(), plan.candidates.end(),
                           [&](const routing::Candidate& c) {
                             return c.provider->name == seat->provider && !c.despite_health;
                           });
    if (it != plan.candidates.end()) std::rotate(plan.candidates.begin(), it, it + 1);
  }
  const auto deadline = req.received_at + std::chrono::milliseconds(forwarder_.retry().deadline_ms);
  Forwarder::Hooks hooks;
  hooks.preferred_key = [&seat](const routing::ProviderEntry& p) {
    return seat && p.name == seat->provider ? seat->key : -1;
  };
  hooks.request_id = rec.request_id();
  hooks.failover = [this](const std::string& provider) { metrics_.Failover(provider); };
  auto convertible = [&] { return Convertible(req, ex); };
  hooks.prepare = [&](const routing::Candidate& cand) -> absl::Status {
    return Passes(ex, cand) ? absl::OkStatus() : convertible();
  };
  auto once = [&](const routing::Candidate& cand, int key, const MoveOnFn& can_move_on,
                  bool up_stream, bool pass, bool may_switch) {
    return TryCandidate(req, w, rec, ex, cand, key, can_move_on, up_stream, pass, may_switch);
  };
  hooks.attempt = [&](const routing::Candidate& cand, int key,
                      const MoveOnFn& can_move_on) -> asio::awaitable<Attempt> {
    ex.last_key = key;
    Attempt a = co_await once(cand, key, can_move_on, ex.stream, Passes(ex, cand), true);
    // The provider serves only the other mode (DashScope's thinking models only stream; OpenAI
    // streams o3 only to verified organizations): asked again in that mode, converted, and the
    // client still gets the mode it asked for.
    if (a.stream_refusal != protocol::StreamRefusal::kNone && !a.sent &&
        cand.api != routing::Protocol::kOpenAiResponses && convertible().ok()) {
      LogInfo("the provider refuses this answer mode; asking in the other")
          .Kv("request_id", rec.request_id())
          .Kv("provider", cand.provider->name)
          .Kv("stream", !ex.stream);
      a = co_await once(cand, key, can_move_on, !ex.stream, false, false);
    }
    co_return a;
  };
  Forwarder::Result result = co_await forwarder_.Run(plan.candidates, deadline, hooks);
  if (result.sent && result.last.kind == control::v1::OUTCOME_KIND_SUCCESS &&
      !rec.provider().empty()) {
    affinity_.Remember(ex.conversation, Seat{rec.provider(), ex.last_key}, NowMs());
  }
  if (result.sent || result.last.client_gone) co_return;
  if (w.started()) {
    // A stream cut mid-answer that no attempt could continue: the client is told in-band.
    std::string fail;
    if (ex.splice) ex.splice->Fail("upstream failed: " + result.last.error, &fail);
    rec.set_status(502);
    rec.set_error(result.last.error);
    w.BeforeLastWrite(fail.size());
    if (!co_await w.WriteChunk(fail)) co_await w.FinishStream();
    co_return;
  }
  if (!result.bad_request.ok()) {
    rec.set_error(Message(result.bad_request));
    co_await SendError(w, ex.client, 400, Message(result.bad_request));
    co_return;
  }
  const int attempts = result.attempts;
  const std::string& passed_over = result.passed_over;
  const Attempt& last = result.last;
  if (attempts == 0) {  // every candidate became unavailable between planning and trying it
    rec.set_error("every provider is unavailable: " + passed_over);
    co_await SendError(w, ex.client, 503, rec.error());
    co_return;
  }
  // Every attempt failed before a byte reached the client.
  int status = last.kind == control::v1::OUTCOME_KIND_TIMEOUT ? 504 : 502;
  if (last.kind == control::v1::OUTCOME_KIND_HTTP_ERROR) status = last.status;
  rec.set_error(last.error);
  co_await SendError(w, ex.client, status, "upstream failed: " + last.error, {},
                     last.retry_after_ms);
}

void EdgeHandler::AddTried(admin::v1::RequestLog& rec, const std::string& provider,
                           const Attempt& a, int key, bool continued, const std::string* account) {
  admin::v1::AttemptSummary* tried = rec.add_tried();
  tried->set_provider(provider);
  tried->set_status(a.status);
  tried->set_outcome(a.client_gone ? "client_gone" : std::string(OutcomeName(a.kind)));
  tried->set_error(ShortText(a.error, 200));
  tried->set_latency_ms(a.latency_ms);
  tried->set_key_index(key);
  tried->set_continued(continued);
  if (account != nullptr) tried->set_account(*account);
}

void EdgeHandler::ReportOutcome(admin::v1::RequestLog& rec, const routing::ProviderEntry& p,
                                const Attempt& a, int key) {
  if (a.client_gone) return;  // says nothing about the provider
  const std::string& provider = p.name;
  const int key_count = static_cast<int>(p.keys.size());
  control::v1::Outcome o;
  o.set_request_id(rec.request_id());
  o.set_provider(provider);
  if (key >= 0 && static_cast<size_t>(key) < p.key_accounts.size()) {
    o.set_account(p.key_accounts[static_cast<size_t>(key)]);
    if (a.quota) *o.mutable_quota() = snapshot::QuotaToProto(*a.quota, NowMs());
  }
  o.set_kind(a.kind);
  o.set_status(a.status);
  o.set_retry_after_ms(a.retry_after_ms);
  o.set_latency_ms(a.latency_ms);
  o.set_at_ms(NowMs());
  o.set_key_index(key);
  o.set_key_count(key_count);
  o.set_error(a.error);
  metrics_.Attempt(provider, a.kind);
  outcomes_.Push(std::move(o));
}

}  // namespace agentgate::edge
