#include "services/routing/presets.h"

#include "services/common/strings.h"

namespace agentgate::routing {

const std::vector<ProviderPreset>& AllPresets() {
  static const auto* kPresets = new std::vector<ProviderPreset>{
      {"deepseek", "DeepSeek", Protocol::kOpenAiChat, "https://api.deepseek.com", "deepseek-chat",
       true, "https://api.deepseek.com/anthropic"},
      {"openai", "OpenAI", Protocol::kOpenAiChat, "https://api.openai.com/v1", "gpt-4.1", true, "",
       "https://api.openai.com/v1"},
      {"anthropic", "Anthropic", Protocol::kAnthropicMessages, "https://api.anthropic.com",
       "claude-sonnet-4-5", true},
      {"google_gemini", "Google Gemini", Protocol::kGemini,
       "https://generativelanguage.googleapis.com", "gemini-2.5-flash", true},
      {"kimi", "Kimi (Moonshot)", Protocol::kOpenAiChat, "https://api.moonshot.ai/v1",
       "kimi-k2-0905-preview", true, "https://api.moonshot.ai/anthropic"},
      {"minimax", "MiniMax", Protocol::kOpenAiChat, "https://api.minimax.io/v1", "MiniMax-M2", true,
       "https://api.minimax.io/anthropic"},
      {"groq", "Groq", Protocol::kOpenAiChat, "https://api.groq.com/openai/v1",
       "llama-3.3-70b-versatile", true},
      {"together", "Together AI", Protocol::kOpenAiChat, "https://api.together.xyz/v1",
       "meta-llama/Llama-3.3-70B-Instruct-Turbo", true},
      {"xai", "xAI", Protocol::kOpenAiChat, "https://api.x.ai/v1", "grok-4", true},
      {"mistral", "Mistral", Protocol::kOpenAiChat, "https://api.mistral.ai/v1",
       "mistral-large-latest", true},
      {"openrouter", "OpenRouter", Protocol::kOpenAiChat, "https://openrouter.ai/api/v1",
       "openrouter/auto", true},
      {"dashscope", "Alibaba DashScope (Qwen)", Protocol::kOpenAiChat,
       "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus", true},
      {"zhipu", "Zhipu GLM", Protocol::kOpenAiChat, "https://open.bigmodel.cn/api/paas/v4",
       "glm-4.6", true},
      {"siliconflow", "SiliconFlow", Protocol::kOpenAiChat, "https://api.siliconflow.cn/v1",
       "deepseek-ai/DeepSeek-V3", true},
      {"ollama", "Ollama", Protocol::kOpenAiChat, "http://127.0.0.1:11434/v1", "llama3.1", false},
      {"lmstudio", "LM Studio", Protocol::kOpenAiChat, "http://127.0.0.1:1234/v1", "", false},
      {"vllm", "vLLM", Protocol::kOpenAiChat, "http://127.0.0.1:8000/v1", "", false},
      {"custom_openai_compatible", "OpenAI-compatible server", Protocol::kOpenAiChat, "", "",
       false},
  };
  return *kPresets;
}

const ProviderPreset* FindPreset(std::string_view type) {
  for (const auto& p : AllPresets()) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

absl::StatusOr<std::string> DetectTypeFromKey(std::string_view key) {
  struct Prefix {
    std::string_view prefix;
    std::string_view type;
  };
  // Longest, most specific prefixes first.
  static constexpr Prefix kPrefixes[] = {
      {"sk-ant-", "anthropic"},  {"sk-or-", "openrouter"},  {"sk-proj-", "openai"},
      {"sk-svcacct-", "openai"}, {"sk-admin-", "openai"},   {"gsk_", "groq"},
      {"xai-", "xai"},           {"AIza", "google_gemini"},
  };
  for (const auto& p : kPrefixes) {
    if (key.substr(0, p.prefix.size()) == p.prefix) return std::string(p.type);
  }
  // DeepSeek keys are "sk-" and 32 lower-case hex digits.
  if (key.substr(0, 3) == "sk-" && key.size() == 35) {
    bool hex = true;
    for (char c : key.substr(3)) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (hex) return std::string("deepseek");
  }
  if (key.substr(0, 3) == "sk-") {
    return absl::InvalidArgumentError(
        "cannot tell the provider from a plain 'sk-' key (OpenAI, Kimi, MiniMax, DashScope, "
        "SiliconFlow and others use it): pass --type");
  }
  return absl::InvalidArgumentError("unknown key prefix: pass --type");
}

bool IsValidProviderName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

}  // namespace agentgate::routing
