#include "services/edge/edge_handler.h"

#include <boost/json.hpp>
#include <charconv>
#include <random>

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/protocol/chat_client.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/errors.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/json_util.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"
#include "services/protocol/traits.h"
#include "services/routing/endpoints.h"

namespace agentgate::edge {
namespace {

namespace asio = net::asio;
namespace beast = net::beast;
using net::kUse;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kJson = "application/json";
// A non-streaming upstream body larger than this is refused rather than held in memory.
constexpr size_t kMaxUpstreamBody = 64 * 1024 * 1024;
constexpr std::chrono::milliseconds kMaxConnectTimeout{10000};

int64_t MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

// Splits "/v1/x?key=1" into path and query.
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string_view QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// The local token as the client presented it: Authorization: Bearer, x-api-key,
// x-goog-api-key or ?key=.
std::string_view ClientCredential(const http::request<http::string_body>& m,
                                  std::string_view query) {
  std::string_view auth = m[http::field::authorization];
  if (auth.size() > 7 && StartsWithIgnoreCase(auth, "Bearer ")) {
    return StripSpace(auth.substr(7));
  }
  if (auto v = m["x-api-key"]; !v.empty()) return v;
  if (auto v = m["x-goog-api-key"]; !v.empty()) return v;
  return QueryParam(query, "key");
}

int64_t ParseRetryAfterMs(std::string_view v) {
  v = StripSpace(v);
  int64_t secs = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (ec != std::errc() || p != v.data() + v.size() || secs < 0) return 0;
  return std::min<int64_t>(secs, 24 * 3600) * 1000;
}

bool IsMessagesPath(std::string_view path) { return path == "/v1/messages" || path == "/messages"; }
bool IsCountTokensPath(std::string_view path) {
  return path == "/v1/messages/count_tokens" || path == "/messages/count_tokens";
}
bool IsChatPath(std::string_view path) {
  return path == "/v1/chat/completions" || path == "/chat/completions";
}

bool IsResponsesPath(std::string_view path) {
  return path == "/v1/responses" || path == "/responses";
}

constexpr std::string_view kGeminiModels = "/v1beta/models";
bool IsGeminiPath(std::string_view path) { return path.rfind(kGeminiModels, 0) == 0; }

admin::v1::ClientProtocol ProtocolForPath(std::string_view path) {
  if (IsGeminiPath(path)) return admin::v1::CLIENT_PROTOCOL_GEMINI;
  if (IsResponsesPath(path)) return admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES;
  if (IsMessagesPath(path) || IsCountTokensPath(path)) {
    return admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES;
  }
  return admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
}

// The body for a candidate reached by conversion, in its protocol, from the intermediate
// request; what the conversion drops is recorded on the request record.
// The encoders only append to req.losses: the additions are taken back afterwards, so the
// request serves the next candidate unchanged without being copied for each.
std::string ConvertedBody(protocol::ir::Request& req, const routing::Candidate& c,
                          admin::v1::RequestLog& rec) {
  const size_t losses_before = req.losses.size();
  std::string body;
  switch (c.api) {
    case routing::Protocol::kAnthropicMessages:
      body = protocol::EncodeMessagesRequest(
          req, c.upstream_model, protocol::MessagesDialect::ForProviderType(c.provider->type));
      break;
    case routing::Protocol::kGemini:
      body = protocol::EncodeGeminiRequest(req);
      break;
    default:  // Responses is reached only by pass-through
      body = protocol::EncodeChatRequest(req, c.upstream_model,
                                         protocol::ChatDialect::ForProviderType(c.provider->type));
      break;
  }
  rec.clear_conversion_losses();
  for (const auto& l : req.losses) rec.add_conversion_losses(l);
  req.losses.resize(losses_before);
  return body;
}

// The request line and headers for one candidate, in the protocol it is reached with. The
// client's own credentials are never copied; the provider's key goes where that protocol
// expects it.
UpstreamMessage UpstreamRequest(const routing::Candidate& cand, bool stream,
                                const http::request<http::string_body>& client, int key_index) {
  const routing::ProviderEntry& p = *cand.provider;
  const routing::Url& base = *cand.base;
  std::string target = routing::GeneratePath(cand.api, base, cand.upstream_model, stream);
  UpstreamMessage up{http::verb::post, target, 11};
  up.set(http::field::host, base.HostHeader());
  up.set(http::field::user_agent, "agentgate/" AGENTGATE_VERSION);
  up.set(http::field::content_type, kJson);
  up.set(http::field::accept, stream ? "text/event-stream" : "application/json");
  up.keep_alive(true);
  for (const auto& [name, value] : p.extra_headers) up.set(name, value);
  const std::string key =
      p.keys.empty() ? std::string()
                     : p.keys[key_index >= 0 && static_cast<size_t>(key_index) < p.keys.size()
                                  ? static_cast<size_t>(key_index)
                                  : 0];
  if (!key.empty()) {
    auto [name, value] = routing::KeyHeader(cand.api, key);
    up.set(name, value);
  }
  if (cand.api == routing::Protocol::kAnthropicMessages) {
    std::string_view version = client["anthropic-version"];
    up.set("anthropic-version", version.empty() ? routing::kAnthropicVersion : version);
    if (auto beta = client["anthropic-beta"]; !beta.empty()) up.set("anthropic-beta", beta);
  }
  return up;
}

// GET /v1beta/models in Gemini's shape. (Outside the coroutine: GCC 12 miscompiles braced
// lists of string literals inside one.)
std::string GeminiModelList(const routing::Snapshot& snap) {
  boost::json::array models;
  for (const auto& entry : routing::ListModels(snap)) {
    models.push_back(boost::json::object{
        {"name", "models/" + entry.id},
        {"displayName", entry.id},
        {"supportedGenerationMethods",
         boost::json::array{"generateContent", "streamGenerateContent", "countTokens"}}});
  }
  return boost::json::serialize(boost::json::object{{"models", std::move(models)}});
}

// What a streaming client is sent during a provider's silence: Messages has its own ping event;
// Gemini CLI's reader (@google/genai) only skips whitespace before "data:", so it gets a bare
// newline (a comment line would wedge it); the others an SSE comment line, which their readers
// skip.
std::string KeepAliveFor(admin::v1::ClientProtocol protocol) {
  switch (protocol) {
    case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return protocol::SseFrame("ping", R"({"type": "ping"})");
    case admin::v1::CLIENT_PROTOCOL_GEMINI:
      return "\n";
    default:
      return ": keep-alive\n\n";
  }
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

routing::Failure FailureOf(control::v1::OutcomeKind kind, int status) {
  switch (kind) {
    case control::v1::OUTCOME_KIND_SUCCESS:
      return routing::Failure::kNone;
    case control::v1::OUTCOME_KIND_HTTP_ERROR:
      return routing::FailureFromStatus(status);
    case control::v1::OUTCOME_KIND_TIMEOUT:
      return routing::Failure::kTimeout;
    case control::v1::OUTCOME_KIND_STREAM_CUT:
      return routing::Failure::kStreamCut;
    default:
      return routing::Failure::kConnect;
  }
}

double Jitter() {
  thread_local std::minstd_rand rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

template <typename Op>
auto OnStream(net::UpstreamConnection& c, Op&& op) {
  return std::visit(std::forward<Op>(op), c.stream);
}

}  // namespace

struct EdgeHandler::Attempt {
  bool sent = false;  // the client got a response (success or relayed error): stop trying
  control::v1::OutcomeKind kind = control::v1::OUTCOME_KIND_UNSPECIFIED;
  int status = 0;
  int64_t retry_after_ms = 0;
  std::string error;
  int64_t latency_ms = 0;
};

EdgeHandler::EdgeHandler(std::string edge_id, ConfigWatcher& watcher, RecordQueue& records,
                         OutcomeQueue& outcomes, EventQueue& events, EdgeMetrics& metrics,
                         std::chrono::milliseconds keepalive, routing::RetryPolicy retry,
                         routing::HealthPolicy health)
    : edge_id_(std::move(edge_id)),
      watcher_(watcher),
      records_(records),
      outcomes_(outcomes),
      events_(events),
      metrics_(metrics),
      keepalive_(keepalive),
      tls_(net::MakeClientTlsContext()),
      retry_(retry),
      health_(health) {}

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
          ErrorBodyFor(ProtocolForPath(SplitTarget(target).first), status, message)};
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
  auto [path, query] = SplitTarget(m.target());
  std::shared_ptr<const routing::Snapshot> snap = watcher_.Current();

