// What the probe sends to a provider and how it reads the answers. Pure: no sockets, no clock.
//
// Endpoints and key headers are the edge's (routing/endpoints.h): Chat `{base}/chat/completions`
// with a Bearer key, Messages `{base}/v1/messages` with x-api-key and anthropic-version, Gemini
// `{base}/v1beta/models/{model}:generateContent` with x-goog-api-key, Responses
// `{base}/responses` with a Bearer key (only as a pass-through endpoint, never native).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/routing/snapshot.h"
#include "services/routing/url.h"

namespace agentgate::probe {

// A provider as the probe reaches it: the stored config with the preset's defaults filled in.
struct ProbeTarget {
  std::string name;
  std::string type;
  routing::Protocol protocol = routing::Protocol::kOpenAiChat;
  routing::Url base;
  std::string key;  // the first key; empty for a keyless local server
  size_t key_count = 0;
  std::string model;  // empty when none was needed
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // Every non-empty key in pool order (key N is secrets[N-1]), also what is scrubbed from
  // whatever is reported.
  std::vector<std::string> secrets;
  // The pass-through endpoints as configured (unparsed; empty: none).
  std::string anthropic_url;
  std::string responses_url;
};

// The config step: the base URL parses, a key is present unless the type's preset is keyless
// (ollama, lmstudio, vllm, custom_openai_compatible), and, when `need_model`, there is a model
// to test with: `model`, else the default model, else the first listed one, else the preset's
// default model. An empty base URL or protocol is taken from the type's preset, as the router
// does on create.
// InvalidArgument says what is missing.
absl::StatusOr<ProbeTarget> ResolveTarget(const control::v1::ProviderConfig& p,
                                          std::string_view model, bool need_model);

// "openai chat at https://api.openai.com/v1, model gpt-4.1, key 1 of 2" — never the key.
std::string DescribeTarget(const ProbeTarget& t);

std::string_view ProtocolName(routing::Protocol p);

// One HTTP request to a provider (Host, User-Agent, Content-Type and Accept are added when sent).
struct HttpCall {
  std::string method;                                        // "GET" or "POST"
  std::string target;                                        // path and query
  std::vector<std::pair<std::string, std::string>> headers;  // set in order: later ones win
  std::string body;
};

// The provider's extra headers, then its key where its protocol expects it (and
// anthropic-version for Messages).
void AddKeyHeaders(const ProbeTarget& t, HttpCall* call);

// `t` with key `index` (0-based, < key_count) of its pool in place of the first one.
ProbeTarget WithKey(ProbeTarget t, size_t index);

// The requests the probe makes with the target's model; each asks for one output token.
enum class Probe {
  kPing,          // one user message "ping"
  kImage,         // the same with a 1x1 PNG inline, as the protocol's image part
  kCachedPrompt,  // a long system text (cache_control breakpoint for Messages), then "ping"
};

// The JSON body of `kind` in the target's protocol. Chat sends max_tokens, except type "openai"
// (its newer models refuse max_tokens) which gets max_completion_tokens. Responses (only ever a
// pass-through endpoint) has the ping alone: see EndpointCall.
std::string RequestBody(const ProbeTarget& t, Probe kind);
HttpCall GenerateCall(const ProbeTarget& t, Probe kind);

// The ping to a pass-through endpoint at `base` in protocol `api`, as the edge reaches it:
//   kAnthropicMessages: POST MessagesPath(base), x-api-key + anthropic-version, the Messages
//                       ping (model, max_tokens 1, one user "ping");
//   kOpenAiResponses:   POST OpenAiPath(base, "/responses"), `authorization: Bearer KEY`,
//                       {"model": M, "input": "ping", "max_output_tokens": 16} (OpenAI's
//                       minimum is 16).
// With the target's model, first key and extra headers.
HttpCall EndpointCall(const ProbeTarget& t, routing::Protocol api, const routing::Url& base);

// The base64 1x1 PNG the vision check sends, and the system text of kCachedPrompt (long enough
// for every Anthropic model's cache minimum: over 4096 tokens).
std::string_view TinyPngBase64();
const std::string& CachePromptText();

// GET of one page of the model list: Chat `{base}/models`, Messages `{base}/v1/models?limit=1000`
// (`after_id` = page_token), Gemini `{base}/v1beta/models?pageSize=1000` (`pageToken`).
HttpCall ModelsCall(const ProbeTarget& t, std::string_view page_token);

struct ModelPage {
  std::vector<std::string> ids;
  std::string next_page_token;  // empty: the last page
};
// One page of a model list in the protocol's shape: Chat `data[].id`; Messages `data[].id` with
// has_more/last_id; Gemini `models[].name` without "models/", only models whose
// supportedGenerationMethods include generateContent (all when the field is absent), with
// nextPageToken. InvalidArgument "the answer is not a model list" when the body is not one.
absl::StatusOr<ModelPage> ParseModelPage(routing::Protocol protocol, std::string_view body);

// The vision verdict from the answer to a kImage request: 2xx -> kYes; a 4xx (other than auth,
// timeout and rate limits) whose error message mentions image, vision, multimodal or unsupported
// content -> kNo; anything else -> kUnknown.
routing::Capability ClassifyVision(int status, std::string_view body);

// Prompt-cache counts from a generate answer's usage: Chat prompt_tokens_details.cached_tokens
// (DeepSeek: prompt_cache_hit_tokens); Messages cache_read_input_tokens and
// cache_creation_input_tokens; Gemini usageMetadata.cachedContentTokenCount.
struct CacheCounts {
  bool usage = false;  // the answer carried a usage object
  int64_t read = 0;
  int64_t written = 0;
};
CacheCounts ParseCacheCounts(routing::Protocol protocol, std::string_view body);

// The provider's own error message from an error body (any protocol's shape), shortened and
// with every secret replaced by its masked form. Always valid UTF-8 (a proto string must be).
std::string ProviderMessage(std::string_view body, const std::vector<std::string>& secrets);
// The start of a body, up to `max` bytes, the same way: scrubbed, cut, valid UTF-8.
std::string BodySnippet(std::string_view body, size_t max, const std::vector<std::string>& secrets);
// `s` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string ValidUtf8(std::string_view s);
// `text` with every secret (of 4 characters or more) replaced by its masked form.
std::string Scrub(std::string text, const std::vector<std::string>& secrets);

// Unreserved characters kept, everything else %XX (for page tokens in a query).
std::string PercentEncode(std::string_view s);

}  // namespace agentgate::probe
