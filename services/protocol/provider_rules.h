// What the current models accept, as data: how thinking is asked for and turned off, which
// efforts exist, whether sampling settings and forced tool choice are refused, what must come
// back in the history (reasoning, thought signatures), output and context limits. Looked up by
// model name; the encoders apply them and name what they drop as a conversion loss. Each entry
// says where the rule was read and when (`../shared/reference/provider-rules.md` gathers the
// sources). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agentgate::protocol {

enum class Family { kOther, kAnthropic, kGemini, kOpenAi, kDeepSeek, kKimi, kGlm, kQwen, kMiniMax };

// How thinking is asked for.
enum class ThinkingForm {
  kNone,    // no thinking control: nothing about thinking is sent
  kBudget,  // a token budget (Anthropic {"type":"enabled","budget_tokens"}, Gemini thinkingBudget)
  kEffort,  // a level (Anthropic {"type":"adaptive"} + output_config.effort, Gemini thinkingLevel,
            // OpenAI reasoning_effort)
  kToggle,  // thinking {"type":"enabled"|"disabled"}, plus reasoning_effort when `efforts` lists
            // levels (DeepSeek V4, Kimi, GLM)
};

// How a request says "no thinking".
enum class ThinkingOff {
  kOmit,      // leave thinking out (off when omitted)
  kDisabled,  // send the form's "disabled"
  kLowest,    // thinking cannot be turned off: ask for the lowest effort
};

// Forced tool choice (Anthropic any/tool, OpenAI required/named function).
enum class ForcedTools {
  kAllowed,
  kNotWithThinking,  // refused while thinking is on
  kNever,            // refused always: degraded to auto
};

struct ModelRules {
  Family family = Family::kOther;
  ThinkingForm thinking = ThinkingForm::kNone;
  bool thinks_by_default = false;  // thinking is on when the request says nothing
  ThinkingOff off = ThinkingOff::kOmit;
  // The levels an effort form accepts, lowest first, space-separated ("low medium high max");
  // empty: any level the client names passes (or, for kToggle, no reasoning_effort is sent).
  std::string_view efforts;
  std::string_view default_effort;
  bool sampling = true;                // temperature / top_p / top_k accepted at all
  bool sampling_with_thinking = true;  // temperature / top_p accepted while thinking is on
  bool top_k_with_thinking = true;     // top_k accepted while thinking is on
  ForcedTools forced_tools = ForcedTools::kAllowed;
  bool prefill = true;  // a conversation may end with an assistant message
  // Anthropic 4.7+: thinking text is omitted unless display "summarized" is asked for.
  bool display_summarized = false;
  // Every earlier assistant message with tool calls must carry its reasoning (even empty), or
  // the request is refused (DeepSeek thinking mode, Kimi K3 / k2.7-code).
  bool reasoning_replay = false;
  // Function calls carry a thoughtSignature that must come back on the same part (Gemini 3+).
  bool thought_signatures = false;
  // OpenAI Chat Completions: function tools only with reasoning_effort "none".
  bool chat_tools_without_effort = false;
  bool vision = true;
  int64_t max_output = 0;      // 0: not known
  int64_t context_window = 0;  // 0: not known
};

// The rules of `model` (as a client or a route names it: case, a "vendor/" prefix, "models/",
// Bedrock's "anthropic." and Vertex's "@version" are ignored; Claude's "4.7" is "4-7"). A model
// of a known family that no entry names gets the family's newest rules (a model newer than this
// table is most like the newest one); anything else gets kOther defaults (nothing refused).
const ModelRules& RulesFor(std::string_view model);

// The level of `rules.efforts` nearest to `requested` ("minimal" → the lowest, "xhigh" → the
// highest below it when absent…); `requested` empty → the default effort (or "" when none).
std::string EffortFor(const ModelRules& rules, std::string_view requested);

// The effort a thinking budget stands for (Claude Code and Gemini CLI send budgets): ≤ 4096
// low, ≤ 16384 medium, ≤ 32768 high, above max — mapped onto the model's levels.
std::string EffortForBudget(const ModelRules& rules, int64_t budget);

// A client's effort word as the gateway carries it: none (→ ""), minimal, low, medium, high,
// xhigh, max (any case; the models' own lists then apply); anything else is taken as "medium".
std::string ClientEffort(std::string_view word);

// An effort for a provider with no rules of its own (the classic OpenAI set): minimal → low,
// xhigh and max → high.
std::string ClassicEffort(std::string_view effort);

// The model name as RulesFor reads it.
std::string NormalizeModelName(std::string_view model);

}  // namespace agentgate::protocol
