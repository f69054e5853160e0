#include "services/protocol/openai_chat.h"

#include "services/protocol/json_util.h"
#include "services/protocol/model_name.h"
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

absl::StatusOr<ChatRequest> InspectRequest(std::string_view body) {
  auto members = json::ValidateObject(body);
  if (!members.ok()) return members.status();
  ChatRequest req;
  req.body = body;
  req.members = *std::move(members);
  auto model = json::StringMember(body, req.members, "model");
  if (!model.ok()) return model.status();
  req.model = model->value_or("");
  if (absl::Status st = CheckModelName(req.model); !st.ok()) return st;
  auto stream = json::BoolMember(body, req.members, "stream");
  if (!stream.ok()) return stream.status();
  req.stream = *stream;
  return req;
}

absl::StatusOr<ChatRequest> ParseChatRequest(std::string_view body) {
  auto req = InspectRequest(body);
  if (!req.ok()) return req.status();
  const json::Member* messages = json::FindMember(req->members, "messages");
  if (messages == nullptr || messages->kind != json::Kind::kArray) {
    return absl::InvalidArgumentError("'messages' is required and must be an array");
  }
  return req;
}

json::Spliced SpliceModel(const ChatRequest& req, std::string_view upstream_model) {
  if (upstream_model.empty()) return json::Spliced::Of(req.body);
  return json::SpliceTopLevelString(req.body, req.members, "model", upstream_model);
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
  auto v = json::Parse(body);
  if (!v || !v->is_object()) return {};
  auto it = v->get_object().find("usage");
  if (it == v->get_object().end()) return {};
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
