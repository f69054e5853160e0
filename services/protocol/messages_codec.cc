#include "services/protocol/messages_codec.h"

#include "services/protocol/json_util.h"
#include "services/protocol/model_name.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

absl::Status Bad(std::string_view what) { return absl::InvalidArgumentError(std::string(what)); }

std::string EffortFromBudget(int64_t budget) {
  if (budget < 4096) return "low";
  if (budget < 16384) return "medium";
  return "high";
}

}  // namespace

absl::Status ReadMessagesBlock(const bj::value& b, std::vector<ir::Part>* parts,
                               std::vector<std::string>* losses) {
  if (!b.is_object()) return Bad("content blocks must be objects");
  std::string type = json::String(b, "type");
  ir::Part p;
  if (type == "text") {
    p.text = json::String(b, "text");
    if (!p.text.empty()) parts->push_back(std::move(p));
  } else if (type == "image") {
    const bj::value* src = json::Field(b, "source");
    if (src == nullptr) return Bad("image block without a source");
    p.kind = ir::Part::Kind::kImage;
    if (json::String(*src, "type") == "url") {
      p.image.url = json::String(*src, "url");
    } else {
      p.image.media_type = json::String(*src, "media_type");
      p.image.data = json::String(*src, "data");
    }
    parts->push_back(std::move(p));
  } else if (type == "tool_use") {
    p.kind = ir::Part::Kind::kToolCall;
    p.call_id = json::String(b, "id");
    p.name = json::String(b, "name");
    const bj::value* input = json::Field(b, "input");
    p.arguments = input != nullptr ? bj::serialize(*input) : "{}";
    parts->push_back(std::move(p));
  } else if (type == "tool_result") {
    p.kind = ir::Part::Kind::kToolResult;
    p.call_id = json::String(b, "tool_use_id");
    const bj::value* is_error = json::Field(b, "is_error");
    p.is_error = is_error != nullptr && is_error->is_bool() && is_error->get_bool();
    const bj::value* content = json::Field(b, "content");
    if (content != nullptr && content->is_string()) {
      ir::Part t;
      t.text = std::string(content->get_string());
      p.content.push_back(std::move(t));
    } else if (content != nullptr && content->is_array()) {
      for (const auto& c : content->get_array()) {
        if (auto st = ReadMessagesBlock(c, &p.content, losses); !st.ok()) return st;
      }
    }
    parts->push_back(std::move(p));
  } else if (type == "thinking") {
    p.kind = ir::Part::Kind::kReasoning;
    p.text = json::String(b, "thinking");
    p.signature = json::String(b, "signature");
    parts->push_back(std::move(p));
  } else if (type == "redacted_thinking") {
    p.kind = ir::Part::Kind::kReasoning;
    p.redacted = true;
    p.signature = json::String(b, "data");
    parts->push_back(std::move(p));
  } else {
    losses->push_back("content block '" + type + "'");
  }
  return absl::OkStatus();
}

namespace {

std::string StopReason(ir::FinishReason f, bool saw_tool) {
  switch (f) {
    case ir::FinishReason::kLength:
      return "max_tokens";
    case ir::FinishReason::kToolCalls:
      return "tool_use";
    case ir::FinishReason::kContentFilter:
      return "refusal";
    default:
      return saw_tool ? "tool_use" : "end_turn";
  }
}

bj::object UsageJson(const ir::Usage& u, int64_t fallback_input) {
  int64_t input = u.present ? u.input - u.cached : fallback_input;
  return bj::object{{"input_tokens", input < 0 ? 0 : input},
                    {"cache_creation_input_tokens", u.cache_creation},
                    {"cache_read_input_tokens", u.cached},
                    {"output_tokens", u.output}};
}

bj::value ParsedInput(const std::string& args) {
  auto v = json::Parse(args.empty() ? "{}" : args);
  if (v && v->is_object()) return *v;
  return bj::object{};
}

}  // namespace

