// Where a provider's endpoints are and how its key is sent, per protocol. Pure; the edge (every
// request) and the probe (tests, model lists) build their provider requests from it.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "services/routing/snapshot.h"
#include "services/routing/url.h"

namespace agentgate::routing {

// Sent to a Messages provider when the client did not say which version it speaks.
inline constexpr std::string_view kAnthropicVersion = "2023-06-01";

// The Messages endpoint under a base: "https://h" and "https://h/v1" both give "/v1/messages";
// "https://api.deepseek.com/anthropic" gives "/anthropic/v1/messages".
std::string MessagesPath(const Url& base);

// The base path in front of "/v1beta" for Gemini: "" for "https://h" and "https://h/v1beta",
// "/proxy" for "https://h/proxy/v1beta".
std::string GeminiPrefix(const Url& base);

// The generate endpoint of `api` under `base`: Chat `…/chat/completions`, Responses
// `…/responses`, Messages as MessagesPath, Gemini
// `…/v1beta/models/{model}:generateContent` (`:streamGenerateContent?alt=sse` when streaming).
std::string GeneratePath(Protocol api, const Url& base, std::string_view model, bool stream);

// The header that carries a provider key in `api`: Messages `x-api-key: KEY`, Gemini
// `x-goog-api-key: KEY`, Chat and Responses `authorization: Bearer KEY`.
std::pair<std::string_view, std::string> KeyHeader(Protocol api, std::string_view key);

}  // namespace agentgate::routing