  if (path == "/health" || path == "/healthz") {
    boost::json::object o;
    o["status"] = snap ? "ok" : "waiting_for_config";
    o["version"] = AGENTGATE_VERSION;
    o["config_version"] = snap ? snap->version : 0;
    o["router_connected"] = watcher_.connected();
    co_await w.Send(snap ? 200 : 503, kJson, boost::json::serialize(o));
    co_return;
  }
  if (path == "/metrics" && m.method() == http::verb::get) {
    co_await w.Send(200, metrics::kContentType, metrics_.Render());
    co_return;
  }
  if (path == "/" && (m.method() == http::verb::get || m.method() == http::verb::head)) {
    co_await w.Send(200, "text/plain; charset=utf-8", "AgentGate edge\n");
    co_return;
  }

  admin::v1::RequestLog rec;
  rec.set_started_at_ms(NowMs());
  rec.set_path(std::string(path));
  rec.set_edge_id(edge_id_);
  rec.set_bytes_in(static_cast<int64_t>(req.bytes_in));
  rec.set_request_id(ids_.Next("req_"));
  admin::v1::ClientProtocol proto = ProtocolForPath(path);
  rec.set_client_protocol(proto);

  bool is_models = path == "/v1/models" || path == "/models";
  bool gemini_models = path == kGeminiModels;
  bool known = IsChatPath(path) || IsMessagesPath(path) || IsCountTokensPath(path) ||
               IsResponsesPath(path) || is_models || gemini_models;

