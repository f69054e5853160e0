#include "services/snapshot/snapshot_convert.h"

#include <algorithm>

#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::edge {

routing::Protocol ClientProtocolFromProto(admin::v1::ClientProtocol p) {
  switch (p) {
    case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return routing::Protocol::kAnthropicMessages;
    case admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES:
      return routing::Protocol::kOpenAiResponses;
    case admin::v1::CLIENT_PROTOCOL_GEMINI:
      return routing::Protocol::kGemini;
    default:
      return routing::Protocol::kOpenAiChat;
  }
}

routing::ProviderHealth HealthFromProto(const admin::v1::ProviderStatus& s) {
  routing::ProviderHealth h;
  h.breaker = s.breaker() == "open"        ? routing::Breaker::kOpen
              : s.breaker() == "half-open" ? routing::Breaker::kOpen  // open, time passed
                                           : routing::Breaker::kClosed;
  h.consecutive_failures = s.consecutive_failures();
  h.opens = s.opens();
  h.cooldown_until_ms = s.cooldown_until_ms();
  h.retry_after_ms = s.retry_after_ms();
  h.open_until_ms = s.open_until_ms();
  h.last_error = s.last_error();
  h.last_failure_at_ms = s.last_failure_at_ms();
  h.last_success_at_ms = s.last_success_at_ms();
  h.reset_at_ms = s.reset_at_ms();
  for (const auto& k : s.keys()) {
    if (k.cooldown_until_ms() == 0 && k.failures() == 0) continue;
    routing::KeyHealth kh;
    kh.cooldown_until_ms = k.cooldown_until_ms();
    kh.failures = k.failures();
    kh.last_error = k.last_error();
    h.keys[k.index()] = std::move(kh);
  }
  return h;
}

pricing::ModelPrice PriceFromProto(const admin::v1::ModelPrice& p) {
  pricing::ModelPrice out;
  out.model = p.model();
  out.vendor = p.vendor();
  out.rates = pricing::Rates{p.input(), p.output(), p.has_cache_read() ? p.cache_read() : -1,
                             p.has_cache_write() ? p.cache_write() : -1};
  out.long_above_tokens = p.long_above_tokens();
  out.long_rates = pricing::Rates{p.long_input(), p.long_output(),
                                  p.has_long_cache_read() ? p.long_cache_read() : -1,
                                  p.has_long_cache_write() ? p.long_cache_write() : -1};
  out.taken = p.taken();
  out.source = p.source();
  out.aliases.assign(p.aliases().begin(), p.aliases().end());
  return out;
}

admin::v1::ModelPrice PriceToProto(const pricing::ModelPrice& p) {
  admin::v1::ModelPrice out;
  out.set_model(p.model);
  out.set_vendor(p.vendor);
  out.set_input(p.rates.input);
  out.set_output(p.rates.output);
  if (p.rates.cache_read >= 0) out.set_cache_read(p.rates.cache_read);
  if (p.rates.cache_write >= 0) out.set_cache_write(p.rates.cache_write);
  out.set_long_above_tokens(p.long_above_tokens);
  if (p.long_above_tokens > 0) {
    out.set_long_input(p.long_rates.input);
    out.set_long_output(p.long_rates.output);
    if (p.long_rates.cache_read >= 0) out.set_long_cache_read(p.long_rates.cache_read);
    if (p.long_rates.cache_write >= 0) out.set_long_cache_write(p.long_rates.cache_write);
  }
  out.set_taken(p.taken);
  out.set_source(p.source);
  for (const auto& a : p.aliases) out.add_aliases(a);
  return out;
}

