#include "services/probe/provider_calls.h"

#include <algorithm>
#include <boost/json.hpp>

#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/json_util.h"
#include "services/routing/endpoints.h"
#include "services/routing/presets.h"

namespace agentgate::probe {
namespace {

namespace json = protocol::json;

constexpr std::string_view kPing = "ping";
// The smallest max_output_tokens OpenAI's Responses API takes.
constexpr int kResponsesMinOutputTokens = 16;
// A provider's error message is reported up to this length.
constexpr size_t kMaxMessage = 500;

routing::Protocol FromProto(admin::v1::ProviderProtocol p) {
  switch (p) {
    case admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES:
      return routing::Protocol::kAnthropicMessages;
    case admin::v1::PROVIDER_PROTOCOL_GEMINI:
      return routing::Protocol::kGemini;
    case admin::v1::PROVIDER_PROTOCOL_OPENAI_RESPONSES:
      return routing::Protocol::kOpenAiResponses;
    default:
      return routing::Protocol::kOpenAiChat;
  }
}

// Gemini model ids are sent without the "models/" prefix the list gives them.
std::string_view BareGeminiModel(std::string_view model) {
  constexpr std::string_view kPrefix = "models/";
  if (model.substr(0, kPrefix.size()) == kPrefix) model.remove_prefix(kPrefix.size());
  return model;
}

// `s` cut to at most `max` bytes (on a character boundary, with "…" when cut), valid UTF-8.
std::string CutAt(std::string s, size_t max) {
  if (s.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    s += "…";
  }
  return ValidUtf8(s);
}

boost::json::object ImageDataUrlPart() {
  return boost::json::object{
      {"type", "image_url"},
      {"image_url",
       boost::json::object{{"url", "data:image/png;base64," + std::string(TinyPngBase64())}}}};
}

std::string ChatBody(const ProbeTarget& t, Probe kind) {
  boost::json::array messages;
  if (kind == Probe::kCachedPrompt) {
    messages.push_back(boost::json::object{{"role", "system"}, {"content", CachePromptText()}});
  }
  if (kind == Probe::kImage) {
    boost::json::array content{boost::json::object{{"type", "text"}, {"text", kPing}},
                               ImageDataUrlPart()};
    messages.push_back(boost::json::object{{"role", "user"}, {"content", std::move(content)}});
  } else {
    messages.push_back(boost::json::object{{"role", "user"}, {"content", kPing}});
  }
  boost::json::object body{{"model", t.model}, {"messages", std::move(messages)}};
  body[t.type == "openai" ? "max_completion_tokens" : "max_tokens"] = 1;
  return boost::json::serialize(body);
}

std::string MessagesBody(const ProbeTarget& t, Probe kind) {
  boost::json::object body{{"model", t.model}, {"max_tokens", 1}};
  if (kind == Probe::kCachedPrompt) {
    body["system"] = boost::json::array{
        boost::json::object{{"type", "text"},
                            {"text", CachePromptText()},
                            {"cache_control", boost::json::object{{"type", "ephemeral"}}}}};
  }
  boost::json::value content;
  if (kind == Probe::kImage) {
    boost::json::object source{
        {"type", "base64"}, {"media_type", "image/png"}, {"data", TinyPngBase64()}};
    content =
        boost::json::array{boost::json::object{{"type", "image"}, {"source", std::move(source)}},
                           boost::json::object{{"type", "text"}, {"text", kPing}}};
  } else {
    content = kPing;
  }
  body["messages"] =
      boost::json::array{boost::json::object{{"role", "user"}, {"content", std::move(content)}}};
  return boost::json::serialize(body);
}

std::string ResponsesPingBody(const ProbeTarget& t) {
  boost::json::object body{
      {"model", t.model}, {"input", kPing}, {"max_output_tokens", kResponsesMinOutputTokens}};
  return boost::json::serialize(body);
}

// The extra headers, then the key as `api` sends it (and anthropic-version for Messages).
void AddHeaders(const ProbeTarget& t, routing::Protocol api, HttpCall* call) {
  for (const auto& h : t.extra_headers) call->headers.push_back(h);
  if (!t.key.empty()) {
    auto [name, value] = routing::KeyHeader(api, t.key, &t.base);
    call->headers.emplace_back(name, std::move(value));
  }
  if (api == routing::Protocol::kAnthropicMessages) {
    call->headers.emplace_back("anthropic-version", routing::kAnthropicVersion);
  }
}

std::string GeminiBody(Probe kind) {
  boost::json::array parts;
  if (kind == Probe::kImage) {
    parts.push_back(boost::json::object{
        {"inlineData", boost::json::object{{"mimeType", "image/png"}, {"data", TinyPngBase64()}}}});
  }
  parts.push_back(boost::json::object{{"text", kPing}});
  boost::json::object body{{"contents", boost::json::array{boost::json::object{
                                            {"role", "user"}, {"parts", std::move(parts)}}}},
                           {"generationConfig", boost::json::object{{"maxOutputTokens", 1}}}};
  if (kind == Probe::kCachedPrompt) {
    body["systemInstruction"] = boost::json::object{
        {"parts", boost::json::array{boost::json::object{{"text", CachePromptText()}}}}};
  }
  return boost::json::serialize(body);
}

}  // namespace

absl::StatusOr<ProbeTarget> ResolveTarget(const control::v1::ProviderConfig& p,
                                          std::string_view model, bool need_model) {
  const routing::ProviderPreset* preset = routing::FindPreset(p.type());
  ProbeTarget t;
  t.name = p.name();
  t.type = p.type();
  std::string base = p.base_url();
  if (base.empty() && preset != nullptr) base = std::string(preset->base_url);
  if (base.empty()) {
    return absl::InvalidArgumentError("no base URL: set one (--base-url http://host:port)");
  }
  auto url = routing::ParseUrl(base);
  if (!url.ok()) return url.status();
  t.base = *std::move(url);
  if (p.protocol() != admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED) {
    t.protocol = FromProto(p.protocol());
  } else if (preset != nullptr) {
    t.protocol = preset->protocol;
  }
  for (const auto& k : p.api_keys()) {
    if (k.empty()) continue;
    if (t.key.empty()) t.key = k;
    t.secrets.push_back(k);
  }
  t.key_count = t.secrets.size();
  const bool keyless = preset != nullptr && !preset->needs_key;
  if (t.key.empty() && !keyless) {
    return absl::InvalidArgumentError("no API key: type '" + p.type() +
                                      "' needs one (only local servers such as ollama, "
                                      "lmstudio, vllm and custom_openai_compatible work without)");
  }
  if (!model.empty()) {
    t.model = std::string(model);
  } else if (!p.default_model().empty()) {
    t.model = p.default_model();
  } else if (!p.models().empty()) {
    t.model = p.models(0);
  } else if (preset != nullptr) {
    t.model = std::string(preset->default_model);
  }
  if (need_model && t.model.empty()) {
    return absl::InvalidArgumentError(
        "no model to test with: set a default model (--model) or list the models");
  }
  if (t.protocol == routing::Protocol::kGemini) t.model = std::string(BareGeminiModel(t.model));
  for (const auto& [name, value] : p.extra_headers()) t.extra_headers.emplace_back(name, value);
  std::sort(t.extra_headers.begin(), t.extra_headers.end());
  t.anthropic_url = p.anthropic_url();
  t.responses_url = p.responses_url();
  return t;
}

std::string_view ProtocolName(routing::Protocol p) {
  switch (p) {
    case routing::Protocol::kAnthropicMessages:
      return "messages";
    case routing::Protocol::kGemini:
      return "gemini";
    case routing::Protocol::kOpenAiResponses:
      return "responses";
    default:
      return "chat";
  }
}

std::string DescribeTarget(const ProbeTarget& t) {
  std::string s = (t.type.empty() ? std::string("provider") : t.type) + " " +
                  std::string(ProtocolName(t.protocol)) + " at " + t.base.Origin() + t.base.path;
  if (!t.model.empty()) s += ", model " + t.model;
  s += t.key_count == 0 ? std::string(", no key") : ", key 1 of " + std::to_string(t.key_count);
  return s;
}

void AddKeyHeaders(const ProbeTarget& t, HttpCall* call) { AddHeaders(t, t.protocol, call); }

ProbeTarget WithKey(ProbeTarget t, size_t index) {
  if (index < t.secrets.size()) t.key = t.secrets[index];
  return t;
}

std::string RequestBody(const ProbeTarget& t, Probe kind) {
  switch (t.protocol) {
    case routing::Protocol::kAnthropicMessages:
      return MessagesBody(t, kind);
    case routing::Protocol::kGemini:
      return GeminiBody(kind);
    case routing::Protocol::kOpenAiResponses:
      return ResponsesPingBody(t);
    default:
      return ChatBody(t, kind);
  }
}

HttpCall GenerateCall(const ProbeTarget& t, Probe kind) {
  HttpCall call;
  call.method = "POST";
  call.target = routing::GeneratePath(t.protocol, t.base, t.model, false);
  AddKeyHeaders(t, &call);
  call.body = RequestBody(t, kind);
  return call;
}

HttpCall EndpointCall(const ProbeTarget& t, routing::Protocol api, const routing::Url& base) {
  HttpCall call;
  call.method = "POST";
  call.target = routing::GeneratePath(api, base, t.model, false);
  AddHeaders(t, api, &call);
  ProbeTarget as = t;
  as.protocol = api;
  call.body = RequestBody(as, Probe::kPing);
  return call;
}

std::string_view TinyPngBase64() {
  return "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
         "rkJggg==";
}

const std::string& CachePromptText() {
  static const std::string* kText = [] {
    constexpr std::string_view kSentence =
        "This text is repeated only to make the system prompt long enough for the provider to "
        "cache it; answer the user briefly. ";
    auto* s = new std::string;
    for (int i = 0; i < 200; ++i) s->append(kSentence);
    return s;
  }();
  return *kText;
}

HttpCall ModelsCall(const ProbeTarget& t, std::string_view page_token) {
  HttpCall call;
  call.method = "GET";
  switch (t.protocol) {
    case routing::Protocol::kAnthropicMessages: {
      std::string messages = routing::MessagesPath(t.base);
      call.target = messages.substr(0, messages.size() - 9) + "/models?limit=1000";
      if (!page_token.empty()) call.target += "&after_id=" + PercentEncode(page_token);
      break;
    }
    case routing::Protocol::kGemini:
      call.target = routing::GeminiPrefix(t.base) + "/v1beta/models?pageSize=1000";
      if (!page_token.empty()) call.target += "&pageToken=" + PercentEncode(page_token);
      break;
    default:
      call.target = routing::OpenAiPath(t.base, "/models");
      break;
  }
  AddKeyHeaders(t, &call);
  return call;
}

absl::StatusOr<ModelPage> ParseModelPage(routing::Protocol protocol, std::string_view body) {
  auto not_a_list = [] { return absl::InvalidArgumentError("the answer is not a model list"); };
  auto v = json::Parse(body);
  if (!v || !v->is_object()) return not_a_list();
  ModelPage page;
  if (protocol == routing::Protocol::kGemini) {
    const auto* models = json::Array(*v, "models");
    if (models == nullptr) {
      // An account with no models answers {} (the field is left out when empty).
      if (v->get_object().empty()) return page;
      return not_a_list();
    }
    for (const auto& m : *models) {
      std::string name = json::String(m, "name");
      if (name.empty()) continue;
      if (const auto* methods = json::Array(m, "supportedGenerationMethods")) {
        bool generates = false;
        for (const auto& method : *methods) {
          generates = generates || (method.is_string() && method.get_string() == "generateContent");
        }
        if (!generates) continue;
      }
      page.ids.emplace_back(BareGeminiModel(name));
    }
    page.next_page_token = json::String(*v, "nextPageToken");
    return page;
  }
  const auto* data = json::Array(*v, "data");
  if (data == nullptr) return not_a_list();
  for (const auto& m : *data) {
    std::string id = m.is_string() ? std::string(m.get_string()) : json::String(m, "id");
    if (!id.empty()) page.ids.push_back(std::move(id));
  }
  if (protocol == routing::Protocol::kAnthropicMessages) {
    const auto* more = json::Field(*v, "has_more");
    if (more != nullptr && more->is_bool() && more->get_bool() && !page.ids.empty()) {
      page.next_page_token = json::String(*v, "last_id", page.ids.back());
    }
  }
  return page;
}

routing::Capability ClassifyVision(int status, std::string_view body) {
  if (status >= 200 && status < 300) return routing::Capability::kYes;
  if (status < 400 || status >= 500 || status == 401 || status == 403 || status == 408 ||
      status == 429) {
    return routing::Capability::kUnknown;
  }
  static constexpr std::string_view kWords[] = {"image", "vision", "multimodal", "multi-modal",
                                                "unsupported content"};
  const std::string message = AsciiToLower(protocol::UpstreamErrorMessage(body));
  for (std::string_view w : kWords) {
    if (message.find(w) != std::string::npos) return routing::Capability::kNo;
  }
  return routing::Capability::kUnknown;
}

CacheCounts ParseCacheCounts(routing::Protocol protocol, std::string_view body) {
  CacheCounts c;
  auto v = json::Parse(body);
  if (!v) return c;
  if (protocol == routing::Protocol::kGemini) {
    const auto* u = json::Field(*v, "usageMetadata");
    if (u == nullptr || !u->is_object()) return c;
    c.usage = true;
    c.read = json::Count(*u, "cachedContentTokenCount");
    return c;
  }
  const auto* u = json::Field(*v, "usage");
  if (u == nullptr || !u->is_object()) return c;
  c.usage = true;
  if (protocol == routing::Protocol::kAnthropicMessages) {
    c.read = json::Count(*u, "cache_read_input_tokens");
    c.written = json::Count(*u, "cache_creation_input_tokens");
    return c;
  }
  if (const auto* d = json::Field(*u, "prompt_tokens_details")) {
    c.read = json::Count(*d, "cached_tokens");
  }
  if (c.read == 0) c.read = json::Count(*u, "prompt_cache_hit_tokens");
  return c;
}

std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    const std::string masked = MaskSecret(s);
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + masked.size())) {
      text.replace(at, s.size(), masked);
    }
  }
  return text;
}

std::string ProviderMessage(std::string_view body, const std::vector<std::string>& secrets) {
  // Scrubbed before anything is cut, so no part of a key can be left behind by the cut.
  return CutAt(protocol::UpstreamErrorMessage(Scrub(std::string(body), secrets)), kMaxMessage);
}

std::string BodySnippet(std::string_view body, size_t max,
                        const std::vector<std::string>& secrets) {
  return CutAt(Scrub(std::string(body), secrets), max);
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // no overlong forms
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    }
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      ok = k == 1 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xBF);
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace agentgate::probe