  // Codex may try a WebSocket on /v1/responses first; 426 makes it fall back to HTTP.
  if (IsResponsesPath(path) && beast::iequals(m[http::field::upgrade], "websocket")) {
    co_await SendError(w, proto, 426,
                       "this gateway serves /v1/responses over HTTP (server-sent events), not "
                       "WebSocket");
    co_return;
  }

  const bool authenticated =
      snap != nullptr && ConstantTimeEquals(ClientCredential(m, query), snap->local_token);
  // Live events only for requests past authentication: a wrong token is not worth a bubble.
  RequestEvents live(authenticated ? &events_ : nullptr);
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
  } else if (is_models && m.method() == http::verb::get) {
    boost::json::array data;
    for (const auto& entry : routing::ListModels(*snap)) {
      boost::json::object o;
      o["id"] = entry.id;
      o["object"] = "model";
      o["created"] = 0;
      o["owned_by"] = entry.provider;
      data.push_back(std::move(o));
    }
    boost::json::object root;
    root["object"] = "list";
    root["data"] = std::move(data);
    co_await w.Send(200, kJson, boost::json::serialize(root));
    co_return;  // listing models is not a request worth a record
  } else if (gemini_models && m.method() == http::verb::get) {
    co_await w.Send(200, kJson, GeminiModelList(*snap));
    co_return;
  } else if (IsGeminiPath(path) && m.method() == http::verb::post) {
    co_await HandleGemini(req, w, *snap, rec, path, live);
  } else if (known && m.method() != http::verb::post) {
    co_await SendError(w, proto, 405, "method not allowed on " + std::string(path));
  } else if (IsChatPath(path)) {
    co_await HandleChat(req, w, *snap, rec, live);
  } else if (IsMessagesPath(path)) {
    co_await HandleMessages(req, w, *snap, rec, live);
  } else if (IsResponsesPath(path)) {
    co_await HandleResponses(req, w, *snap, rec, live);
  } else if (IsCountTokensPath(path)) {
    co_await HandleCountTokens(req, w, *snap, rec);
  } else {
    co_await SendError(w, proto, 404, "unknown endpoint " + std::string(path));
  }

  auto now = Clock::now();
  if (rec.status() == 0) rec.set_status(w.failed() && !w.started() ? 499 : w.status());
  rec.set_latency_ms(MsBetween(req.received_at, now));
  rec.set_ttfb_ms(w.started() ? MsBetween(req.received_at, w.first_byte_at()) : -1);
  rec.set_bytes_out(static_cast<int64_t>(w.bytes_out()));
  // Priced from its usage; left unset when there was no usage or the model has no price.
  if (snap != nullptr && snap->prices != nullptr &&
      (rec.input_tokens() > 0 || rec.output_tokens() > 0)) {
    auto cost = pricing::RequestCost(*snap->prices, rec.model_sent(), rec.model_requested(),
                                     pricing::Usage{rec.input_tokens(), rec.output_tokens(),
                                                    rec.cached_tokens(), rec.cache_write_tokens()});
    if (cost) rec.set_cost_usd(*cost);
  }
  metrics_.Request(rec);
  live.Finished(rec);
  records_.Push(std::move(rec));
}

asio::awaitable<void> EdgeHandler::ForwardJson(
    net::IncomingRequest& req, net::ResponseWriter& w, const routing::Snapshot& snap,
    admin::v1::RequestLog& rec, Exchange& ex,
    absl::StatusOr<protocol::ChatRequest> (*inspect)(std::string_view)) {
  // Checked at the top level only: a request that passes through is the provider's to judge,
  // with only its model spliced; the intermediate model is built when a candidate needs
  // conversion.
  auto top = inspect(req.message.body());
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
  co_await Forward(req, w, snap, rec, ex);
}