absl::StatusOr<ir::Request> DecodeMessagesRequest(std::string_view body, bool for_count_tokens) {
  bj::monotonic_resource arena;  // the DOM is only read: one arena, freed at once
  auto parsed = json::ParseStrict(body, &arena);
  if (!parsed.ok()) return parsed.status();
  const bj::value& v = *parsed;
  if (!v.is_object()) return Bad("request body must be a JSON object");
  ir::Request req;
  if (const auto* m = json::Field(v, "model"); m && !m->is_string()) {
    return Bad("model: must be a string");
  }
  req.model = json::String(v, "model");
  if (absl::Status st = CheckModelName(req.model); !st.ok()) return st;
  const bj::array* messages = json::Array(v, "messages");
  if (messages == nullptr) return Bad("messages: Field required (an array of messages)");
  req.max_tokens = json::Int(v, "max_tokens");
  if (!req.max_tokens && !for_count_tokens) return Bad("max_tokens: Field required");

  if (const auto* system = json::Field(v, "system")) {
    if (system->is_string()) {
      if (!system->get_string().empty()) req.system.emplace_back(system->get_string());
    } else if (system->is_array()) {
      for (const auto& b : system->get_array()) {
        std::string text = json::String(b, "text");
        // Claude Code's per-request billing marker means nothing to another provider.
        if (text.rfind("x-anthropic-billing-header", 0) == 0 || text.empty()) continue;
        req.system.push_back(std::move(text));
      }
    }
  }
  for (const auto& m : *messages) {
    std::string role = json::String(m, "role");
    ir::Message msg;
    if (role == "user") {
      msg.role = ir::Role::kUser;
    } else if (role == "assistant") {
      msg.role = ir::Role::kAssistant;
    } else if (role == "system") {
      msg.role = ir::Role::kSystem;  // Claude Code 2.x sends these between turns
    } else {
      return Bad("messages: role must be 'user', 'assistant' or 'system'");
    }
    const bj::value* content = json::Field(m, "content");
    if (content != nullptr && content->is_string()) {
      ir::Part p;
      p.text = std::string(content->get_string());
      if (!p.text.empty()) msg.parts.push_back(std::move(p));
    } else if (content != nullptr && content->is_array()) {
      for (const auto& b : content->get_array()) {
        if (auto st = ReadMessagesBlock(b, &msg.parts, &req.losses); !st.ok()) return st;
      }
    } else {
      return Bad("messages: content must be a string or an array of blocks");
    }
    req.messages.push_back(std::move(msg));
  }
  if (const bj::array* tools = json::Array(v, "tools")) {
    for (const auto& t : *tools) {
      const bj::value* schema = json::Field(t, "input_schema");
      std::string type = json::String(t, "type");
      if (schema == nullptr || (!type.empty() && type != "custom")) {
        req.losses.push_back("hosted tool '" + json::String(t, "name", type) + "'");
        continue;
      }
      ir::Tool tool;
      tool.name = json::String(t, "name");
      tool.description = json::String(t, "description");
      tool.parameters = *schema;
      req.tools.push_back(std::move(tool));
    }
  }
  if (const auto* tc = json::Field(v, "tool_choice"); tc && tc->is_object()) {
    std::string type = json::String(*tc, "type");
    req.tool_choice.set = true;
    if (type == "any") {
      req.tool_choice.mode = ir::ToolChoice::Mode::kRequired;
    } else if (type == "none") {
      req.tool_choice.mode = ir::ToolChoice::Mode::kNone;
    } else if (type == "tool") {
      req.tool_choice.mode = ir::ToolChoice::Mode::kSpecific;
      req.tool_choice.name = json::String(*tc, "name");
    }
    if (const auto* d = json::Field(*tc, "disable_parallel_tool_use"); d && d->is_bool()) {
      req.parallel_tool_calls = !d->get_bool();
    }
  }
  if (const auto* thinking = json::Field(v, "thinking")) {
    std::string type = json::String(*thinking, "type");
    if (type == "enabled") {
      req.thinking_budget = json::Int(*thinking, "budget_tokens");
      req.reasoning_effort = EffortFromBudget(req.thinking_budget.value_or(8192));
    } else if (type == "adaptive") {
      req.reasoning_effort = "medium";
    }
  }
  req.output_format = OutputFormatFromMessages(v);
  if (const auto* oc = json::Field(v, "output_config")) {
    std::string effort = json::String(*oc, "effort");
    if (!effort.empty() && !req.reasoning_effort.empty()) {
      req.reasoning_effort = ClientEffort(effort);
    }
  }
  req.temperature = json::Double(v, "temperature");
  req.top_p = json::Double(v, "top_p");
  req.top_k = json::Int(v, "top_k");
  if (const bj::array* stop = json::Array(v, "stop_sequences")) {
    for (const auto& s : *stop) {
      if (s.is_string()) req.stop.emplace_back(s.get_string());
    }
  }
  if (const auto* s = json::Field(v, "stream"); s && s->is_bool()) req.stream = s->get_bool();
  return req;
}

std::string EncodeMessagesResponse(const ir::Response& r, std::string_view model) {
  bj::array content;
  bool saw_tool = false;
  for (const auto& p : r.output) {
    switch (p.kind) {
      case ir::Part::Kind::kReasoning:
        content.push_back(
            bj::object{{"type", "thinking"}, {"thinking", p.text}, {"signature", p.signature}});
        break;
      case ir::Part::Kind::kText:
        content.push_back(bj::object{{"type", "text"}, {"text", p.text}});
        break;
      case ir::Part::Kind::kToolCall:
        saw_tool = true;
        content.push_back(bj::object{{"type", "tool_use"},
                                     {"id", p.call_id},
                                     {"name", p.name},
                                     {"input", ParsedInput(p.arguments)}});
        break;
      default:
        break;
    }
  }
  bj::object msg{{"id", "msg_" + (r.id.empty() ? std::string("agentgate") : r.id)},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", model},
                 {"content", std::move(content)},
                 {"stop_reason", StopReason(r.finish, saw_tool)},
                 {"stop_sequence", nullptr},
                 {"usage", UsageJson(r.usage, 0)}};
  return bj::serialize(msg);
}

