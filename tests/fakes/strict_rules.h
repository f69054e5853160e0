// What the real providers refuse, rule by rule, with their own error text, for the models whose
// names the fake is asked to play (a request to "fake-model" meets none of them). Written from
// the providers' docs as gathered in ../shared/reference/provider-rules.md (December 2026) and
// kept apart from the gateway's own rules table (services/protocol/provider_rules.*), so a
// mistake there is not mirrored here. Where a provider's exact wording is not documented, the
// comment says so; the status always is.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace agentgate::fakes {

struct Refusal {
  int status = 400;
  std::string message;
};

// Gemini generateContent to `model` (from the URL).
std::optional<Refusal> CheckGemini(std::string_view model, const boost::json::value& body);
// Anthropic Messages.
std::optional<Refusal> CheckMessages(const boost::json::value& body);
// Chat Completions (DeepSeek's thinking mode; DashScope's stream-only QwQ and QVQ).
std::optional<Refusal> CheckChat(const boost::json::value& body);

// Gemini 3 and later sign their function calls; the fake's signature for a call is bound to the
// model and the call id, so a signature from another model or call is refused as Gemini does.
bool GeminiSigns(std::string_view model);
std::string GeminiSignature(std::string_view model, std::string_view call_id);

// Thinking is on for this Messages request (explicitly, or by the model's default): the answer
// opens with a signed thinking block.
bool MessagesThinks(const boost::json::value& body);
std::string MessagesThinkingSignature(std::string_view model);

// DeepSeek V4 in thinking mode: answers carry reasoning_content.
bool DeepSeekThinks(const boost::json::value& body);

}  // namespace agentgate::fakes
