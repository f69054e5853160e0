// The endpoints stage: one table from a request path to what it is and which client protocol
// speaks it. Pure.
#pragma once

#include <string_view>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::edge {

enum class EndpointKind {
  kHealth,        // /health, /healthz: no token, no Host check (container health checks)
  kRoot,          // GET / : a plain text banner
  kMetrics,       // GET /metrics: Prometheus text (token unless --metrics-public)
  kModels,        // GET /v1/models: OpenAI-style model list
  kGeminiModels,  // GET /v1beta/models: Gemini-style model list
  kChat,          // POST /v1/chat/completions
  kMessages,      // POST /v1/messages
  kCountTokens,   // POST /v1/messages/count_tokens
  kResponses,     // POST /v1/responses
  kResponseById,  // GET, DELETE /v1/responses/{id} (the edge's response store)
  kGemini,        // POST /v1beta/models/{model}:{method}
  kUnknown,
};

struct Endpoint {
  EndpointKind kind = EndpointKind::kUnknown;
  // The protocol its errors are written in (Chat for paths no client owns).
  admin::v1::ClientProtocol protocol = admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
};

// The endpoint of `path` (the target without its query). Each OpenAI/Anthropic path is also
// served without its "/v1" prefix, as clients configured with a base URL that lacks it send.
Endpoint FindEndpoint(std::string_view path);

inline constexpr std::string_view kGeminiModelsPath = "/v1beta/models";

// The id of a /v1/responses/{id} (or /responses/{id}) path; "" for any other.
std::string_view ResponseIdOf(std::string_view path);

}  // namespace agentgate::edge
