// Provider presets: what `--type deepseek` fills in (base URL, protocol, default model), and
// detection of the type from a key's prefix. Pure and constant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/routing/snapshot.h"

namespace agentgate::routing {

struct ProviderPreset {
  std::string_view type;
  std::string_view display_name;
  Protocol protocol;
  std::string_view base_url;  // empty: the user must give one
  std::string_view default_model;
  bool needs_key;
  std::string_view anthropic_url = {};  // the provider's own Messages endpoint, if it has one
  std::string_view responses_url = {};  // the provider's own Responses endpoint, if it has one
  // A server on the user's machine: its requests cost nothing.
  bool local = false;
  // A subscription (official ChatGPT accounts): its requests count against the plan's quota,
  // not in dollars; its keys are the accounts imported into it.
  bool subscription = false;
};

const std::vector<ProviderPreset>& AllPresets();
// nullptr for an unknown type.
const ProviderPreset* FindPreset(std::string_view type);

// The preset type a key's prefix identifies (sk-ant- → anthropic, gsk_ → groq, AIza →
// google_gemini, sk-kimi- → kimi_code, sk-orca- → orcarouter, …). Fails with a message listing the
// candidates when the prefix is ambiguous (a plain "sk-…" may be OpenAI, DeepSeek, Kimi and
// others).
absl::StatusOr<std::string> DetectTypeFromKey(std::string_view key);

// "[A-Za-z0-9._-]{1,64}".
bool IsValidProviderName(std::string_view name);

}  // namespace agentgate::routing
