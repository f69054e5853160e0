// Context-length errors: every provider says "the prompt does not fit" in its own words; each
// client acts only on its own (Claude Code compacts on "prompt is too long: N tokens > M
// maximum", Codex on code context_length_exceeded). Recognised here, re-coded by the client
// codec (client_codecs.h). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace agentgate::protocol {

struct ContextOverflow {
  int64_t tokens = 0;  // the prompt's size as the provider counted it (0: not said)
  int64_t limit = 0;   // the model's maximum (0: not said)
};

// The overflow a provider's error answer (status >= 400) reports, whatever its protocol:
// Anthropic "prompt is too long: 213462 tokens > 200000 maximum", OpenAI code
// context_length_exceeded / "maximum context length is N tokens … resulted in M tokens", Gemini
// "The input token count (N) exceeds the maximum number of tokens allowed (M)", DeepSeek/Kimi
// "the messages length exceeds the maximum", vLLM, Together, Fireworks, OpenRouter phrasing…
// nullopt for any other error (a rate limit that mentions tokens is not an overflow).
std::optional<ContextOverflow> DetectContextOverflow(int status, std::string_view body);

}  // namespace agentgate::protocol
