#include "services/routing/endpoints.h"

namespace agentgate::routing {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string MessagesPath(const Url& base) {
  if (EndsWith(base.path, "/v1")) return base.path + "/messages";
  return base.path + "/v1/messages";
}

std::string GeminiPrefix(const Url& base) {
  std::string_view prefix = base.path;
  if (EndsWith(prefix, "/v1beta")) prefix.remove_suffix(7);
  return std::string(prefix);
}

bool IsAzureOpenAi(const Url& base) {
  return EndsWith(base.host, ".openai.azure.com") ||
         EndsWith(base.host, ".cognitiveservices.azure.com") ||
         EndsWith(base.host, ".services.ai.azure.com");
}

std::string GeneratePath(Protocol api, const Url& base, std::string_view model, bool stream) {
  const bool deployment = base.path.find("/openai/deployments/") != std::string::npos;
  switch (api) {
    case Protocol::kOpenAiChat:
      break;
    case Protocol::kOpenAiResponses:
      if (deployment) return base.path + "/responses?api-version=" + std::string(kAzureApiVersion);
      return OpenAiPath(base, "/responses");
    case Protocol::kAnthropicMessages:
      return MessagesPath(base);
    case Protocol::kGemini: {
      std::string path = GeminiPrefix(base);
      path += "/v1beta/models/";
      path += PathSegment(model);
      path += stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
      return path;
    }
  }
  if (deployment) {
    return base.path + "/chat/completions?api-version=" + std::string(kAzureApiVersion);
  }
  return OpenAiPath(base, "/chat/completions");
}

std::pair<std::string_view, std::string> KeyHeader(Protocol api, std::string_view key,
                                                   const Url* base) {
  if (base != nullptr && IsAzureOpenAi(*base) &&
      (api == Protocol::kOpenAiChat || api == Protocol::kOpenAiResponses)) {
    return {"api-key", std::string(key)};
  }
  switch (api) {
    case Protocol::kAnthropicMessages:
      return {"x-api-key", std::string(key)};
    case Protocol::kGemini:
      return {"x-goog-api-key", std::string(key)};
    case Protocol::kOpenAiChat:
    case Protocol::kOpenAiResponses:
      break;
  }
  return {"authorization", "Bearer " + std::string(key)};
}

}  // namespace agentgate::routing
