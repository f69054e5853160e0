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
// An Azure OpenAI deployment base (`…/openai/deployments/{name}`) gets the api-version its
// dated API needs (kAzureApiVersion).
std::string GeneratePath(Protocol api, const Url& base, std::string_view model, bool stream);

// The last dated GA version of Azure OpenAI's inference API (learn.microsoft.com/azure/
// ai-foundry/openai/reference, read 2026-12; the newer /openai/v1 API needs none).
inline constexpr std::string_view kAzureApiVersion = "2024-10-21";

// Whether `base` is an Azure OpenAI resource (*.openai.azure.com, *.cognitiveservices.azure.com,
// *.services.ai.azure.com), whose keys go in an `api-key` header.
bool IsAzureOpenAi(const Url& base);

// The header that carries a provider key in `api`: Messages `x-api-key: KEY`, Gemini
// `x-goog-api-key: KEY`, Chat and Responses `authorization: Bearer KEY` (Azure: `api-key: KEY`).
std::pair<std::string_view, std::string> KeyHeader(Protocol api, std::string_view key,
                                                   const Url* base = nullptr);

}  // namespace agentgate::routing
