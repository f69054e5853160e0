#include "services/protocol/openai_chat.h"

#include "services/protocol/json_util.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

// True when `data` holds `"usage"` followed by an object (not null).
bool HasUsageObject(std::string_view data) {
  size_t pos = 0;
  while ((pos = data.find("\"usage\"", pos)) != std::string_view::npos) {
    pos += 7;
    size_t i = pos;
    while (i < data.size() && (data[i] == ' ' || data[i] == ':' || data[i] == '\t' ||
                               data[i] == '\n' || data[i] == '\r')) {
      ++i;
    }
    if (i < data.size() && data[i] == '{') return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<ChatRequest> ParseChatRequest(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) {
    return absl::InvalidArgumentError("request body is not valid JSON: " + ec.message());
  }
  if (json::HasNonFinite(v)) {
    return absl::InvalidArgumentError("request body has a number too large to represent");
  }
  if (!v.is_object()) return absl::InvalidArgumentError("request body must be a JSON object");
  ChatRequest req;
  req.body = std::move(v.get_object());
  if (auto it = req.body.find("model"); it != req.body.end()) {
    if (!it->value().is_string()) return absl::InvalidArgumentError("'model' must be a string");
    req.model = std::string(it->value().get_string());
  }
  auto messages = req.body.find("messages");
  if (messages == req.body.end() || !messages->value().is_array()) {
    return absl::InvalidArgumentError("'messages' is required and must be an array");
  }
  if (auto it = req.body.find("stream"); it != req.body.end()) {
    if (it->value().is_bool()) {
      req.stream = it->value().get_bool();
    } else if (!it->value().is_null()) {
      return absl::InvalidArgumentError("'stream' must be a boolean");
    }
  }
  return req;
}

std::string SerializeChatRequest(ChatRequest& req, std::string_view upstream_model) {
  if (!upstream_model.empty()) req.body["model"] = upstream_model;
  return boost::json::serialize(req.body);
}

Usage UsageFromChatObject(const boost::json::value& usage) {
  Usage u;
  if (!usage.is_object()) return u;
  ir::Usage shared = UsageFromObject(usage);
  u.present = true;
  u.input = shared.input;
  u.output = shared.output;
  u.cached = shared.cached;
  u.reasoning = shared.reasoning;
  return u;
}

Usage UsageFromChatBody(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  auto it = v.get_object().find("usage");
  if (it == v.get_object().end()) return {};
  return UsageFromChatObject(it->value());
}

void ChatStreamObserver::Feed(std::string_view chunk) {
  parser_.Feed(chunk, [this](const SseEvent& ev) {
    ++events_;
    if (ev.data == "[DONE]") {
      saw_done_ = true;
      return;
    }
    if (!HasUsageObject(ev.data)) return;
    Usage u = UsageFromChatBody(ev.data);
    if (u.present) usage_ = u;
  });
}

}  // namespace agentgate::protocol