asio::awaitable<void> EdgeHandler::HandleChat(net::IncomingRequest& req, net::ResponseWriter& w,
                                              const routing::Snapshot& snap,
                                              admin::v1::RequestLog& rec, RequestEvents& live) {
  Exchange ex;
  ex.live = &live;
  ex.client = admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
  ex.api = routing::Protocol::kOpenAiChat;
  ex.decode_ir = [&req] { return protocol::DecodeChatRequest(req.message.body()); };
  ex.make_encoding = [](const protocol::ir::Request& ir) { return ChatEncoding(ir.model); };
  co_await ForwardJson(req, w, snap, rec, ex, protocol::ParseChatRequest);
}

asio::awaitable<void> EdgeHandler::HandleMessages(net::IncomingRequest& req, net::ResponseWriter& w,
                                                  const routing::Snapshot& snap,
                                                  admin::v1::RequestLog& rec, RequestEvents& live) {
  Exchange ex;
  ex.live = &live;
  ex.client = admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES;
  ex.api = routing::Protocol::kAnthropicMessages;
  ex.decode_ir = [&req] { return protocol::DecodeMessagesRequest(req.message.body()); };
  ex.make_encoding = [](const protocol::ir::Request& ir) {
    return MessagesEncoding(ir.model, protocol::ir::EstimateInputTokens(ir));
  };
  co_await ForwardJson(req, w, snap, rec, ex, protocol::InspectRequest);
}

asio::awaitable<void> EdgeHandler::HandleResponses(net::IncomingRequest& req,
                                                   net::ResponseWriter& w,
                                                   const routing::Snapshot& snap,
                                                   admin::v1::RequestLog& rec,
                                                   RequestEvents& live) {
  Exchange ex;
  ex.live = &live;
  ex.client = admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES;
  ex.api = routing::Protocol::kOpenAiResponses;
  ex.decode_ir = [&req] { return protocol::DecodeResponsesRequest(req.message.body()); };
  ex.make_encoding = [this](const protocol::ir::Request& ir) {
    return ResponsesEncoding(ir.model, {ids_.Next("resp_"), NowMs() / 1000},
                             protocol::CustomToolNames(ir));
  };
  co_await ForwardJson(req, w, snap, rec, ex, protocol::InspectRequest);
}

