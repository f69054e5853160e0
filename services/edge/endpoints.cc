#include "services/edge/endpoints.h"

#include <array>

namespace agentgate::edge {
namespace {

using admin::v1::ClientProtocol;

struct Entry {
  std::string_view path;
  EndpointKind kind;
  ClientProtocol protocol;
};

constexpr std::array<Entry, 14> kTable{{
    {"/health", EndpointKind::kHealth, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/healthz", EndpointKind::kHealth, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/", EndpointKind::kRoot, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/metrics", EndpointKind::kMetrics, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/v1/models", EndpointKind::kModels, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/models", EndpointKind::kModels, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/v1/chat/completions", EndpointKind::kChat, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/chat/completions", EndpointKind::kChat, admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT},
    {"/v1/messages", EndpointKind::kMessages, admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES},
    {"/messages", EndpointKind::kMessages, admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES},
    {"/v1/messages/count_tokens", EndpointKind::kCountTokens,
     admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES},
    {"/messages/count_tokens", EndpointKind::kCountTokens,
     admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES},
    {"/v1/responses", EndpointKind::kResponses, admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES},
    {"/responses", EndpointKind::kResponses, admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES},
}};

}  // namespace

std::string_view ResponseIdOf(std::string_view path) {
  for (std::string_view prefix : {"/v1/responses/", "/responses/"}) {
    if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) continue;
    std::string_view id = path.substr(prefix.size());
    if (id.size() > 200 || id.find('/') != std::string_view::npos) return {};
    return id;
  }
  return {};
}

Endpoint FindEndpoint(std::string_view path) {
  for (const Entry& e : kTable) {
    if (e.path == path) return {e.kind, e.protocol};
  }
  if (!ResponseIdOf(path).empty()) {
    return {EndpointKind::kResponseById, admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES};
  }
  if (path == kGeminiModelsPath) {
    return {EndpointKind::kGeminiModels, admin::v1::CLIENT_PROTOCOL_GEMINI};
  }
  if (path.size() > kGeminiModelsPath.size() && path.rfind(kGeminiModelsPath, 0) == 0 &&
      path[kGeminiModelsPath.size()] == '/') {
    return {EndpointKind::kGemini, admin::v1::CLIENT_PROTOCOL_GEMINI};
  }
  return {};
}

}  // namespace agentgate::edge
