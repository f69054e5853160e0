#include "services/protocol/provider_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"

namespace agentgate::protocol {
namespace {

struct Entry {
  std::string_view prefix;  // of the normalized name; the first entry that matches wins
  ModelRules rules;
};

constexpr std::string_view kClaudeEfforts = "low medium high xhigh max";  // Opus 4.7 on
constexpr int64_t k1M = 1'000'000;

// Claude models that think adaptively and cannot be turned off (Fable, Mythos, Opus 5.5,
// Sonnet 5.5, Haiku 5.5): "disabled" and "enabled"+budget → 400, sampling → 400
// ("`temperature` is deprecated for this model."), forced tool choice → 400 even without
// thinking, assistant prefill refused. Read 2026-12 from platform.claude.com/docs/en/models/
// overview, /build-with-claude/adaptive-thinking, /models/sonnet-5-5/migration-guide; the
// forced-tool rule from github.com/vercel/ai/issues/21364.
constexpr ModelRules ClaudeAlwaysAdaptive(std::string_view default_effort) {
  ModelRules r;
  r.family = Family::kAnthropic;
  r.thinking = ThinkingForm::kEffort;
  r.thinks_by_default = true;
  r.off = ThinkingOff::kLowest;
  r.efforts = kClaudeEfforts;
  r.default_effort = default_effort;
  r.sampling = false;
  r.sampling_with_thinking = false;
  r.top_k_with_thinking = false;
  r.forced_tools = ForcedTools::kNever;
  r.prefill = false;
  r.display_summarized = true;
  r.max_output = 128'000;
  r.context_window = k1M;
  return r;
}

// Claude 5 (Opus 5, Sonnet 5): adaptive when thinking is omitted, "disabled" turns it off,
// "enabled"+budget → 400, sampling → 400, forced tool choice refused while thinking.
constexpr ModelRules Claude5(bool prefill) {
  ModelRules r = ClaudeAlwaysAdaptive("");
  r.off = ThinkingOff::kDisabled;
  r.forced_tools = ForcedTools::kNotWithThinking;
  r.prefill = prefill;
  return r;
}

// Opus 4.7 / 4.8: adaptive only ("enabled" → 400), off when omitted ("disabled" refused on
// Bedrock: omit instead), thinking text omitted unless display "summarized", sampling → 400.
constexpr ModelRules ClaudeOpus47() {
  ModelRules r = ClaudeAlwaysAdaptive("");
  r.thinks_by_default = false;
  r.off = ThinkingOff::kOmit;
  r.forced_tools = ForcedTools::kNotWithThinking;
  r.prefill = true;
  r.context_window = k1M;
  return r;
}

// Opus 4.6 / Sonnet 4.6: adaptive (low…max, no xhigh) or the deprecated budget; sampling allowed
// but top_k not with thinking ("top_k must be unset when thinking is enabled or in adaptive mode").
constexpr ModelRules Claude46() {
  ModelRules r;
  r.family = Family::kAnthropic;
  r.thinking = ThinkingForm::kEffort;
  r.efforts = "low medium high max";
  r.top_k_with_thinking = false;
  r.sampling_with_thinking = false;
  r.forced_tools = ForcedTools::kNotWithThinking;
  r.max_output = 128'000;
  r.context_window = k1M;
  return r;
}

// Claude 3.7 and 4.x up to 4.5 (Haiku 4.5: 200K/64K): thinking by budget only.
constexpr ModelRules ClaudeBudget(int64_t max_output, int64_t context) {
  ModelRules r;
  r.family = Family::kAnthropic;
  r.thinking = ThinkingForm::kBudget;
  r.top_k_with_thinking = false;
  r.sampling_with_thinking = false;
  r.forced_tools = ForcedTools::kNotWithThinking;
  r.max_output = max_output;
  r.context_window = context;
  return r;
}

// Gemini 3 and later: thinkingLevel (a budget → 400), thinking cannot be turned off (the lowest
// level instead), and every function call of the current turn must come back with its
// thoughtSignature. Read 2026-12 from ai.google.dev/gemini-api/docs/thought-signatures and
// /generate-content/latest-model.
constexpr ModelRules Gemini3(std::string_view efforts, std::string_view default_effort) {
  ModelRules r;
  r.family = Family::kGemini;
  r.thinking = ThinkingForm::kEffort;
  r.thinks_by_default = true;
  r.off = ThinkingOff::kLowest;
  r.efforts = efforts;
  r.default_effort = default_effort;
  r.thought_signatures = true;
  r.max_output = 65'536;
  r.context_window = 1'048'576;
  return r;
}

// Gemini 2.5: thinkingBudget (a level → 400); Flash turns off with 0, Pro cannot.
constexpr ModelRules Gemini25(bool can_turn_off) {
  ModelRules r;
  r.family = Family::kGemini;
  r.thinking = ThinkingForm::kBudget;
  r.thinks_by_default = true;
  r.off = can_turn_off ? ThinkingOff::kDisabled : ThinkingOff::kLowest;
  r.max_output = 65'536;
  r.context_window = 1'048'576;
  return r;
}

// OpenAI GPT-5.6 and later on Chat Completions: function tools only with reasoning_effort
// "none"; temperature/top_p only at effort none. 1.05M context, 128K output. Read 2026-12 from
// developers.openai.com/api/docs/models; github.com/itzcrazykns/vane/issues/1173.
constexpr ModelRules OpenAiReasoning(std::string_view efforts, bool can_turn_off) {
  ModelRules r;
  r.family = Family::kOpenAi;
  r.thinking = ThinkingForm::kEffort;
  r.thinks_by_default = true;
  r.off = can_turn_off ? ThinkingOff::kDisabled : ThinkingOff::kLowest;
  r.efforts = efforts;
  r.sampling_with_thinking = false;
  r.chat_tools_without_effort = true;
  r.max_output = 128'000;
  r.context_window = 1'050'000;
  return r;
}

// OpenAI's earlier reasoning models (GPT-5 up to 5.5, o-series): reasoning_effort as the client
// names it; temperature / top_p only without it.
constexpr ModelRules OpenAiEffort() {
  ModelRules r;
  r.family = Family::kOpenAi;
  r.thinking = ThinkingForm::kEffort;
  r.sampling_with_thinking = false;
  return r;
}

// DeepSeek V4: thinking {"type":"enabled"|"disabled"} + reasoning_effort high|max (reports
// disagree on the default: always sent); in thinking mode every earlier assistant message with
// tool_calls must keep its reasoning_content ("The reasoning_content in the thinking mode must
// be passed back to the API."); text only; max_tokens ≤ 393216. Read 2026-12 from
// api-docs.deepseek.com/guides/thinking_mode.
constexpr ModelRules DeepSeekV4(bool vision) {
  ModelRules r;
  r.family = Family::kDeepSeek;
  r.thinking = ThinkingForm::kToggle;
  r.thinks_by_default = true;
  r.off = ThinkingOff::kDisabled;
  r.efforts = "high max";
  r.reasoning_replay = true;
  r.vision = vision;
  r.max_output = 393'216;
  r.context_window = k1M;
  return r;
}

// Kimi: temperature, top_p, n and penalties are fixed (other values error: omitted);
// reasoning_content replayed verbatim (required on K3 and k2.7-code); tool_choice "required"
// errors on k2.6 / k2.7-code. Read 2026-12 from platform.moonshot.ai (via juspay/neurolink
// docs/getting-started/providers/moonshot-ai.md).
constexpr ModelRules Kimi(ThinkingForm form, ThinkingOff off, bool replay, ForcedTools forced,
                          int64_t context) {
  ModelRules r;
  r.family = Family::kKimi;
  r.thinking = form;
  r.thinks_by_default = true;
  r.off = off;
  r.sampling = false;
  r.sampling_with_thinking = false;
  r.reasoning_replay = replay;
  r.forced_tools = forced;
  r.context_window = context;
  return r;
}

// GLM 5.x thinks by default, only tool_choice "auto" (reported); 5.3 refuses "disabled".
// Read 2026-12 from java.agentscope.io/v2/en/integration/model/glm.
constexpr ModelRules Glm5(bool can_turn_off) {
  ModelRules r;
  r.family = Family::kGlm;
  r.thinking = ThinkingForm::kToggle;
  r.thinks_by_default = true;
  r.off = can_turn_off ? ThinkingOff::kDisabled : ThinkingOff::kLowest;
  r.forced_tools = ForcedTools::kNever;
  return r;
}

constexpr ModelRules FamilyOnly(Family f) {
  ModelRules r;
  r.family = f;
  return r;
}

// MiniMax M3 thinks adaptively unless thinking {"type":"disabled"}; M2.x always thinks.
// Read 2026-12 from platform.minimax.io/docs/api-reference/text-openai-api.
constexpr ModelRules MiniMax(bool toggle) {
  ModelRules r;
  r.family = Family::kMiniMax;
  r.thinking = toggle ? ThinkingForm::kToggle : ThinkingForm::kNone;
  r.thinks_by_default = true;
  r.off = toggle ? ThinkingOff::kDisabled : ThinkingOff::kLowest;
  return r;
}

const std::vector<Entry>& Table() {
  static const std::vector<Entry> kTable = {
      // Anthropic (names with "4.7" read as "4-7").
      {"claude-fable-5", ClaudeAlwaysAdaptive("high")},
      {"claude-mythos-5", ClaudeAlwaysAdaptive("high")},
      {"claude-opus-5-5", ClaudeAlwaysAdaptive("medium")},
      {"claude-sonnet-5-5", ClaudeAlwaysAdaptive("high")},
      {"claude-haiku-5-5", ClaudeAlwaysAdaptive("medium")},  // off/forced unconfirmed: strictest
      {"claude-opus-5", Claude5(/*prefill=*/false)},
      {"claude-sonnet-5", Claude5(/*prefill=*/true)},
      {"claude-opus-4-8", ClaudeOpus47()},
      {"claude-opus-4-7", ClaudeOpus47()},
      {"claude-opus-4-6", Claude46()},
      {"claude-sonnet-4-6", Claude46()},
      {"claude-haiku-4-5", ClaudeBudget(64'000, 200'000)},
      {"claude-opus-4", ClaudeBudget(32'000, 200'000)},
      {"claude-sonnet-4", ClaudeBudget(64'000, 200'000)},
      {"claude-3-7-sonnet", ClaudeBudget(64'000, 200'000)},
      {"claude-3", FamilyOnly(Family::kAnthropic)},
      // Gemini. No "minimal" on Gemini 4, 3.8 Flash and 3.1 Pro; "xhigh" only on Neon/Hydrogen.
      {"gemini-4-neon", Gemini3("low medium high xhigh", "high")},
      {"gemini-4-hydrogen", Gemini3("low medium high xhigh", "high")},
      {"gemini-4", Gemini3("low medium high", "medium")},
      {"gemini-3.8-flash", Gemini3("low medium high", "")},
      {"gemini-3.1-pro", Gemini3("low medium high", "")},
      {"gemini-3", Gemini3("minimal low medium high", "")},
      {"gemini-2.5-pro", Gemini25(/*can_turn_off=*/false)},
      {"gemini-2.5", Gemini25(/*can_turn_off=*/true)},
      {"gemini-2", FamilyOnly(Family::kGemini)},
      {"gemini-1", FamilyOnly(Family::kGemini)},
      // OpenAI: 6.2 Astra/Sol have no effort "none".
      {"gpt-6.2-astra", OpenAiReasoning("low medium high xhigh max", false)},
      {"gpt-6.2-sol", OpenAiReasoning("low medium high xhigh max", false)},
      {"gpt-6", OpenAiReasoning("none low medium high xhigh max", true)},
      {"gpt-5.6", OpenAiReasoning("none low medium high xhigh max", true)},
      {"gpt-5", OpenAiEffort()},
      {"o1", OpenAiEffort()},
      {"o3", OpenAiEffort()},
      {"o4", OpenAiEffort()},
      {"gpt-4", FamilyOnly(Family::kOpenAi)},
      {"gpt-3", FamilyOnly(Family::kOpenAi)},
      {"gpt-", OpenAiReasoning("none low medium high xhigh max", true)},
      // DeepSeek: deepseek-chat / deepseek-reasoner were retired on 2026-07-24.
      {"deepseek-v4.1-flash", DeepSeekV4(/*vision=*/true)},
      {"deepseek-v4", DeepSeekV4(/*vision=*/false)},
      {"deepseek-chat", FamilyOnly(Family::kDeepSeek)},
      {"deepseek-reasoner", FamilyOnly(Family::kDeepSeek)},
      {"deepseek-", DeepSeekV4(/*vision=*/false)},
      // Kimi.
      {"kimi-k3",
       Kimi(ThinkingForm::kEffort, ThinkingOff::kLowest, true, ForcedTools::kAllowed, k1M)},
      {"kimi-k2.7-code",
       Kimi(ThinkingForm::kNone, ThinkingOff::kLowest, true, ForcedTools::kNever, 262'144)},
      {"kimi-k2.6",
       Kimi(ThinkingForm::kToggle, ThinkingOff::kDisabled, false, ForcedTools::kNever, 262'144)},
      {"kimi-k2",
       Kimi(ThinkingForm::kToggle, ThinkingOff::kDisabled, false, ForcedTools::kAllowed, 262'144)},
      {"kimi-",
       Kimi(ThinkingForm::kEffort, ThinkingOff::kLowest, true, ForcedTools::kAllowed, k1M)},
      // GLM.
      {"glm-5.3", Glm5(/*can_turn_off=*/false)},
      {"glm-5", Glm5(/*can_turn_off=*/true)},
      {"glm-", FamilyOnly(Family::kGlm)},
      // MiniMax.
      {"minimax-m3", MiniMax(/*toggle=*/true)},
      {"minimax-", MiniMax(/*toggle=*/false)},
      // Qwen: enable_thinking is DashScope's own and not sent.
      {"qwen", FamilyOnly(Family::kQwen)},
  };
  return kTable;
}

// The first number in `name` ("claude-opus-6" → 6), or -1.
int MajorVersion(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(name[i]))) {
      int v = 0;
      while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) && v < 1000) {
        v = v * 10 + (name[i++] - '0');
      }
      return v;
    }
  }
  return -1;
}

std::vector<std::string_view> Levels(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    size_t sp = list.find(' ');
    out.push_back(list.substr(0, sp));
    if (sp == std::string_view::npos) break;
    list.remove_prefix(sp + 1);
  }
  return out;
}

// Where a level sits on one common scale, for mapping between lists.
int Rank(std::string_view level) {
  constexpr std::array<std::string_view, 7> kScale = {"none", "minimal", "low", "medium",
                                                      "high", "xhigh",   "max"};
  for (size_t i = 0; i < kScale.size(); ++i) {
    if (kScale[i] == level) return static_cast<int>(i);
  }
  return 3;  // an unknown word: medium
}

}  // namespace

std::string NormalizeModelName(std::string_view model) {
  if (size_t slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  if (size_t at = model.find('@'); at != std::string_view::npos) model = model.substr(0, at);
  std::string out = absl::AsciiStrToLower(absl::string_view(model.data(), model.size()));
  if (out.rfind("anthropic.", 0) == 0) out.erase(0, 10);
  if (out.rfind("claude-", 0) == 0) std::replace(out.begin(), out.end(), '.', '-');
  return out;
}

const ModelRules& RulesFor(std::string_view model) {
  const std::string name = NormalizeModelName(model);
  for (const Entry& e : Table()) {
    if (name.rfind(e.prefix, 0) == 0) return e.rules;
  }
  // A Claude or Gemini newer than the table is most like the newest: the strictest rules.
  static const ModelRules kNewerClaude = ClaudeAlwaysAdaptive("");
  static const ModelRules kNewerGemini = Gemini3("low medium high", "");
  static const ModelRules kOther;
  if (name.rfind("claude-", 0) == 0 && MajorVersion(name) >= 5) return kNewerClaude;
  if (name.rfind("gemini-", 0) == 0 && MajorVersion(name) >= 3) return kNewerGemini;
  return kOther;
}

std::string ClientEffort(std::string_view word) {
  const std::string w = absl::AsciiStrToLower(absl::string_view(word.data(), word.size()));
  if (w.empty() || w == "none") return {};
  for (std::string_view known : {"minimal", "low", "medium", "high", "xhigh", "max"}) {
    if (w == known) return w;
  }
  return "medium";
}

std::string ClassicEffort(std::string_view effort) {
  if (effort == "minimal") return "low";
  if (effort == "xhigh" || effort == "max") return "high";
  return std::string(effort);
}

std::string EffortFor(const ModelRules& rules, std::string_view requested) {
  if (requested.empty()) return std::string(rules.default_effort);
  std::vector<std::string_view> levels = Levels(rules.efforts);
  if (levels.empty()) return std::string(requested);
  const int want = Rank(requested);
  // The highest level at or below what was asked, else the lowest there is.
  std::string_view best = levels.front();
  for (std::string_view l : levels) {
    if (Rank(l) <= want) best = l;
  }
  return std::string(best);
}

std::string EffortForBudget(const ModelRules& rules, int64_t budget) {
  std::string_view level = budget <= 4096    ? "low"
                           : budget <= 16384 ? "medium"
                           : budget <= 32768 ? "high"
                                             : "max";
  return EffortFor(rules, level);
}

}  // namespace agentgate::protocol
