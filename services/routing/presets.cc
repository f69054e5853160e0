#include "services/routing/presets.h"

#include "services/common/strings.h"

namespace agentgate::routing {

const std::vector<ProviderPreset>& AllPresets() {
  // Default models are current (December 2026) and in the built-in price table (a test holds
  // both); base URLs and key prefixes from the providers' docs as gathered in
  // ../shared/reference/provider-rules.md and the presets research of the same month.
  static const auto* kPresets = new std::vector<ProviderPreset>{
      {"deepseek", "DeepSeek", Protocol::kOpenAiChat, "https://api.deepseek.com", "deepseek-v4-pro",
       true, "https://api.deepseek.com/anthropic"},
      // Official ChatGPT accounts (agentgatectl account import): the Codex backend, Responses
      // only; its keys are the accounts' access tokens.
      {"chatgpt", "ChatGPT accounts (official)", Protocol::kOpenAiResponses,
       "https://chatgpt.com/backend-api/codex", "gpt-6-astra", true, "", "", false, true},
      {"openai", "OpenAI", Protocol::kOpenAiChat, "https://api.openai.com/v1", "gpt-6.2-sol", true,
       "", "https://api.openai.com/v1"},
      // The v1 API (GA since 2025-08) at https://{resource}.openai.azure.com/openai/v1, the model
      // being the deployment's name; a base URL .../openai/deployments/{deployment} is served the
      // older way (api-version in the query). Keys go in the api-key header.
      {"azure_openai", "Azure OpenAI", Protocol::kOpenAiChat, "", "gpt-6.2-sol", true},
      {"anthropic", "Anthropic", Protocol::kAnthropicMessages, "https://api.anthropic.com",
       "claude-sonnet-5-5", true},
      {"google_gemini", "Google Gemini", Protocol::kGemini,
       "https://generativelanguage.googleapis.com", "gemini-3.8-flash", true},
      {"kimi", "Kimi (Moonshot)", Protocol::kOpenAiChat, "https://api.moonshot.ai/v1", "kimi-k3",
       true, "https://api.moonshot.ai/anthropic"},
      // The Kimi Code subscription: sk-kimi- keys, its own host, one model id tracking the newest.
      {"kimi_code", "Kimi Code", Protocol::kOpenAiChat, "https://api.kimi.com/coding/v1",
       "kimi-for-coding", true, "https://api.kimi.com/coding"},
      {"minimax", "MiniMax", Protocol::kOpenAiChat, "https://api.minimax.io/v1", "MiniMax-M3", true,
       "https://api.minimax.io/anthropic", "https://api.minimax.io/v1"},
      {"zhipu", "Zhipu GLM (China)", Protocol::kOpenAiChat, "https://open.bigmodel.cn/api/paas/v4",
       "glm-5.3", true, "https://open.bigmodel.cn/api/anthropic"},
      {"zai", "Z.ai GLM", Protocol::kOpenAiChat, "https://api.z.ai/api/paas/v4", "glm-5.3", true,
       "https://api.z.ai/api/anthropic"},
      {"dashscope", "Alibaba DashScope (Qwen, China)", Protocol::kOpenAiChat,
       "https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen3.8-max", true,
       "https://dashscope.aliyuncs.com/apps/anthropic"},
      {"dashscope_intl", "Alibaba Model Studio (Qwen, international)", Protocol::kOpenAiChat,
       "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "qwen3.8-max", true,
       "https://dashscope-intl.aliyuncs.com/apps/anthropic"},
      {"volcengine", "Volcengine Ark (Doubao)", Protocol::kOpenAiChat,
       "https://ark.cn-beijing.volces.com/api/v3", "doubao-seed-2-1-pro-260915", true},
      {"siliconflow", "SiliconFlow", Protocol::kOpenAiChat, "https://api.siliconflow.cn/v1",
       "deepseek-ai/DeepSeek-V4-Pro", true},
      {"groq", "Groq", Protocol::kOpenAiChat, "https://api.groq.com/openai/v1",
       "openai/gpt-oss-120b", true},
      {"together", "Together AI", Protocol::kOpenAiChat, "https://api.together.xyz/v1",
       "zai-org/GLM-5.3", true},
      {"fireworks", "Fireworks AI", Protocol::kOpenAiChat, "https://api.fireworks.ai/inference/v1",
       "accounts/fireworks/models/glm-5p3", true, "https://api.fireworks.ai/inference"},
      {"xai", "xAI", Protocol::kOpenAiChat, "https://api.x.ai/v1", "grok-build-0.1", true, "",
       "https://api.x.ai/v1"},
      {"mistral", "Mistral", Protocol::kOpenAiChat, "https://api.mistral.ai/v1", "devstral-2512",
       true},
      {"openrouter", "OpenRouter", Protocol::kOpenAiChat, "https://openrouter.ai/api/v1",
       "anthropic/claude-sonnet-5.5", true, "https://openrouter.ai/api",
       "https://openrouter.ai/api/v1"},
      {"orcarouter", "OrcaRouter", Protocol::kOpenAiChat, "https://api.orcarouter.ai/v1",
       "anthropic/claude-sonnet-5-5", true},
      {"vercel_ai_gateway", "Vercel AI Gateway", Protocol::kOpenAiChat,
       "https://ai-gateway.vercel.sh/v1", "anthropic/claude-sonnet-5.5", true,
       "https://ai-gateway.vercel.sh"},
      {"ollama", "Ollama", Protocol::kOpenAiChat, "http://127.0.0.1:11434/v1", "qwen3-coder", false,
       "", "", /*local=*/true},
      {"lmstudio", "LM Studio", Protocol::kOpenAiChat, "http://127.0.0.1:1234/v1", "", false, "",
       "", /*local=*/true},
      {"vllm", "vLLM", Protocol::kOpenAiChat, "http://127.0.0.1:8000/v1", "", false, "", "",
       /*local=*/true},
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
      {"sk-ant-", "anthropic"},   {"sk-or-", "openrouter"},  {"sk-proj-", "openai"},
      {"sk-svcacct-", "openai"},  {"sk-admin-", "openai"},   {"sk-kimi-", "kimi_code"},
      {"sk-orca-", "orcarouter"}, {"gsk_", "groq"},          {"xai-", "xai"},
      {"fw_", "fireworks"},       {"AIza", "google_gemini"},
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
