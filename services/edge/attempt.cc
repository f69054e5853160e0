// The attempt stage: one try at one candidate — the request body in the provider's protocol
// (passed through with its model spliced, or converted, with what the provider wants back put
// on it for this attempt only), the adapter that turns the answer into the client's, and the
// relay; then the record, the outcome report and what the answer leaves to keep (reasoning,
// the Responses store). Forward (edge_handler.cc) decides which candidates, in what order.
#include <boost/json.hpp>

#include "services/accounts/official.h"
#include "services/common/clock.h"
#include "services/common/strings.h"
#include "services/edge/edge_handler.h"
#include "services/edge/kept_reasoning.h"
#include "services/edge/record.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/provider_codecs.h"
#include "services/protocol/provider_rules.h"
#include "services/routing/endpoints.h"

namespace agentgate::edge {
namespace {

namespace asio = net::asio;
constexpr std::string_view kJson = "application/json";

// The body for a candidate reached by conversion, in its protocol, from the intermediate
// request; what the conversion drops is recorded on the request record.
// The encoders only append to req.losses: the additions are taken back afterwards, so the
// request serves the next candidate unchanged without being copied for each.
std::string ConvertedBody(protocol::ir::Request& req, const routing::Candidate& c,
                          admin::v1::RequestLog& rec) {
  const size_t losses_before = req.losses.size();
  const protocol::ProviderCodec* codec = protocol::ProviderCodecFor(c.api);
  std::string body = codec->encode(req, c.upstream_model, c.provider->type);
  rec.clear_conversion_losses();
  for (const auto& l : req.losses) rec.add_conversion_losses(l);
  req.losses.resize(losses_before);
  return body;
}

// An official account's request, as the official client sends it (accounts/official.h): its
// account id, and Codex's own identity and conversation headers when the client is Codex.
void SetOfficialHeaders(UpstreamMessage& up, const http::request<http::string_body>& client,
                        const std::string& account) {
  auto header = [&](std::string_view name) { return client[name]; };
  up.set(accounts::kAccountHeader, account);
  up.set(accounts::kBetaHeader, accounts::kBetaValue);
  const std::string_view originator = header(accounts::kOriginatorHeader);
  const std::string_view agent = header("user-agent");
  const bool codex = originator == accounts::kOriginator ||
                     agent.substr(0, accounts::kOriginator.size()) == accounts::kOriginator;
  const std::string_view version = header(accounts::kVersionHeader);
  up.set(accounts::kOriginatorHeader, codex && !originator.empty() && originator.size() <= 64
                                          ? originator
                                          : accounts::kOriginator);
  up.set(accounts::kVersionHeader,
         codex && !version.empty() && version.size() <= 64 ? version : accounts::kCodexVersion);
  up.set(http::field::user_agent,
         codex && !agent.empty() && agent.size() <= 512 ? agent : accounts::kUserAgent);
  for (std::string_view name : accounts::kClientHeaders) {
    const std::string_view v = header(name);
    if (!v.empty() && v.size() <= 1024) up.set(name, v);
  }
}

}  // namespace

UpstreamMessage EdgeHandler::UpstreamRequest(const routing::Candidate& cand, bool stream,
                                             const http::request<http::string_body>& client,
                                             int key_index) {
  const routing::ProviderEntry& p = *cand.provider;
  const routing::Url& base = *cand.base;
  std::string target = routing::GeneratePath(cand.api, base, cand.upstream_model, stream);
  UpstreamMessage up{http::verb::post, target, 11};
  up.set(http::field::host, base.HostHeader());
  up.set(http::field::user_agent, "agentgate/" AGENTGATE_VERSION);
  up.set(http::field::content_type, kJson);
  up.set(http::field::accept, stream ? "text/event-stream" : "application/json");
  up.keep_alive(true);
  SetUpstreamDefaults(up);
  for (const auto& [name, value] : p.extra_headers) up.set(name, value);
  const std::string key =
      p.keys.empty() ? std::string()
                     : p.keys[key_index >= 0 && static_cast<size_t>(key_index) < p.keys.size()
                                  ? static_cast<size_t>(key_index)
                                  : 0];
  if (!key.empty()) {
    auto [name, value] = routing::KeyHeader(cand.api, key, &base);
    up.set(name, value);
  }
  if (key_index >= 0 && static_cast<size_t>(key_index) < p.key_accounts.size()) {
    SetOfficialHeaders(up, client, p.key_accounts[static_cast<size_t>(key_index)]);
  }
  if (cand.api == routing::Protocol::kAnthropicMessages) {
    std::string_view version = client["anthropic-version"];
    up.set("anthropic-version", version.empty() ? routing::kAnthropicVersion : version);
    if (auto beta = client["anthropic-beta"]; !beta.empty()) up.set("anthropic-beta", beta);
  }
  return up;
}

bool EdgeHandler::Passes(const Exchange& ex, const routing::Candidate& c) {
  // Images for a provider known to take text only are taken out by the converter (a Responses
  // provider cannot be converted to, and still gets them); mid-stream failover converts
  // streams of the client's own protocol.
  const bool text_only = ex.traits.has_images && c.provider->vision == routing::Capability::kNo;
  return c.api == ex.api &&
         ((!ex.midstream && !text_only) || c.api == routing::Protocol::kOpenAiResponses);
}

absl::Status EdgeHandler::Convertible(net::IncomingRequest& req, Exchange& ex) {
  if (!ex.ir) {
    auto decoded = ex.codec->decode(req.message.body(), ex.model);
    if (!decoded.ok()) return decoded.status();
    ex.ir = *std::move(decoded);
    // A Responses turn that continues a stored response: its earlier turns go in front.
    if (!ex.ir->previous_response_id.empty()) {
      ex.previous = responses_.Get(ex.scope, ex.ir->previous_response_id, NowMs());
      if (ex.previous == nullptr) {
        absl::Status missing = absl::InvalidArgumentError(
            "Previous response with id '" + ShortText(ex.ir->previous_response_id, 100) +
            "' not found.");
        ex.ir.reset();  // asked again, the answer is the same refusal, never the turn alone
        return missing;
      }
      std::vector<protocol::ir::Message> history = ex.previous->History();
      ex.history_messages = history.size();
      ex.ir->messages.insert(ex.ir->messages.begin(), std::make_move_iterator(history.begin()),
                             std::make_move_iterator(history.end()));
    }
  }
  if (!ex.encoder) ex.encoder = ex.codec->encoder(*ex.ir, encoder_env_);
  if (ex.midstream && !ex.splice) {
    ex.splice = std::make_unique<protocol::SplicedStream>(ex.encoder->Stream());
  }
  return absl::OkStatus();
}

asio::awaitable<Attempt> EdgeHandler::TryCandidate(net::IncomingRequest& req,
                                                   net::ResponseWriter& w,
                                                   admin::v1::RequestLog& rec, Exchange& ex,
                                                   const routing::Candidate& cand, int key,
                                                   const MoveOnFn& can_move_on, bool up_stream,
                                                   bool pass, bool may_switch) {
  const routing::ProviderEntry& p = *cand.provider;
  // This attempt continues an answer an earlier one began and the provider cut.
  const bool continuing = ex.splice != nullptr && ex.splice->continuing();
  if (continuing && pass) {
    Attempt skip;
    skip.skipped = true;
    skip.error = p.name + " is reached by pass-through, which cannot continue a cut stream";
    co_return skip;
  }
  UpstreamMessage up = UpstreamRequest(cand, up_stream, req.message, key);
  // What the provider wants back and the client may not keep (Gemini 3's call signatures,
  // Anthropic's thinking blocks, DeepSeek's and Kimi's reasoning): what this edge kept for
  // this client from this provider, key and model goes on the request for this attempt only.
  const protocol::ModelRules& rules = protocol::RulesFor(cand.upstream_model);
  const bool signs = !pass && cand.api == routing::Protocol::kGemini && rules.thought_signatures;
  const bool reasons =
      !pass && (cand.api == routing::Protocol::kAnthropicMessages ||
                (cand.api == routing::Protocol::kOpenAiChat && rules.reasoning_replay));
  const std::string binding = p.name + "#" + std::to_string(key);
  // OpenCode and other Chat clients passing through to DeepSeek V4 / Kimi K3 drop the
  // reasoning_content those refuse a tool turn without: the kept one goes back, else "".
  const bool pass_reasons = pass && cand.api == routing::Protocol::kOpenAiChat &&
                            rules.reasoning_replay &&
                            protocol::ChatDialect::ForProviderType(p.type).native == rules.family;
  // Claude Code drops the thinking blocks of its tool turns for a model it does not know to think
  // (a model mapped by the gateway, say); a thinking Claude refuses such a turn: the signed
  // blocks this edge kept from that answer go back in front.
  const bool pass_thinks = pass && cand.api == routing::Protocol::kAnthropicMessages &&
                           rules.family == protocol::Family::kAnthropic &&
                           rules.thinking != protocol::ThinkingForm::kNone;
  if (pass_thinks || pass_reasons) {
    // The kept reasoning of the turn that made `call_id`, for this provider, key and model.
    auto kept = [&](const std::string& call_id) {
      return ParseReasoning(
          signatures_.Get(ex.scope, ReasoningKey(call_id), binding, cand.upstream_model));
    };
    int missing = 0;
    auto body = pass_thinks ? protocol::AddToolTurnThinking(req.message.body(), cand.upstream_model,
                                                            kept, &missing)
                            : protocol::AddToolTurnReasoning(
                                  req.message.body(), cand.upstream_model,
                                  [&](const std::string& call_id) {
                                    std::string text;
                                    for (const auto& part : kept(call_id)) text += part.text;
                                    return text;
                                  },
                                  &missing);
    if (body) {
      up.body().middle = *std::move(body);
    } else {
      up.body() = ex.pass_through_body(cand);
    }
    rec.clear_conversion_losses();
    if (missing > 0) {
      rec.add_conversion_losses(
          pass_thinks
              ? "the thinking of earlier tool turns (dropped by the client, not kept here either)"
              : "the reasoning of earlier tool turns (not kept by the client; sent empty)");
    }
  } else if (pass) {
    up.body() = ex.pass_through_body(cand);
  } else {
    // Mid-stream failover: the text the client already has goes back as the start of the
    // answer — a prefill where the provider continues one (Claude without thinking), else
    // with a request to go on from there.
    const bool prefill = cand.api == routing::Protocol::kAnthropicMessages && rules.prefill &&
                         !rules.thinks_by_default && ex.ir->reasoning_effort.empty() &&
                         !ex.ir->thinking_budget;
    const int added =
        continuing ? protocol::AddContinuation(*ex.ir, ex.splice->text(), prefill) : 0;
    {
      KeptReasoning kept(*ex.ir, signs, reasons,
                         /*signed_only=*/cand.api == routing::Protocol::kAnthropicMessages,
                         [&](const std::string& k) {
                           return signatures_.Get(ex.scope, k, binding, cand.upstream_model);
                         });
      ex.ir->stream = up_stream;
      if (cand.provider->vision == routing::Capability::kNo && protocol::ir::HasImages(*ex.ir)) {
        protocol::ir::Request text_only_req = *ex.ir;  // rare: a copy without the images
        protocol::ir::StripImages(text_only_req);
        up.body().middle = ConvertedBody(text_only_req, cand, rec);
      } else {
        up.body().middle = ConvertedBody(*ex.ir, cand, rec);
      }
      ex.ir->stream = ex.stream;
    }
    ex.ir->messages.erase(ex.ir->messages.end() - added, ex.ir->messages.end());
  }
  up.prepare_payload();
  if (pass && !pass_reasons && !pass_thinks) rec.clear_conversion_losses();
  rec.set_provider(p.name);
  rec.set_model_sent(cand.upstream_model);
  rec.set_attempts(rec.attempts() + 1);
  ReasoningCollector::Sink keep = [this, &ex, &binding, &cand](const std::string& k,
                                                               const std::string& v) {
    signatures_.Put(ex.scope, k, binding, cand.upstream_model, v);
  };
  // A Responses answer by conversion goes to the response store (unless "store": false).
  const bool stores = !pass && ex.api == routing::Protocol::kOpenAiResponses && ex.ir->store;
  std::unique_ptr<ResponseAdapter> adapter;
  if (pass) {
    adapter =
        MakePassThroughAdapter(ex.client, ex.stream, pass_reasons || pass_thinks ? keep : nullptr);
  } else {
    ConvertingOptions options;
    if (signs || reasons) options.keep = keep;
    options.splice = ex.splice.get();
    options.keep_answer = stores;
    adapter = MakeConvertingAdapter(cand, *ex.encoder, *ex.codec, ex.stream, std::move(options));
  }
  // The attempt that ends the answer is on the record before its last bytes go out.
  bool tried_recorded = false;
  const std::string* account = key >= 0 && static_cast<size_t>(key) < p.key_accounts.size()
                                   ? &p.key_accounts[static_cast<size_t>(key)]
                                   : nullptr;
  Attempt a = co_await relay_.Try(
      *pools_[req.worker], w, cand, up, can_move_on, *adapter, rec,
      [&](const Attempt& ending) {
        AddTried(rec, p.name, ending, key, continuing, account);
        tried_recorded = true;
      },
      may_switch);
  SetUsage(&rec, adapter->usage());
  if (!tried_recorded) AddTried(rec, p.name, a, key, continuing, account);
  if (a.cut_continues) ex.splice->Cut();
  if (stores && a.sent && a.kind == control::v1::OUTCOME_KIND_SUCCESS && a.status < 300) {
    if (auto answer = adapter->TakeAnswer()) StoreResponse(ex, *std::move(answer));
  }
  ReportOutcome(rec, p, a, key);
  co_return a;
}

void EdgeHandler::StoreResponse(const Exchange& ex, protocol::ir::Response answer) {
  const std::string id = ex.encoder->response_id();
  if (id.empty() || !ex.ir) return;
  auto stored = std::make_shared<StoredResponse>();
  stored->previous = ex.previous;
  stored->turn.assign(ex.ir->messages.begin() + static_cast<std::ptrdiff_t>(ex.history_messages),
                      ex.ir->messages.end());
  protocol::ir::Message said;
  said.role = protocol::ir::Role::kAssistant;
  for (const auto& part : answer.output) said.parts.push_back(part);
  stored->turn.push_back(std::move(said));
  stored->body = ex.encoder->Body(answer);
  responses_.Put(ex.scope, id, std::move(stored), NowMs());
}

}  // namespace agentgate::edge
