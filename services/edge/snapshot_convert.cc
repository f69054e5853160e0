#include "services/edge/snapshot_convert.h"

#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::edge {

routing::Snapshot SnapshotFromProto(const control::v1::ConfigSnapshot& proto) {
  routing::Snapshot s;
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
    e.default_model = p.default_model();
    e.models.assign(p.models().begin(), p.models().end());
    for (const auto& [from, to] : p.model_map()) e.model_map.emplace(from, to);
    if (p.timeout_ms() > 0) e.timeout = std::chrono::milliseconds(p.timeout_ms());
    e.priority = p.priority();
    e.enabled = p.enabled();
    s.providers.push_back(std::move(e));
  }
  return s;
}

}  // namespace agentgate::edge