routing::Snapshot SnapshotFromProto(const control::v1::ConfigSnapshot& proto) {
  routing::Snapshot s;
  std::vector<pricing::ModelPrice> overrides;
  for (const auto& p : proto.price_overrides()) overrides.push_back(PriceFromProto(p));
  s.prices = std::make_shared<const pricing::PriceTable>(overrides);
  s.budget.limit_usd = proto.budget().daily_limit_usd();
  s.budget.spent_usd = proto.budget().spent_today_usd();
  s.budget.exceeded = proto.budget().exceeded() && s.budget.limit_usd > 0;
  switch (proto.budget().mode()) {
    case admin::v1::BUDGET_MODE_BLOCK:
      s.budget.mode = routing::Budget::Mode::kBlock;
      break;
    case admin::v1::BUDGET_MODE_CHEAPEST:
      s.budget.mode = routing::Budget::Mode::kCheapest;
      break;
    default:
      s.budget.mode = routing::Budget::Mode::kNotify;
  }
  s.version = proto.version();
  s.local_token = proto.local_token();
  for (const auto& p : proto.providers()) {
    auto url = routing::ParseUrl(p.base_url());
    if (!url.ok()) {
      LogError("provider left out of snapshot")
          .Kv("provider", p.name())
          .Kv("error", Message(url.status()));
      continue;
    }
    routing::ProviderEntry e;
    e.name = p.name();
    e.type = p.type();
    switch (p.protocol()) {
      case admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES:
        e.protocol = routing::Protocol::kAnthropicMessages;
        break;
      case admin::v1::PROVIDER_PROTOCOL_GEMINI:
        e.protocol = routing::Protocol::kGemini;
        break;
      case admin::v1::PROVIDER_PROTOCOL_OPENAI_RESPONSES:
        e.protocol = routing::Protocol::kOpenAiResponses;
        break;
      default:
        e.protocol = routing::Protocol::kOpenAiChat;
    }
    e.base = *std::move(url);
    if (!p.anthropic_url().empty()) {
      if (auto a = routing::ParseUrl(p.anthropic_url()); a.ok()) e.anthropic_base = *std::move(a);
    }
    if (!p.responses_url().empty()) {
      if (auto r = routing::ParseUrl(p.responses_url()); r.ok()) e.responses_base = *std::move(r);
    }
    e.keys.assign(p.api_keys().begin(), p.api_keys().end());
    if (p.key_accounts_size() == p.api_keys_size()) {
      e.key_accounts.assign(p.key_accounts().begin(), p.key_accounts().end());
      if (p.key_avoid_until_ms_size() == p.api_keys_size()) {
        e.key_avoid_until_ms.assign(p.key_avoid_until_ms().begin(), p.key_avoid_until_ms().end());
      }
    }
    e.default_model = p.default_model();
    e.models.assign(p.models().begin(), p.models().end());
    for (const auto& [from, to] : p.model_map()) e.model_map.emplace(from, to);
    if (p.timeout_ms() > 0) e.timeout = std::chrono::milliseconds(p.timeout_ms());
    e.priority = p.priority();
    e.enabled = p.enabled();
    e.reasoning_model = p.reasoning_model();
    e.vision = p.vision() == admin::v1::CAPABILITY_YES  ? routing::Capability::kYes
               : p.vision() == admin::v1::CAPABILITY_NO ? routing::Capability::kNo
                                                        : routing::Capability::kUnknown;
    for (const auto& [k, v] : p.extra_headers()) e.extra_headers.emplace_back(k, v);
    std::sort(e.extra_headers.begin(), e.extra_headers.end());
    if (p.has_health()) e.health = HealthFromProto(p.health());
    s.providers.push_back(std::move(e));
  }
  for (const auto& r : proto.routes()) {
    routing::RouteProfile profile;
    profile.name = r.name();
    profile.client = ClientProtocolFromProto(r.client_protocol());
    profile.is_default = r.is_default();
    profile.mode = r.mode() == admin::v1::ROUTE_MODE_MANUAL ? routing::RouteMode::kManual
                                                            : routing::RouteMode::kFailover;
    profile.chain.assign(r.chain().begin(), r.chain().end());
    profile.midstream_failover = r.midstream_failover();
    for (const auto& rule : r.rules()) {
      if (rule.disabled()) continue;
      routing::RouteRule out;
      out.name = rule.name();
      out.provider = rule.provider();
      out.model = rule.model();
      const auto& w = rule.when();
      out.when.min_input_tokens = w.min_input_tokens();
      out.when.has_images = w.has_images();
      out.when.has_tools = w.has_tools();
      out.when.min_tools = w.min_tools();
      out.when.system_keywords.assign(w.system_keywords().begin(), w.system_keywords().end());
      out.when.thinking = w.thinking();
      out.when.model_keywords.assign(w.model_keywords().begin(), w.model_keywords().end());
      profile.rules.push_back(std::move(out));
    }
    s.routes.push_back(std::move(profile));
  }
  return s;
}

}  // namespace agentgate::edge