std::string_view AnthropicErrorType(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string MessagesErrorBody(int status, std::string_view message) {
  return bj::serialize(bj::object{
      {"type", "error"},
      {"error", bj::object{{"type", AnthropicErrorType(status)}, {"message", message}}}});
}

void MessagesStreamEncoder::Start(std::string_view id, std::string* out) {
  started_ = true;
  bj::object usage{{"input_tokens", estimated_input_},
                   {"cache_creation_input_tokens", 0},
                   {"cache_read_input_tokens", 0},
                   {"output_tokens", 1}};
  bj::object message{{"id", "msg_" + (id.empty() ? std::string("agentgate") : std::string(id))},
                     {"type", "message"},
                     {"role", "assistant"},
                     {"model", model_},
                     {"content", bj::array{}},
                     {"stop_reason", nullptr},
                     {"stop_sequence", nullptr},
                     {"usage", std::move(usage)}};
  out->append(SseFrame(
      "message_start",
      bj::serialize(bj::object{{"type", "message_start"}, {"message", std::move(message)}})));
}

void MessagesStreamEncoder::Open(Block kind, const bj::object& content_block, std::string* out) {
  Close(out);
  open_ = kind;
  ++index_;
  out->append(SseFrame(
      "content_block_start",
      bj::serialize(bj::object{
          {"type", "content_block_start"}, {"index", index_}, {"content_block", content_block}})));
}

void MessagesStreamEncoder::Close(std::string* out) {
  if (open_ == Block::kNone) return;
  if (open_ == Block::kThinking && !signature_.empty()) {
    out->append(SseFrame(
        "content_block_delta",
        bj::serialize(bj::object{
            {"type", "content_block_delta"},
            {"index", index_},
            {"delta", bj::object{{"type", "signature_delta"}, {"signature", signature_}}}})));
    signature_.clear();
  }
  out->append(
      SseFrame("content_block_stop",
               bj::serialize(bj::object{{"type", "content_block_stop"}, {"index", index_}})));
  open_ = Block::kNone;
  open_tool_ = -1;
}

void MessagesStreamEncoder::Encode(const ir::StreamEvent& ev, std::string* out) {
  using Kind = ir::StreamEvent::Kind;
  if (!started_) Start(ev.id, out);
  auto delta = [&](bj::object d) {
    out->append(SseFrame(
        "content_block_delta",
        bj::serialize(bj::object{
            {"type", "content_block_delta"}, {"index", index_}, {"delta", std::move(d)}})));
  };
  switch (ev.kind) {
    case Kind::kStart:
      break;
    case Kind::kTextDelta:
      if (open_ != Block::kText) Open(Block::kText, {{"type", "text"}, {"text", ""}}, out);
      delta({{"type", "text_delta"}, {"text", ev.text}});
      break;
    case Kind::kReasoningDelta:
      if (open_ != Block::kThinking) {
        Open(Block::kThinking, {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}, out);
      }
      delta({{"type", "thinking_delta"}, {"thinking", ev.text}});
      break;
    case Kind::kReasoningSignature:
      if (open_ == Block::kThinking) signature_ += ev.text;
      break;
    case Kind::kToolCallStart:
      Open(Block::kToolUse,
           {{"type", "tool_use"}, {"id", ev.call_id}, {"name", ev.name}, {"input", bj::object{}}},
           out);
      open_tool_ = ev.index;
      saw_tool_ = true;
      break;
    case Kind::kToolCallDelta:
      // Pieces of a call that is no longer open cannot be placed in Messages' one-block-at-a-time
      // stream; providers send calls one after another, so this does not happen in practice.
      if (open_ == Block::kToolUse && open_tool_ == ev.index) {
        delta({{"type", "input_json_delta"}, {"partial_json", ev.text}});
      }
      break;
    case Kind::kFinish:  // recorded by ClientStreamEncoder
    case Kind::kUsage:
    case Kind::kError:  // never reaches Encode
      break;
  }
}

void MessagesStreamEncoder::Finish(std::string* out) {
  if (!started_) Start("", out);
  Close(out);
  out->append(SseFrame(
      "message_delta",
      bj::serialize(bj::object{{"type", "message_delta"},
                               {"delta", bj::object{{"stop_reason", StopReason(finish_, saw_tool_)},
                                                    {"stop_sequence", nullptr}}},
                               {"usage", UsageJson(usage_, estimated_input_)}})));
  out->append(SseFrame("message_stop", R"({"type":"message_stop"})"));
}

void MessagesStreamEncoder::Failed(std::string_view message, std::string* out) {
  out->append(SseFrame(
      "error",
      bj::serialize(bj::object{
          {"type", "error"}, {"error", bj::object{{"type", "api_error"}, {"message", message}}}})));
}

}  // namespace agentgate::protocol
