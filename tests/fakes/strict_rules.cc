#include "tests/fakes/strict_rules.h"

#include <algorithm>
#include <cctype>

#include "tests/fakes/json_get.h"

namespace agentgate::fakes {
namespace {

namespace json = boost::json;

// The member when it is an array, else nullptr.
const json::array* Array(const json::value& v, std::string_view key) {
  const json::value* f = Get(v, key);
  return f != nullptr && f->is_array() ? &f->get_array() : nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Starts(std::string_view s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Claude's model id without a vendor prefix, "4.7" read as "4-7".
std::string Claude(std::string_view model) {
  std::string m = Lower(model);
  if (size_t slash = m.rfind('/'); slash != std::string::npos) m.erase(0, slash + 1);
  std::replace(m.begin(), m.end(), '.', '-');
  return m;
}

// Adaptive thinking only: Opus 4.7/4.8 and every Claude 5 model (pcd/build-with-claude/
// adaptive-thinking).
bool AdaptiveOnly(std::string_view m) {
  return Starts(m, "claude-opus-4-7") || Starts(m, "claude-opus-4-8") ||
         Starts(m, "claude-opus-5") || Starts(m, "claude-sonnet-5") ||
         Starts(m, "claude-haiku-5") || Starts(m, "claude-fable-") || Starts(m, "claude-mythos-");
}
// Thinking cannot be turned off: Fable, Mythos, Opus 5.5, Sonnet 5.5.
bool AlwaysThinks(std::string_view m) {
  return Starts(m, "claude-fable-") || Starts(m, "claude-mythos-") ||
         Starts(m, "claude-opus-5-5") || Starts(m, "claude-sonnet-5-5");
}
// Thinking on when the request says nothing: Claude 5.
bool ThinksByDefault(std::string_view m) {
  return Starts(m, "claude-opus-5") || Starts(m, "claude-sonnet-5") ||
         Starts(m, "claude-haiku-5") || Starts(m, "claude-fable-") || Starts(m, "claude-mythos-");
}
// Forced tool choice refused even without thinking: Opus 5.5, Sonnet 5.5, Fable, Mythos.
bool NeverForced(std::string_view m) { return AlwaysThinks(m); }

bool Gemini3(std::string_view model) {
  std::string m = Lower(model);
  if (Starts(m, "models/")) m.erase(0, 7);
  return Starts(m, "gemini-3") || Starts(m, "gemini-4");
}

const char kPlaceholderA[] = "skip_thought_signature_validator";
const char kPlaceholderB[] = "context_engineering_is_the_way_to_go";

// A content of the conversation whose parts are only function responses.
bool OnlyFunctionResponses(const json::value& content) {
  const json::array* parts = Array(content, "parts");
  if (parts == nullptr || parts->empty()) return false;
  return std::all_of(parts->begin(), parts->end(),
                     [](const json::value& p) { return Get(p, "functionResponse") != nullptr; });
}

}  // namespace

bool GeminiSigns(std::string_view model) { return Gemini3(model); }

std::string GeminiSignature(std::string_view model, std::string_view call_id) {
  // Opaque to everyone but the fake, as Gemini's are; bound to the model and the call.
  return "fake-thought." + Lower(model) + "." + std::string(call_id);
}

std::optional<Refusal> CheckGemini(std::string_view model, const json::value& body) {
  const bool v3 = Gemini3(model);
  if (const json::value* gc = Get(body, "generationConfig")) {
    if (const json::value* tc = Get(*gc, "thinkingConfig")) {
      // Gemini 3+ take thinkingLevel, 2.5 thinkingBudget; the other is refused with 400
      // (ai.google.dev/gemini-api/docs/thinking; the wording is not documented).
      if (v3 && Get(*tc, "thinkingBudget") != nullptr) {
        return Refusal{400,
                       "thinking_budget is not supported by this model. Use thinking_level "
                       "instead."};
      }
      if (!v3 && Get(*tc, "thinkingLevel") != nullptr) {
        return Refusal{400, "thinking_level is not supported by this model."};
      }
    }
  }
  const json::array* contents = Array(body, "contents");
  if (contents == nullptr) return std::nullopt;
  // Every response to a call turn in one content, as many as the calls (hermes-agent #46077).
  for (size_t i = 0; i + 1 < contents->size(); ++i) {
    const json::array* parts = Array((*contents)[i], "parts");
    if (parts == nullptr || GetString((*contents)[i], "role") != "model") continue;
    size_t calls = std::count_if(parts->begin(), parts->end(), [](const json::value& p) {
      return Get(p, "functionCall") != nullptr;
    });
    if (calls == 0) continue;
    const json::array* next = Array((*contents)[i + 1], "parts");
    size_t responses =
        next == nullptr ? 0 : std::count_if(next->begin(), next->end(), [](const json::value& p) {
          return Get(p, "functionResponse") != nullptr;
        });
    if (responses != 0 && responses != calls) {
      return Refusal{400,
                     "Please ensure that the number of function response parts is equal to the "
                     "number of function call parts of the function call turn."};
    }
  }
  if (!v3) return std::nullopt;
  // The current turn: every model step since the last user content with more than function
  // responses. The first call of each step must carry its signature (ai.google.dev/gemini-api/
  // docs/thought-signatures).
  size_t start = 0;
  for (size_t i = 0; i < contents->size(); ++i) {
    const json::value& c = (*contents)[i];
    if (GetString(c, "role") != "model" && !OnlyFunctionResponses(c)) start = i;
  }
  for (size_t i = start; i < contents->size(); ++i) {
    const json::value& c = (*contents)[i];
    if (GetString(c, "role") != "model") continue;
    const json::array* parts = Array(c, "parts");
    if (parts == nullptr) continue;
    bool first = true;
    for (const json::value& p : *parts) {
      const json::value* fc = Get(p, "functionCall");
      if (fc == nullptr) continue;
      std::string sig = GetString(p, "thoughtSignature");
      if (first && sig.empty()) {
        return Refusal{400,
                       "Function call is missing a thought_signature in functionCall parts. This "
                       "is required for tools to work correctly, and missing thought_signature "
                       "may lead to degraded model performance. Additional data, function call "
                       "`default_api:" +
                           GetString(*fc, "name") + "` , position " + std::to_string(i + 1) +
                           ". Please refer to https://ai.google.dev/gemini-api/docs/"
                           "thought-signatures for more details."};
      }
      if (!sig.empty() && sig != kPlaceholderA && sig != kPlaceholderB &&
          sig != GeminiSignature(model, GetString(*fc, "id"))) {
        return Refusal{400, "Corrupted thought signature."};
      }
      first = false;
    }
  }
  return std::nullopt;
}

bool MessagesThinks(const json::value& body) {
  const std::string m = Claude(GetString(body, "model"));
  const json::value* thinking = Get(body, "thinking");
  const std::string type = thinking != nullptr ? GetString(*thinking, "type") : "";
  if (type == "enabled" || type == "adaptive") return true;
  if (type == "disabled") return false;
  return ThinksByDefault(m);
}

std::string MessagesThinkingSignature(std::string_view model) {
  return GeminiSignature(model, "thinking");
}

std::optional<Refusal> CheckMessages(const json::value& body) {
  const std::string m = Claude(GetString(body, "model"));
  if (!Starts(m, "claude-")) return std::nullopt;
  const json::value* thinking = Get(body, "thinking");
  const std::string type = thinking != nullptr ? GetString(*thinking, "type") : "";
  if (type == "enabled" && AdaptiveOnly(m)) {
    return Refusal{400,
                   "\"thinking.type.enabled\" is not supported for this model. Use "
                   "\"thinking.type.adaptive\" and \"output_config.effort\" to control thinking "
                   "behavior."};
  }
  if (type == "disabled" && AlwaysThinks(m)) {
    return Refusal{400, "\"thinking.type.disabled\" is not supported for this model."};
  }
  if (type == "adaptive" && !AdaptiveOnly(m) && !Starts(m, "claude-opus-4-6") &&
      !Starts(m, "claude-sonnet-4-6")) {
    return Refusal{400, "adaptive thinking is not supported on this model"};  // wording unknown
  }
  // Sampling settings on the newest models (simstudioai/sim#5328).
  if (AdaptiveOnly(m)) {
    for (const char* k : {"temperature", "top_p", "top_k"}) {
      if (Get(body, k) != nullptr) {
        return Refusal{400, std::string("`") + k + "` is deprecated for this model."};
      }
    }
  }
  const json::value* choice = Get(body, "tool_choice");
  const std::string forced = choice != nullptr ? GetString(*choice, "type") : "";
  if (forced == "any" || forced == "tool") {
    if (NeverForced(m)) {
      return Refusal{400,
                     "tool_choice: type \"tool\" and \"any\" are not supported for this model."};
    }
    if (MessagesThinks(body)) {
      return Refusal{400, "Thinking may not be enabled when tool_choice forces tool use."};
    }
  }
  if (const json::value* mt = Get(body, "max_tokens"); mt != nullptr && mt->is_int64()) {
    const int64_t limit = Starts(m, "claude-haiku-4-5") ? 64000 : 128000;
    if (mt->get_int64() > limit) {
      return Refusal{400, "max_tokens: " + std::to_string(mt->get_int64()) + " > " +
                              std::to_string(limit) +
                              ", which is the maximum allowed number of output tokens for " +
                              GetString(body, "model")};
    }
  }
  // A thinking block comes back byte for byte, to the model that signed it
  // (pcd/build-with-claude/preserved-thinking).
  if (const json::array* messages = Array(body, "messages")) {
    for (size_t i = 0; i < messages->size(); ++i) {
      const json::array* content = Array((*messages)[i], "content");
      if (content == nullptr) continue;
      for (size_t j = 0; j < content->size(); ++j) {
        if (GetString((*content)[j], "type") != "thinking") continue;
        if (GetString((*content)[j], "signature") !=
            MessagesThinkingSignature(GetString(body, "model"))) {
          return Refusal{400, "messages." + std::to_string(i) + ".content." + std::to_string(j) +
                                  ": Invalid `signature` in `thinking` block"};
        }
      }
    }
  }
  // With thinking on, the assistant turn that a request's tool results answer must open with its
  // thinking block.
  if (MessagesThinks(body)) {
    const json::array* messages = Array(body, "messages");
    if (messages != nullptr) {
      for (size_t i = messages->size(); i-- > 0;) {
        const json::value& msg = (*messages)[i];
        if (GetString(msg, "role") != "assistant") continue;
        const json::array* content = Array(msg, "content");
        if (content == nullptr || content->empty()) break;
        bool uses = std::any_of(content->begin(), content->end(), [](const json::value& b) {
          return GetString(b, "type") == "tool_use";
        });
        std::string first = GetString(content->front(), "type");
        if (uses && first != "thinking" && first != "redacted_thinking") {
          return Refusal{400, "messages." + std::to_string(i) +
                                  ".content.0.type: Expected `thinking` or `redacted_thinking`, "
                                  "but found `" +
                                  first +
                                  "`. When `thinking` is enabled, a final `assistant` message "
                                  "must start with a thinking block (preceeding the lastmost set "
                                  "of `tool_use` and `tool_result` blocks). We recommend you "
                                  "include thinking blocks from previous turns."};
        }
        break;
      }
    }
  }
  return std::nullopt;
}

bool DeepSeekThinks(const json::value& body) {
  const std::string m = Lower(GetString(body, "model"));
  if (!Starts(m, "deepseek-v4")) return false;
  const json::value* thinking = Get(body, "thinking");
  // Reports disagree on the default: the fake takes the strict one (on).
  return thinking == nullptr || GetString(*thinking, "type") != "disabled";
}

std::optional<Refusal> CheckChat(const json::value& body) {
  // DashScope (Alibaba Model Studio): QwQ and QVQ answer only streaming requests. The wording
  // is the one users report (e.g. infiniflow/ragflow#5912, code invalid_parameter_error).
  const std::string model = Lower(GetString(body, "model"));
  if (Starts(model, "qwq-") || Starts(model, "qvq-")) {
    const json::value* stream = Get(body, "stream");
    if (stream == nullptr || !stream->is_bool() || !stream->get_bool()) {
      return Refusal{400,
                     "This model only support stream mode, please enable the stream parameter to "
                     "access the model. "};
    }
  }
  if (!DeepSeekThinks(body)) return std::nullopt;
  // api-docs.deepseek.com/guides/thinking_mode: in thinking mode every earlier assistant
  // message with tool_calls keeps its reasoning_content.
  if (const json::array* messages = Array(body, "messages")) {
    for (const json::value& msg : *messages) {
      if (GetString(msg, "role") != "assistant" || Get(msg, "tool_calls") == nullptr) continue;
      if (Get(msg, "reasoning_content") == nullptr) {
        return Refusal{
            400, "The reasoning_content in the thinking mode must be passed back to the API."};
      }
    }
  }
  return std::nullopt;
}

}  // namespace agentgate::fakes