asio::awaitable<void> EdgeHandler::HandleGemini(net::IncomingRequest& req, net::ResponseWriter& w,
                                                const routing::Snapshot& snap,
                                                admin::v1::RequestLog& rec, std::string_view path,
                                                RequestEvents& live) {
  std::string_view rest = path.substr(kGeminiModels.size());
  size_t colon = rest.rfind(':');
  if (rest.size() < 2 || rest[0] != '/' || colon == std::string_view::npos || colon < 2) {
    co_await SendError(w, rec.client_protocol(), 404, "unknown endpoint " + std::string(path));
    co_return;
  }
  std::string model(rest.substr(1, colon - 1));
  std::string_view method = rest.substr(colon + 1);
  if (method != "generateContent" && method != "streamGenerateContent" && method != "countTokens") {
    co_await SendError(w, rec.client_protocol(), 404, "unknown method " + std::string(method));
    co_return;
  }
  auto ir_req = protocol::DecodeGeminiRequest(req.message.body(), model);
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
  if (NeedsTraits(snap)) {
    auto members = protocol::json::TopLevelMembers(req.message.body());
    ex.traits = members ? protocol::ReadTraits(routing::Protocol::kGemini, req.message.body(),
                                               *members, model)
                        : ModelOnly(model);
  } else {
    ex.traits = ModelOnly(model);
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
  ex.encoding = GeminiEncoding(model);
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
    UpstreamMessage up = UpstreamRequest(cand, false, req.message, PickKey(*cand.provider));
    up.target(std::string(up.target()) + "/count_tokens");
    up.body().middle = protocol::json::ReplaceModel(req.message.body(), cand.upstream_model);
    up.prepare_payload();
    auto answer = co_await Fetch(req.worker, cand, up);
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

asio::awaitable<std::optional<std::pair<int, std::string>>> EdgeHandler::Fetch(
    size_t worker, const routing::Candidate& cand, UpstreamMessage& up) {
  const routing::ProviderEntry& p = *cand.provider;
  net::UpstreamPool& pool = *pools_[worker];
  auto conn_or = co_await pool.Acquire(*cand.base, std::min(p.timeout, kMaxConnectTimeout));
  if (!conn_or.ok()) co_return std::nullopt;
  std::unique_ptr<net::UpstreamConnection> conn = *std::move(conn_or);
  conn->tcp().expires_after(std::min(p.timeout, kMaxConnectTimeout));
  auto [wec, wn] =
      co_await OnStream(*conn, [&](auto& s) { return http::async_write(s, up, kUse); });
  if (wec) co_return std::nullopt;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  auto [rec_ec, rn] = co_await OnStream(
      *conn, [&](auto& s) { return http::async_read(s, conn->buffer, parser, kUse); });
  if (rec_ec) co_return std::nullopt;
  if (parser.keep_alive()) {
    conn->tcp().expires_never();
    pool.Release(std::move(conn));
  }
  co_return std::make_pair(parser.get().result_int(), std::move(parser.get().body()));
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
  SyncHealth(snap);
  routing::Plan plan = routing::PlanRequest(
      snap, ex.api, ex.route, ex.traits,
      [this](const routing::ProviderEntry& p) { return Unavailable(p.name); },
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
  const auto deadline = req.received_at + std::chrono::milliseconds(retry_.deadline_ms);
  Attempt last;
  std::string passed_over;  // why candidates were passed over before any attempt
  int attempts = 0;
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    const routing::Candidate& cand = plan.candidates[i];
    const routing::ProviderEntry& p = *cand.provider;
    bool pass = cand.api == ex.api;
    bool more_providers = i + 1 < plan.candidates.size();
    if (!pass && !ex.ir) {
      auto decoded = ex.decode_ir();
      if (!decoded.ok()) {
        rec.set_error(Message(decoded.status()));
        co_await SendError(w, ex.client, 400, Message(decoded.status()));
        co_return;
      }
      ex.ir = *std::move(decoded);
      if (ex.make_encoding) ex.encoding = ex.make_encoding(*ex.ir);
    }
    // Another request may have failed it since the plan was made (or taken its half-open
    // trial): then it is passed over, unless nothing healthy was left when planning.
    if (!cand.despite_health) {
      if (std::string why = Admit(p.name); !why.empty()) {
        passed_over += (passed_over.empty() ? "" : "; ") + p.name + ": " + why;
        continue;
      }
    }
    int key_count = static_cast<int>(p.keys.size());
    int retries = 0, key_switches = 0;
    auto time_left = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    };
    // Whether another attempt may follow a failure `f` of this one; if not, the provider's own
    // error goes to the client as it is.
    auto can_move_on = [&](routing::Failure f, int64_t retry_after_ms) {
      if (attempts >= retry_.max_attempts || time_left() <= 0) return false;
      if (more_providers) return true;
      if ((f == routing::Failure::kRateLimited || f == routing::Failure::kAuth) &&
          key_switches + 1 < key_count) {
        return true;
      }
      return routing::RetryDelayMs(retry_, f, retries, retry_after_ms, 0.0, time_left()) >= 0;
    };
    for (;;) {
      int key = PickKey(p);
      UpstreamMessage up = UpstreamRequest(cand, ex.stream, req.message, key);
      if (pass) {
        up.body() = ex.pass_through_body(cand);
      } else {
        up.body().middle = ConvertedBody(*ex.ir, cand, rec);
      }
      up.prepare_payload();
      if (pass) rec.clear_conversion_losses();
      rec.set_provider(p.name);
      rec.set_model_sent(cand.upstream_model);
      rec.set_attempts(rec.attempts() + 1);
      ++attempts;
      std::unique_ptr<ResponseAdapter> adapter =
          pass ? MakePassThroughAdapter(ex.client) : MakeConvertingAdapter(cand, ex.encoding);
      last = co_await TryProvider(req, w, cand, up, can_move_on, *adapter, rec);
      ir::Usage u = adapter->usage();
      rec.set_input_tokens(u.input);
      rec.set_output_tokens(u.output);
      rec.set_cached_tokens(u.cached);
      rec.set_cache_write_tokens(u.cache_creation);
      rec.set_reasoning_tokens(u.reasoning);
      RecordHealth(p, key, last);
      ReportOutcome(rec, p.name, last, key, key_count);
      routing::Failure f = FailureOf(last.kind, last.status);
      if (last.sent || !can_move_on(f, last.retry_after_ms)) break;
      // A key the provider refused or limited: the next key at once.
      if ((f == routing::Failure::kRateLimited || f == routing::Failure::kAuth) &&
          key_switches + 1 < key_count && KeyLeft(p)) {
        ++key_switches;
        continue;
      }
      if (more_providers) break;  // the next provider rather than waiting for this one
      int64_t wait =
          routing::RetryDelayMs(retry_, f, retries, last.retry_after_ms, Jitter(), time_left());
      if (wait < 0) break;
      ++retries;
      LogInfo("retrying the provider")
          .Kv("request_id", rec.request_id())
          .Kv("provider", p.name)
          .Kv("after_ms", wait)
          .Kv("error", last.error);
      asio::steady_timer timer(co_await asio::this_coro::executor);
      timer.expires_after(std::chrono::milliseconds(wait));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (last.sent) co_return;
    if (attempts >= retry_.max_attempts || Clock::now() >= deadline) break;
    if (more_providers) metrics_.Failover(p.name);
    LogWarn("provider attempt failed; trying the next")
        .Kv("request_id", rec.request_id())
        .Kv("provider", p.name)
        .Kv("error", last.error);
  }
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

void EdgeHandler::SyncHealth(const routing::Snapshot& snap) {
  std::lock_guard lock(health_mu_);
  if (snap.version == health_version_) return;
  health_version_ = snap.version;
  std::vector<std::string> names;
  for (const auto& p : snap.providers) {
    names.push_back(p.name);
    health_.Merge(p.name, p.health);
  }
  health_.Retain(names);
}

std::string EdgeHandler::Unavailable(const std::string& provider) {
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(provider);
  return h == nullptr ? std::string() : routing::Unavailable(*h, NowMs());
}

std::string EdgeHandler::Admit(const std::string& provider) {
  std::lock_guard lock(health_mu_);
  return health_.Admit(provider, NowMs());
}

int EdgeHandler::PickKey(const routing::ProviderEntry& p) {
  if (p.keys.size() <= 1) return p.keys.empty() ? -1 : 0;
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(p.name);
  static const routing::ProviderHealth kHealthy;
  uint64_t& cursor = key_cursors_[p.name];
  int k = routing::PickKey(h != nullptr ? *h : kHealthy, static_cast<int>(p.keys.size()), &cursor,
                           NowMs());
  if (k < 0) k = static_cast<int>(cursor++ % p.keys.size());  // all resting: rotate anyway
  return k;
}

bool EdgeHandler::KeyLeft(const routing::ProviderEntry& p) {
  std::lock_guard lock(health_mu_);
  const routing::ProviderHealth* h = health_.Find(p.name);
  if (h == nullptr) return true;
  int64_t now = NowMs();
  for (int k = 0; k < static_cast<int>(p.keys.size()); ++k) {
    auto it = h->keys.find(k);
    if (it == h->keys.end() || now >= it->second.cooldown_until_ms) return true;
  }
  return false;
}

void EdgeHandler::RecordHealth(const routing::ProviderEntry& p, int key, const Attempt& a) {
  routing::Failure f = FailureOf(a.kind, a.status);
  std::lock_guard lock(health_mu_);
  health_.Record(p.name, f, key, static_cast<int>(p.keys.size()), a.retry_after_ms, NowMs(),
                 a.error);
}

asio::awaitable<EdgeHandler::Attempt> EdgeHandler::TryProvider(
    net::IncomingRequest& req, net::ResponseWriter& w, const routing::Candidate& cand,
    UpstreamMessage& up, const MoveOnFn& can_move_on, ResponseAdapter& adapter,
    admin::v1::RequestLog& rec) {
  const routing::ProviderEntry& p = *cand.provider;
  net::UpstreamPool& pool = *pools_[req.worker];
  auto started = Clock::now();
  Attempt a;
  auto fail = [&](control::v1::OutcomeKind kind, std::string error) {
    a.kind = kind;
    a.error = std::move(error);
    a.latency_ms = MsBetween(started, Clock::now());
    return a;
  };

  // A pooled connection may have been closed by the provider while idle: when the first write
  // or read on a reused connection fails, try once more on a fresh one.
  for (int round = 0; round < 2; ++round) {
    auto conn_or = co_await pool.Acquire(*cand.base, std::min(p.timeout, kMaxConnectTimeout));
    if (!conn_or.ok()) {
      co_return fail(absl::IsDeadlineExceeded(conn_or.status())
                         ? control::v1::OUTCOME_KIND_TIMEOUT
                         : control::v1::OUTCOME_KIND_CONNECT_ERROR,
                     Message(conn_or.status()));
    }
    std::unique_ptr<net::UpstreamConnection> conn = *std::move(conn_or);
    bool reused = conn->reused;

    conn->tcp().expires_after(p.timeout);
    auto [wec, wn] =
        co_await OnStream(*conn, [&](auto& s) { return http::async_write(s, up, kUse); });
    if (wec) {
      if (reused) continue;
      co_return fail(wec == beast::error::timeout ? control::v1::OUTCOME_KIND_TIMEOUT
                                                  : control::v1::OUTCOME_KIND_CONNECT_ERROR,
                     "sending to " + p.name + " failed: " + wec.message());
    }

    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    conn->tcp().expires_after(p.timeout);
    auto [hec, hn] = co_await OnStream(
        *conn, [&](auto& s) { return http::async_read_header(s, conn->buffer, parser, kUse); });
    if (hec) {
      if (reused && !parser.got_some() && hec != beast::error::timeout) continue;
      if (hec == beast::error::timeout) {
        co_return fail(
            control::v1::OUTCOME_KIND_TIMEOUT,
            p.name + " did not answer within " + std::to_string(p.timeout.count()) + " ms");
      }
      co_return fail(control::v1::OUTCOME_KIND_CONNECT_ERROR,
                     p.name + " closed the connection: " + hec.message());
    }
    a.status = parser.get().result_int();
    a.retry_after_ms = ParseRetryAfterMs(parser.get()[http::field::retry_after]);
    routing::Failure f = routing::FailureFromStatus(a.status);
    if (routing::MovesOn(f) && can_move_on(f, a.retry_after_ms)) {
      // Fail over before anything reached the client. The connection is not reused.
      co_return fail(control::v1::OUTCOME_KIND_HTTP_ERROR,
                     p.name + " answered HTTP " + std::to_string(a.status));
    }
    Attempt relayed = co_await Relay(*conn, parser, w, cand, adapter, rec);
    relayed.latency_ms = MsBetween(started, Clock::now());
    if (relayed.sent && relayed.kind != control::v1::OUTCOME_KIND_STREAM_CUT && parser.is_done() &&
        parser.keep_alive()) {
      conn->tcp().expires_never();
      pool.Release(std::move(conn));
    }
    co_return relayed;
  }
  co_return fail(control::v1::OUTCOME_KIND_CONNECT_ERROR,
                 p.name + " closed the connection before answering");
}

asio::awaitable<EdgeHandler::Attempt> EdgeHandler::Relay(
    net::UpstreamConnection& conn, http::response_parser<http::buffer_body>& parser,
    net::ResponseWriter& w, const routing::Candidate& cand, ResponseAdapter& adapter,
    admin::v1::RequestLog& rec) {
  const routing::ProviderEntry& p = *cand.provider;
  Attempt a;
  a.status = parser.get().result_int();
  a.retry_after_ms = ParseRetryAfterMs(parser.get()[http::field::retry_after]);
  a.kind =
      a.status < 400 ? control::v1::OUTCOME_KIND_SUCCESS : control::v1::OUTCOME_KIND_HTTP_ERROR;
  std::string content_type(parser.get()[http::field::content_type]);
  bool sse = a.status < 400 && StartsWithIgnoreCase(content_type, "text/event-stream");
  std::vector<std::pair<std::string, std::string>> headers;
  headers.emplace_back("x-agentgate-request-id", rec.request_id());
  headers.emplace_back("x-agentgate-provider", p.name);
  if (auto ra = parser.get()[http::field::retry_after]; !ra.empty()) {
    headers.emplace_back("Retry-After", std::string(ra));
  }

  char buf[16 * 1024];
  // Reads the next piece of the body into buf; returns its size, or an error.
  auto read_piece = [&]() -> asio::awaitable<std::pair<net::error_code, size_t>> {
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    conn.tcp().expires_after(p.timeout);
    auto [ec, n] = co_await OnStream(
        conn, [&](auto& s) { return http::async_read_some(s, conn.buffer, parser, kUse); });
    if (ec == http::error::need_buffer) ec = {};
    co_return std::make_pair(ec, sizeof buf - parser.get().body().size);
  };

  if (!sse) {
    std::string body;
    while (!parser.is_done()) {
      auto [ec, n] = co_await read_piece();
      if (ec) {
        a.kind = ec == beast::error::timeout ? control::v1::OUTCOME_KIND_TIMEOUT
                                             : control::v1::OUTCOME_KIND_CONNECT_ERROR;
        a.error = p.name + " broke off its answer: " + ec.message();
        co_return a;  // nothing sent yet: the caller may fail over or answer 502
      }
      body.append(buf, n);
      if (body.size() > kMaxUpstreamBody) {
        a.kind = control::v1::OUTCOME_KIND_HTTP_ERROR;
        a.error = p.name + " answered with a body over 64 MiB";
        co_return a;
      }
    }
    ResponseAdapter::Converted out = a.status < 400
                                         ? adapter.Body(a.status, content_type, std::move(body))
                                         : adapter.Error(a.status, content_type, std::move(body));
    if (a.status >= 400) {
      a.error = p.name + " answered HTTP " + std::to_string(a.status);
      rec.set_error(a.error);
    } else if (out.status >= 400) {
      a.error = p.name + "'s answer could not be converted";
      rec.set_error(a.error);
    }
    co_await w.Send(out.status, out.content_type, std::move(out.body), headers);
    a.sent = true;
    if (w.failed()) rec.set_status(499);
    co_return a;
  }

  // Server-sent events: forward (converted) each piece the moment it arrives.
  a.sent = true;
  if (co_await w.BeginStream(a.status, adapter.stream_content_type(), headers)) {
    rec.set_status(499);
    rec.set_error("client went away");
    co_return a;
  }
  metrics_.StreamOpened();
  struct StreamClose {
    EdgeMetrics& m;
    ~StreamClose() { m.StreamClosed(); }
  } stream_close{metrics_};
  // While the provider is silent (a long think before the first token), the client gets a
  // keep-alive every keepalive_ so that it, and any proxy between, does not give up. The read
  // stays pending meanwhile; only this coroutine writes to the client.
  bool client_gone = false;
  const std::string keepalive = KeepAliveFor(rec.client_protocol());
  auto read_piece_alive = [&]() -> asio::awaitable<std::pair<net::error_code, size_t>> {
    if (keepalive_.count() <= 0) co_return co_await read_piece();
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    conn.tcp().expires_after(p.timeout);
    bool done = false;
    net::error_code read_ec;
    asio::steady_timer wake(co_await asio::this_coro::executor);
    OnStream(conn, [&](auto& s) {
      http::async_read_some(s, conn.buffer, parser, [&](net::error_code ec, size_t) {
        done = true;
        read_ec = ec;
        wake.cancel();
      });
    });
    while (!done) {
      wake.expires_after(keepalive_);
      auto [wec] = co_await wake.async_wait(kUse);
      if (done || wec || client_gone) continue;
      if (co_await w.WriteChunk(keepalive)) {
        client_gone = true;
        conn.tcp().close();  // ends the pending read
      }
    }
    if (read_ec == http::error::need_buffer) read_ec = {};
    co_return std::make_pair(read_ec, sizeof buf - parser.get().body().size);
  };
  while (!parser.is_done()) {
    auto [ec, n] = co_await read_piece_alive();
    if (client_gone) {
      rec.set_status(499);
      rec.set_error("client went away mid-stream");
      co_return a;
    }
    if (n > 0) {
      std::string out = adapter.StreamChunk(std::string_view(buf, n));
      if (co_await w.WriteChunk(out)) {
        rec.set_status(499);
        rec.set_error("client went away mid-stream");
        // The upstream connection is abandoned (closed), which cancels the generation.
        conn.tcp().close();
        co_return a;
      }
    }
    if (ec) {
      a.kind = control::v1::OUTCOME_KIND_STREAM_CUT;
      a.error = ec == beast::error::timeout ? p.name + " went silent mid-stream for " +
                                                  std::to_string(p.timeout.count()) + " ms"
                                            : p.name + " cut the stream: " + ec.message();
      rec.set_error(a.error);
      rec.set_status(502);
      // Tell the client in its own protocol, then end the stream cleanly.
      co_await w.WriteChunk(adapter.StreamFail(a.error));
      co_await w.FinishStream();
      co_return a;
    }
  }
  co_await w.WriteChunk(adapter.StreamEnd());
  co_await w.FinishStream();
  if (w.failed() && rec.status() == 0) rec.set_status(499);
  co_return a;
}

void EdgeHandler::ReportOutcome(admin::v1::RequestLog& rec, const std::string& provider,
                                const Attempt& a, int key, int key_count) {
  admin::v1::AttemptSummary* tried = rec.add_tried();
  tried->set_provider(provider);
  tried->set_status(a.status);
  tried->set_outcome(std::string(OutcomeName(a.kind)));
  tried->set_error(ShortText(a.error, 200));
  tried->set_latency_ms(a.latency_ms);
  tried->set_key_index(key);
  control::v1::Outcome o;
  o.set_request_id(rec.request_id());
  o.set_provider(provider);
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
