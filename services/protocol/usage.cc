#include "services/protocol/usage.h"

#include <algorithm>

#include "services/protocol/json_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

}  // namespace

ir::Usage UsageFromObject(const bj::value& u) {
  ir::Usage out;
  if (!u.is_object()) return out;
  if (json::Field(u, "prompt_tokens") != nullptr ||
      json::Field(u, "completion_tokens") != nullptr) {
    out.present = true;  // Chat Completions
    out.input = json::Count(u, "prompt_tokens");
    out.output = json::Count(u, "completion_tokens");
    if (const auto* d = json::Field(u, "prompt_tokens_details")) {
      out.cached = json::Count(*d, "cached_tokens");
    }
    // DeepSeek reports cache hits at the top level.
    if (out.cached == 0) out.cached = json::Count(u, "prompt_cache_hit_tokens");
    if (const auto* d = json::Field(u, "completion_tokens_details")) {
      out.reasoning = json::Count(*d, "reasoning_tokens");
    }
    return out;
  }
  if (json::Field(u, "input_tokens") != nullptr || json::Field(u, "output_tokens") != nullptr) {
    out.present = true;
    out.input = json::Count(u, "input_tokens");
    out.output = json::Count(u, "output_tokens");
    if (const auto* d = json::Field(u, "input_tokens_details")) {  // Responses
      out.cached = json::Count(*d, "cached_tokens");
    }
    if (const auto* d = json::Field(u, "output_tokens_details")) {
      out.reasoning = json::Count(*d, "reasoning_tokens");
    }
    if (json::Field(u, "cache_read_input_tokens") != nullptr) {  // Messages: excluded from input
      out.cached = json::Count(u, "cache_read_input_tokens");
      out.cache_creation = json::Count(u, "cache_creation_input_tokens");
      out.input += out.cached + out.cache_creation;
    }
    return out;
  }
  if (json::Field(u, "promptTokenCount") != nullptr) {  // Gemini
    out.present = true;
    out.input = json::Count(u, "promptTokenCount");
    out.reasoning = json::Count(u, "thoughtsTokenCount");
    out.output = json::Count(u, "candidatesTokenCount") + out.reasoning;
    out.cached = json::Count(u, "cachedContentTokenCount");
  }
  return out;
}

namespace {

// True when `data` holds "usage" or "usageMetadata" followed by an object (not null), so
// events without usage are not parsed at all.
bool MayCarryUsage(std::string_view data) {
  size_t pos = 0;
  while ((pos = data.find("\"usage", pos)) != std::string_view::npos) {
    pos += 6;
    size_t i = data.find('"', pos);
    if (i == std::string_view::npos) return false;
    ++i;
    while (i < data.size() && (data[i] == ' ' || data[i] == ':' || data[i] == '\t' ||
                               data[i] == '\n' || data[i] == '\r')) {
      ++i;
    }
    if (i < data.size() && data[i] == '{') return true;
  }
  return false;
}

}  // namespace

ir::Usage UsageFromJson(const bj::value& v) {
  if (const auto* u = json::Field(v, "usage"); u && u->is_object()) return UsageFromObject(*u);
  if (const auto* u = json::Field(v, "usageMetadata")) return UsageFromObject(*u);
  for (const char* wrapper : {"message", "response"}) {
    if (const auto* w = json::Field(v, wrapper)) {
      if (const auto* u = json::Field(*w, "usage"); u && u->is_object()) return UsageFromObject(*u);
    }
  }
  return {};
}

void MergeLargest(ir::Usage* into, const ir::Usage& u) {
  if (!u.present) return;
  into->present = true;
  into->input = std::max(into->input, u.input);
  into->output = std::max(into->output, u.output);
  into->cached = std::max(into->cached, u.cached);
  into->cache_creation = std::max(into->cache_creation, u.cache_creation);
  into->reasoning = std::max(into->reasoning, u.reasoning);
}

void UsageObserver::Feed(std::string_view chunk) {
  parser_.Feed(chunk, [this](const SseEvent& ev) {
    // Parse only events that can carry usage.
    if (!MayCarryUsage(ev.data)) return;
    if (auto v = json::Parse(ev.data)) MergeLargest(&usage_, UsageFromJson(*v));
  });
}

void UsageObserver::FromBody(std::string_view body) {
  // A whole answer can be large: parse only its usage member (where every protocol puts it, at
  // the top level of a non-streaming answer).
  auto members = json::TopLevelMembers(body);
  if (!members) return;
  for (std::string_view key : {"usage", "usageMetadata"}) {
    if (const json::Member* m = json::FindMember(*members, key)) {
      if (auto v = json::Parse(m->value(body))) MergeLargest(&usage_, UsageFromObject(*v));
      return;
    }
  }
}

}  // namespace agentgate::protocol
