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

std::string GeneratePath(Protocol api, const Url& base, std::string_view model, bool stream) {
  switch (api) {
    case Protocol::kOpenAiChat:
      break;
    case Protocol::kOpenAiResponses:
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
  return OpenAiPath(base, "/chat/completions");
}

std::pair<std::string_view, std::string> KeyHeader(Protocol api, std::string_view key) {
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
