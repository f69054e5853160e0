#include "services/protocol/chat_client.h"

#include "services/protocol/chat_codec.h"
#include "services/protocol/errors.h"
#include "services/protocol/json_util.h"
#include "services/protocol/openai_chat.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

absl::Status Bad(std::string what) { return absl::InvalidArgumentError(std::move(what)); }

// Text and images of a message's content: a string, or an array of content parts. Parts a
// provider cannot be given (audio, files) are reported in `losses`.
// Absent or null content is no parts.
absl::Status ReadContent(const bj::value* content, std::string_view where,
                         std::vector<ir::Part>* parts, std::vector<std::string>* losses) {
  if (content == nullptr || content->is_null()) return absl::OkStatus();
  if (content->is_string()) {
    ir::Part p;
    p.text = std::string(content->get_string());
    if (!p.text.empty()) parts->push_back(std::move(p));
    return absl::OkStatus();
  }
  if (!content->is_array()) {
    return Bad("'" + std::string(where) + "' must be a string or an array of content parts");
  }
  for (const auto& c : content->get_array()) {
    if (!c.is_object()) return Bad("'" + std::string(where) + "' parts must be objects");
    std::string type = json::String(c, "type");
    ir::Part p;
    if (type == "text" || type == "refusal") {
      p.text = json::String(c, type);
      if (!p.text.empty()) parts->push_back(std::move(p));
    } else if (type == "image_url") {
      // {"image_url":{"url":…,"detail":…}}; some clients send the URL as a bare string.
      const bj::value* image = json::Field(c, "image_url");
      std::string url;
      if (image != nullptr && image->is_string()) url = std::string(image->get_string());
      if (image != nullptr && image->is_object()) url = json::String(*image, "url");
      if (url.empty()) return Bad("'" + std::string(where) + "' image_url part without a url");
      p.kind = ir::Part::Kind::kImage;
      p.image = ImageFromUrl(url);
      parts->push_back(std::move(p));
    } else {
      losses->push_back("content part '" + type + "'");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadAssistant(const bj::value& m, std::string_view where, ir::Message* msg,
                           std::vector<std::string>* losses) {
  // DeepSeek and Kimi call it reasoning_content; OpenRouter and vLLM call it reasoning.
  std::string reasoning = json::String(m, "reasoning_content");
  if (reasoning.empty()) reasoning = json::String(m, "reasoning");
  if (!reasoning.empty()) {
    ir::Part p;
    p.kind = ir::Part::Kind::kReasoning;
    p.text = std::move(reasoning);
    msg->parts.push_back(std::move(p));
  }
  std::string content_where = std::string(where) + ".content";
  if (auto st = ReadContent(json::Field(m, "content"), content_where, &msg->parts, losses);
      !st.ok()) {
    return st;
  }
  const bj::value* calls = json::Field(m, "tool_calls");
  if (calls == nullptr || calls->is_null()) return absl::OkStatus();
  if (!calls->is_array()) return Bad("'" + std::string(where) + ".tool_calls' must be an array");
  for (const auto& c : calls->get_array()) {
    const bj::value* fn = json::Field(c, "function");
    if (fn == nullptr) {
      losses->push_back("tool call of type '" + json::String(c, "type") + "'");
      continue;
    }
    ir::Part p;
    p.kind = ir::Part::Kind::kToolCall;
    p.call_id = json::String(c, "id");
    p.name = json::String(*fn, "name");
    p.arguments = json::String(*fn, "arguments");
    msg->parts.push_back(std::move(p));
  }
  return absl::OkStatus();
}

void ReadTools(const bj::value& v, ir::Request* req) {
  const bj::array* tools = json::Array(v, "tools");
  if (tools == nullptr) return;
  for (const auto& t : *tools) {
    std::string type = json::String(t, "type", "function");
    const bj::value* fn = json::Field(t, "function");
    if (type != "function" || fn == nullptr || !fn->is_object()) {
      req->losses.push_back("tool of type '" + type + "'");
      continue;
    }
    ir::Tool tool;
    tool.name = json::String(*fn, "name");
    tool.description = json::String(*fn, "description");
    const bj::value* params = json::Field(*fn, "parameters");
    tool.parameters = params != nullptr && params->is_object()
                          ? *params
                          : bj::value(bj::object{{"type", "object"}, {"properties", bj::object{}}});
    req->tools.push_back(std::move(tool));
  }
}

void ReadToolChoice(const bj::value& tc, ir::ToolChoice* choice) {
  choice->set = true;
  if (tc.is_string()) {
    if (tc.get_string() == "none") choice->mode = ir::ToolChoice::Mode::kNone;
    if (tc.get_string() == "required") choice->mode = ir::ToolChoice::Mode::kRequired;
    return;
  }
  const bj::value* fn = json::Field(tc, "function");
  std::string name = fn != nullptr ? json::String(*fn, "name") : "";
  if (!name.empty()) {
    choice->mode = ir::ToolChoice::Mode::kSpecific;
    choice->name = std::move(name);
  }
}

bj::object UsageJson(const ir::Usage& u) {
  return bj::object{{"prompt_tokens", u.input},
                    {"completion_tokens", u.output},
                    {"total_tokens", u.input + u.output},
                    {"prompt_tokens_details", bj::object{{"cached_tokens", u.cached}}},
                    {"completion_tokens_details", bj::object{{"reasoning_tokens", u.reasoning}}}};
}

}  // namespace

absl::StatusOr<ir::Request> DecodeChatRequest(std::string_view body) {
  // The same checks as pass-through: JSON object, model a string, messages an array, stream a
  // boolean.
  auto parsed = ParseChatRequest(body);
  if (!parsed.ok()) return parsed.status();
  bj::monotonic_resource arena;                   // the DOM is only read: one arena, freed at once
  auto dom = json::ParseValidated(body, &arena);  // ParseChatRequest validated it
  if (!dom) return Bad("request body is not valid JSON");
  const bj::value& v = *dom;
  ir::Request req;
  req.model = std::move(parsed->model);
  req.stream = parsed->stream;

  const bj::array* messages_or = json::Array(v, "messages");
  if (messages_or == nullptr) return Bad("'messages' is required and must be an array");
  const bj::array& messages = *messages_or;
  for (size_t i = 0; i < messages.size(); ++i) {
    const bj::value& m = messages[i];
    std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) return Bad("'" + where + "' must be an object");
    std::string role = json::String(m, "role");
    const bj::value* content = json::Field(m, "content");
    ir::Message msg;
    if (role == "system" || role == "developer") {
      std::vector<ir::Part> parts;
      if (auto st = ReadContent(content, where + ".content", &parts, &req.losses); !st.ok()) {
        return st;
      }
      ir::Part p;
      p.text = JoinText(parts);
      if (p.text.empty()) continue;
      // Instructions that open the conversation are the system prompt; later ones stay in place.
      if (req.messages.empty()) {
        req.system.push_back(std::move(p.text));
        continue;
      }
      msg.role = ir::Role::kSystem;
      msg.parts.push_back(std::move(p));
    } else if (role == "user") {
      if (auto st = ReadContent(content, where + ".content", &msg.parts, &req.losses); !st.ok()) {
        return st;
      }
    } else if (role == "assistant") {
      msg.role = ir::Role::kAssistant;
      if (auto st = ReadAssistant(m, where, &msg, &req.losses); !st.ok()) return st;
    } else if (role == "tool") {
      ir::Part p;
      p.kind = ir::Part::Kind::kToolResult;
      p.call_id = json::String(m, "tool_call_id");
      if (auto st = ReadContent(content, where + ".content", &p.content, &req.losses); !st.ok()) {
        return st;
      }
      msg.parts.push_back(std::move(p));
    } else {
      return Bad("'" + where +
                 ".role' must be one of 'system', 'developer', 'user', 'assistant' or 'tool'");
    }
    if (msg.parts.empty()) continue;
    // Consecutive user-side messages make one user turn: the results of parallel calls (one tool
    // message each) and the user's words after them.
    if (msg.role == ir::Role::kUser && !req.messages.empty() &&
        req.messages.back().role == ir::Role::kUser) {
      auto& turn = req.messages.back().parts;
      turn.insert(turn.end(), std::make_move_iterator(msg.parts.begin()),
                  std::make_move_iterator(msg.parts.end()));
      continue;
    }
    req.messages.push_back(std::move(msg));
  }

  ReadTools(v, &req);
  if (const auto* tc = json::Field(v, "tool_choice"); tc != nullptr && !tc->is_null()) {
    ReadToolChoice(*tc, &req.tool_choice);
  }
  if (const auto* p = json::Field(v, "parallel_tool_calls"); p && p->is_bool()) {
    req.parallel_tool_calls = p->get_bool();
  }
  req.max_tokens = json::Int(v, "max_completion_tokens");
  if (!req.max_tokens) req.max_tokens = json::Int(v, "max_tokens");
  req.temperature = json::Double(v, "temperature");
  req.top_p = json::Double(v, "top_p");
  if (const auto* stop = json::Field(v, "stop"); stop && stop->is_string()) {
    req.stop.emplace_back(stop->get_string());
  } else if (stop && stop->is_array()) {
    for (const auto& s : stop->get_array()) {
      if (s.is_string()) req.stop.emplace_back(s.get_string());
    }
  }
  req.reasoning_effort = ClientEffort(json::String(v, "reasoning_effort"));
  if (const auto* rf = json::Field(v, "response_format")) {
    req.output_format = OutputFormatFromChat(*rf);
    std::string type = json::String(*rf, "type", "text");
    if (type != "text" && type != "json_object" && type != "json_schema") {
      req.losses.push_back("response_format '" + type.substr(0, 40) + "'");
    }
  }
  if (json::Int(v, "n").value_or(1) > 1) req.losses.push_back("n > 1 (one choice is returned)");
  return req;
}

std::string EncodeChatResponse(const ir::Response& r, std::string_view model, const ChatIds& ids) {
  bj::object message = ChatAssistantMessage(r.output, /*with_reasoning=*/true);
  bool saw_tool = message.contains("tool_calls");
  bj::object o{
      {"id", ids.id},
      {"object", "chat.completion"},
      {"created", ids.created},
      {"model", model},
      {"choices", bj::array{bj::object{{"index", 0},
                                       {"message", std::move(message)},
                                       {"finish_reason", ChatFinishReason(r.finish, saw_tool)}}}},
      {"usage", UsageJson(r.usage)}};
  return bj::serialize(o);
}

void ChatStreamEncoder::Start(std::string* out) {
  started_ = true;
  Chunk({{"role", "assistant"}, {"content", ""}}, "", out);
}

void ChatStreamEncoder::Chunk(bj::object delta, std::string_view finish, std::string* out) {
  bj::object choice{{"index", 0}, {"delta", std::move(delta)}};
  choice["finish_reason"] = finish.empty() ? bj::value(nullptr) : bj::value(finish);
  Emit(bj::array{std::move(choice)}, nullptr, out);
}

void ChatStreamEncoder::Emit(bj::array choices, const ir::Usage* usage, std::string* out) {
  bj::object o{{"id", ids_.id},
               {"object", "chat.completion.chunk"},
               {"created", ids_.created},
               {"model", model_},
               {"choices", std::move(choices)}};
  if (usage != nullptr) o["usage"] = UsageJson(*usage);
  out->append(SseFrame("", bj::serialize(o)));
}

void ChatStreamEncoder::Encode(const ir::StreamEvent& ev, std::string* out) {
  using Kind = ir::StreamEvent::Kind;
  if (!started_) Start(out);
  // The client numbers tool calls 0, 1, 2… in the order they start, whatever the provider's
  // indexes are.
  auto client_index = [&](int provider_index) -> int {
    for (size_t i = 0; i < tools_.size(); ++i) {
      if (tools_[i].provider_index == provider_index) return static_cast<int>(i);
    }
    return -1;
  };
  switch (ev.kind) {
    case Kind::kTextDelta:
      if (!ev.text.empty()) Chunk({{"content", ev.text}}, "", out);
      break;
    case Kind::kReasoningDelta:
      if (!ev.text.empty()) Chunk({{"reasoning_content", ev.text}}, "", out);
      break;
    case Kind::kToolCallStart: {
      // The first fragment carries id, type and name (OpenCode rejects one without them); a
      // call the provider starts twice is sent once.
      if (client_index(ev.index) >= 0) break;
      tools_.push_back({ev.index, false});
      bj::object call{{"index", static_cast<int>(tools_.size()) - 1},
                      {"id", ev.call_id},
                      {"type", "function"},
                      {"function", bj::object{{"name", ev.name}, {"arguments", ""}}}};
      Chunk({{"tool_calls", bj::array{std::move(call)}}}, "", out);
      break;
    }
    case Kind::kToolCallDelta: {
      int index = client_index(ev.index);
      if (index < 0 || ev.text.empty()) break;  // a piece of a call that never started
      tools_[index].has_arguments = true;
      ToolArguments(index, ev.text, out);
      break;
    }
    default:  // kFinish and kUsage: recorded by ClientStreamEncoder
      break;
  }
}

void ChatStreamEncoder::ToolArguments(int index, std::string_view arguments, std::string* out) {
  Chunk({{"tool_calls", bj::array{bj::object{{"index", index},
                                             {"function", bj::object{{"arguments", arguments}}}}}}},
        "", out);
}

void ChatStreamEncoder::Finish(std::string* out) {
  if (!started_) Start(out);
  // A call without parameters may stream no argument piece: "" is not JSON to the client.
  for (size_t i = 0; i < tools_.size(); ++i) {
    if (!tools_[i].has_arguments) ToolArguments(static_cast<int>(i), "{}", out);
  }
  Chunk({}, ChatFinishReason(finish_, !tools_.empty()), out);
  if (usage_.present) Emit({}, &usage_, out);
  out->append(SseFrame("", "[DONE]"));
}

void ChatStreamEncoder::Failed(std::string_view message, std::string* out) {
  out->append(SseFrame("", OpenAiErrorBody(message, "upstream_error", "stream_interrupted")));
}

}  // namespace agentgate::protocol
