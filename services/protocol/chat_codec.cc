#include "services/protocol/chat_codec.h"

#include <algorithm>

#include "services/protocol/json_util.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

bj::value ImagePart(const ir::Image& img) {
  return bj::object{{"type", "image_url"}, {"image_url", bj::object{{"url", ImageUrl(img)}}}};
}

// A tool's parameters as an object schema: DeepSeek refuses `{}` or a schema without a type,
// and "$schema" means nothing to any provider.
bj::value ObjectSchema(const bj::value& params) {
  bj::object out = params.is_object() ? params.get_object() : bj::object{};
  out.erase("$schema");
  if (!out.contains("type")) out["type"] = "object";
  if (out["type"] == "object" && !out.contains("properties")) out["properties"] = bj::object{};
  return out;
}

std::string_view Role(const bj::value& m) {
  const auto* r = json::Field(m, "role");
  return r != nullptr && r->is_string() ? std::string_view(r->get_string()) : std::string_view();
}

bj::object ToolResultAsUserText(const bj::value& tool_msg) {
  std::string text = "(result of tool call " + json::String(tool_msg, "tool_call_id") + ")\n" +
                     json::String(tool_msg, "content");
  return bj::object{{"role", "user"}, {"content", std::move(text)}};
}

// Puts every tool message right after the assistant message whose call it answers, in the
// order of the calls; see EncodeChatRequest.
bj::array OrderToolMessages(bj::array msgs) {
  bj::array out;
  size_t i = 0;
  while (i < msgs.size()) {
    bj::value m = std::move(msgs[i++]);
    const bj::array* calls = Role(m) == "assistant" ? json::Array(m, "tool_calls") : nullptr;
    if (calls == nullptr || calls->empty()) {
      out.push_back(Role(m) == "tool" ? bj::value(ToolResultAsUserText(m)) : std::move(m));
      continue;
    }
    std::vector<std::string> ids;
    for (const auto& c : *calls) ids.push_back(json::String(c, "id"));
    out.push_back(std::move(m));
    // Everything up to the next assistant message answers (or interrupts) these calls.
    std::vector<bj::value> results(ids.size());
    std::vector<bj::value> others;
    for (; i < msgs.size() && Role(msgs[i]) != "assistant"; ++i) {
      if (Role(msgs[i]) == "tool") {
        auto at = std::find(ids.begin(), ids.end(), json::String(msgs[i], "tool_call_id"));
        size_t k = static_cast<size_t>(at - ids.begin());
        if (at != ids.end() && results[k].is_null()) {
          results[k] = std::move(msgs[i]);
          continue;
        }
        others.push_back(ToolResultAsUserText(msgs[i]));
        continue;
      }
      others.push_back(std::move(msgs[i]));
    }
    for (size_t k = 0; k < ids.size(); ++k) {
      if (results[k].is_null()) {
        results[k] = bj::object{{"role", "tool"},
                                {"tool_call_id", ids[k]},
                                {"content", "(no result: the call did not complete)"}};
      }
      out.push_back(std::move(results[k]));
    }
    for (auto& o : others) out.push_back(std::move(o));
  }
  return out;
}

ir::FinishReason FinishFromChat(std::string_view f) {
  if (f == "stop") return ir::FinishReason::kStop;
  if (f == "length") return ir::FinishReason::kLength;
  if (f == "tool_calls" || f == "function_call") return ir::FinishReason::kToolCalls;
  if (f == "content_filter") return ir::FinishReason::kContentFilter;
  return ir::FinishReason::kStop;
}

}  // namespace

std::string JoinText(const std::vector<ir::Part>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.kind != ir::Part::Kind::kText) continue;
    if (!out.empty()) out += "\n";
    out += p.text;
  }
  return out;
}

std::string_view ChatFinishReason(ir::FinishReason finish, bool saw_tool) {
  switch (finish) {
    case ir::FinishReason::kLength:
      return "length";
    case ir::FinishReason::kContentFilter:
      return "content_filter";
    case ir::FinishReason::kToolCalls:
      return "tool_calls";
    default:
      return saw_tool ? "tool_calls" : "stop";
  }
}

std::string ImageUrl(const ir::Image& img) {
  if (!img.url.empty()) return img.url;
  return "data:" + (img.media_type.empty() ? std::string("image/png") : img.media_type) +
         ";base64," + img.data;
}

ir::Image ImageFromUrl(std::string_view url) {
  ir::Image img;
  constexpr std::string_view kBase64 = ";base64,";
  size_t b64 = url.find(kBase64);
  if (url.substr(0, 5) != "data:" || b64 == std::string_view::npos) {
    img.url = std::string(url);
    return img;
  }
  // data:image/png;base64,XXXX (parameters such as ;charset=… may precede ;base64,)
  img.media_type = std::string(url.substr(5, url.find(';') - 5));
  img.data = std::string(url.substr(b64 + kBase64.size()));
  return img;
}

bj::object ChatAssistantMessage(const std::vector<ir::Part>& parts, bool with_reasoning) {
  std::string text, reasoning;
  bj::array calls;
  for (const auto& p : parts) {
    switch (p.kind) {
      case ir::Part::Kind::kText:
        text += p.text;
        break;
      case ir::Part::Kind::kReasoning:
        reasoning += p.text;
        break;
      case ir::Part::Kind::kToolCall: {
        std::string args = p.arguments;
        if (p.custom) args = bj::serialize(bj::object{{"input", p.arguments}});
        calls.push_back(bj::object{
            {"id", p.call_id},
            {"type", "function"},
            {"function", bj::object{{"name", p.name}, {"arguments", args.empty() ? "{}" : args}}}});
        break;
      }
      default:
        break;
    }
  }
  bj::object msg{{"role", "assistant"}};
  msg["content"] = text.empty() && !calls.empty() ? bj::value(nullptr) : bj::value(text);
  if (!calls.empty()) msg["tool_calls"] = std::move(calls);
  if (with_reasoning && !reasoning.empty()) msg["reasoning_content"] = reasoning;
  return msg;
}

ChatDialect ChatDialect::ForProviderType(std::string_view type) {
  ChatDialect d;
  if (type == "deepseek") {
    d.max_tokens_limit = [](std::string_view model) -> int64_t {
      return model.find("reasoner") != std::string_view::npos ? 65536 : 8192;
    };
    d.images = false;
    d.reasoning_content = true;
    d.reasoning_effort = false;
  } else if (type == "kimi") {
    d.reasoning_content = true;
    d.reasoning_effort = false;
    d.thinking_object = true;
  } else if (type == "minimax") {
    d.reasoning_effort = false;
    d.think_tags = true;
  }
  return d;
}

std::string EncodeChatRequest(ir::Request& req, std::string_view model,
                              const ChatDialect& dialect) {
  bj::object body;
  body["model"] = model;
  bj::array messages;
  if (!req.system.empty()) {
    std::string system;
    for (const auto& s : req.system) {
      if (!system.empty()) system += "\n\n";
      system += s;
    }
    messages.push_back(bj::object{{"role", "system"}, {"content", system}});
  }
  bool dropped_image = false;
  auto content_of = [&](const std::vector<ir::Part>& parts) -> bj::value {
    bool has_image = false;
    for (const auto& p : parts) has_image |= p.kind == ir::Part::Kind::kImage;
    if (!has_image || !dialect.images) {
      dropped_image |= has_image;
      return bj::value(JoinText(parts));
    }
    bj::array arr;
    for (const auto& p : parts) {
      if (p.kind == ir::Part::Kind::kText) {
        arr.push_back(bj::object{{"type", "text"}, {"text", p.text}});
      } else if (p.kind == ir::Part::Kind::kImage) {
        arr.push_back(ImagePart(p.image));
      }
    }
    return arr;
  };

  for (const auto& m : req.messages) {
    if (m.role == ir::Role::kSystem) {
      std::string text = JoinText(m.parts);
      if (!text.empty()) messages.push_back(bj::object{{"role", "system"}, {"content", text}});
      continue;
    }
    if (m.role == ir::Role::kAssistant) {
      messages.push_back(ChatAssistantMessage(m.parts, dialect.reasoning_content));
      continue;
    }
    // A user turn: tool results become tool messages first, then the rest of the turn.
    std::vector<ir::Part> rest;
    std::vector<ir::Part> result_images;
    for (const auto& p : m.parts) {
      if (p.kind != ir::Part::Kind::kToolResult) {
        rest.push_back(p);
        continue;
      }
      std::string text = JoinText(p.content);
      if (p.is_error && text.rfind("Error", 0) != 0) text = "Error: " + text;
      messages.push_back(
          bj::object{{"role", "tool"}, {"tool_call_id", p.call_id}, {"content", text}});
      for (const auto& c : p.content) {
        if (c.kind == ir::Part::Kind::kImage) result_images.push_back(c);
      }
    }
    // Tool messages carry text only: images from tool results follow in a user message.
    if (!result_images.empty()) {
      std::vector<ir::Part> parts;
      ir::Part label;
      label.text = "(images returned by the tool)";
      parts.push_back(label);
      parts.insert(parts.end(), result_images.begin(), result_images.end());
      messages.push_back(bj::object{{"role", "user"}, {"content", content_of(parts)}});
    }
    if (!rest.empty()) {
      messages.push_back(bj::object{{"role", "user"}, {"content", content_of(rest)}});
    }
  }
  if (dropped_image) req.losses.push_back("images (the provider takes text only)");
  body["messages"] = OrderToolMessages(std::move(messages));

  if (!req.tools.empty()) {
    bj::array tools;
    for (const auto& t : req.tools) {
      bj::value params = ObjectSchema(t.parameters);
      if (t.custom) {
        params = bj::object{{"type", "object"},
                            {"properties", bj::object{{"input", bj::object{{"type", "string"}}}}},
                            {"required", bj::array{"input"}}};
      }
      bj::object fn{{"name", t.name}, {"parameters", std::move(params)}};
      if (!t.description.empty()) fn["description"] = t.description;
      tools.push_back(bj::object{{"type", "function"}, {"function", std::move(fn)}});
    }
    body["tools"] = std::move(tools);
    if (req.tool_choice.set) {
      switch (req.tool_choice.mode) {
        case ir::ToolChoice::Mode::kAuto:
          body["tool_choice"] = "auto";
          break;
        case ir::ToolChoice::Mode::kNone:
          body["tool_choice"] = "none";
          break;
        case ir::ToolChoice::Mode::kRequired:
          body["tool_choice"] = "required";
          break;
        case ir::ToolChoice::Mode::kSpecific:
          body["tool_choice"] = bj::object{
              {"type", "function"}, {"function", bj::object{{"name", req.tool_choice.name}}}};
          break;
      }
    }
    if (req.parallel_tool_calls) body["parallel_tool_calls"] = *req.parallel_tool_calls;
  }
  if (req.max_tokens) {
    int64_t limit = dialect.max_tokens_limit ? dialect.max_tokens_limit(model) : 0;
    body["max_tokens"] = limit > 0 ? std::min(*req.max_tokens, limit) : *req.max_tokens;
  }
  if (req.temperature) body["temperature"] = *req.temperature;
  if (req.top_p) body["top_p"] = *req.top_p;
  if (!req.stop.empty()) {
    bj::array stop;
    for (const auto& s : req.stop) stop.emplace_back(s);
    body["stop"] = std::move(stop);
  }
  if (!req.reasoning_effort.empty() && dialect.reasoning_effort) {
    body["reasoning_effort"] = req.reasoning_effort;
  }
  if (!req.reasoning_effort.empty() && dialect.thinking_object) {
    body["thinking"] = bj::object{{"type", "enabled"}};
  }
  if (req.stream) {
    body["stream"] = true;
    body["stream_options"] = bj::object{{"include_usage", true}};
  }
  return bj::serialize(body);
}

absl::StatusOr<ir::Response> DecodeChatResponse(std::string_view body, bool think_tags) {
  auto v = json::Parse(body);
  const bj::array* choices = v ? json::Array(*v, "choices") : nullptr;
  if (!v || choices == nullptr) {
    return absl::InvalidArgumentError("the provider's answer is not a Chat completion");
  }
  ir::Response r;
  r.id = json::String(*v, "id");
  r.model = json::String(*v, "model");
  if (const auto* u = json::Field(*v, "usage")) r.usage = UsageFromObject(*u);
  if (choices->empty()) return r;
  const bj::value& choice = (*choices)[0];
  r.finish = FinishFromChat(json::String(choice, "finish_reason", "stop"));
  const bj::value* msg = json::Field(choice, "message");
  if (msg == nullptr) return r;
  std::string reasoning = json::String(*msg, "reasoning_content");
  if (reasoning.empty()) reasoning = json::String(*msg, "reasoning");
  std::string content = json::String(*msg, "content");
  if (think_tags) {
    std::string text;
    SplitThinkTags(content, &reasoning, &text);
    content = std::move(text);
  }
  if (!reasoning.empty()) {
    ir::Part p;
    p.kind = ir::Part::Kind::kReasoning;
    p.text = reasoning;
    r.output.push_back(std::move(p));
  }
  if (!content.empty()) {
    ir::Part p;
    p.text = content;
    r.output.push_back(std::move(p));
  }
  if (const bj::array* calls = json::Array(*msg, "tool_calls")) {
    for (const auto& c : *calls) {
      ir::Part p;
      p.kind = ir::Part::Kind::kToolCall;
      p.call_id = json::String(c, "id");
      if (const auto* fn = json::Field(c, "function")) {
        p.name = json::String(*fn, "name");
        p.arguments = json::String(*fn, "arguments");
      }
      r.output.push_back(std::move(p));
    }
  }
  return r;
}

std::string UpstreamErrorMessage(std::string_view body) {
  if (auto v = json::Parse(body)) {
    if (const auto* err = json::Field(*v, "error")) {
      if (err->is_string()) return std::string(err->get_string());
      std::string m = json::String(*err, "message");
      if (!m.empty()) return m;
    }
    std::string m = json::String(*v, "message");
    if (!m.empty()) return m;
  }
  std::string s(body.substr(0, 300));
  return s.empty() ? "no details" : s;
}

void ChatStreamDecoder::Feed(std::string_view chunk,
                             const std::function<void(const ir::StreamEvent&)>& emit) {
  parser_.Feed(chunk, [&](const SseEvent& ev) { OnData(ev.data, emit); });
}

void ChatStreamDecoder::EmitContent(std::string_view content, bool flush,
                                    const std::function<void(const ir::StreamEvent&)>& emit) {
  using Kind = ir::StreamEvent::Kind;
  ir::StreamEvent reasoning{Kind::kReasoningDelta};
  ir::StreamEvent text{Kind::kTextDelta};
  if (think_tags_) {
    splitter_.Feed(content, &reasoning.text, &text.text);
    if (flush) splitter_.Flush(&reasoning.text, &text.text);
  } else {
    text.text = std::string(content);
  }
  if (!reasoning.text.empty()) emit(reasoning);
  if (!text.text.empty()) emit(text);
}

void ChatStreamDecoder::OnData(std::string_view data,
                               const std::function<void(const ir::StreamEvent&)>& emit) {
  if (data == "[DONE]") {
    EmitContent("", true, emit);
    done_ = true;
    return;
  }
  auto v = json::Parse(data);
  if (!v || !v->is_object()) return;  // not JSON: nothing we can carry
  using Kind = ir::StreamEvent::Kind;
  if (const auto* err = json::Field(*v, "error")) {
    ir::StreamEvent e{Kind::kError};
    e.text = err->is_string() ? std::string(err->get_string()) : json::String(*err, "message");
    emit(e);
    return;
  }
  if (!started_) {
    started_ = true;
    ir::StreamEvent e{Kind::kStart};
    e.id = json::String(*v, "id");
    e.model = json::String(*v, "model");
    emit(e);
  }
  if (const auto* choices = json::Array(*v, "choices"); choices && !choices->empty()) {
    const bj::value& choice = (*choices)[0];
    if (const auto* delta = json::Field(choice, "delta")) {
      std::string reasoning = json::String(*delta, "reasoning_content");
      if (reasoning.empty()) reasoning = json::String(*delta, "reasoning");
      if (!reasoning.empty()) {
        ir::StreamEvent e{Kind::kReasoningDelta};
        e.text = std::move(reasoning);
        emit(e);
      }
      EmitContent(json::String(*delta, "content"), false, emit);
      if (const auto* calls = json::Array(*delta, "tool_calls")) {
        for (const auto& c : *calls) {
          int index = static_cast<int>(json::Count(c, "index"));
          if (index < 0 || index > 1024) continue;
          if (static_cast<size_t>(index) >= tool_started_.size()) tool_started_.resize(index + 1);
          const bj::value* fn = json::Field(c, "function");
          if (!tool_started_[index]) {
            tool_started_[index] = true;
            ir::StreamEvent e{Kind::kToolCallStart};
            e.index = index;
            e.call_id = json::String(c, "id");
            if (e.call_id.empty()) e.call_id = "call_" + std::to_string(index);
            if (fn) e.name = json::String(*fn, "name");
            emit(e);
          }
          std::string args = fn ? json::String(*fn, "arguments") : "";
          if (!args.empty()) {
            ir::StreamEvent e{Kind::kToolCallDelta};
            e.index = index;
            e.text = std::move(args);
            emit(e);
          }
        }
      }
    }
    std::string finish = json::String(choice, "finish_reason");
    if (!finish.empty() && !finished_) {
      EmitContent("", true, emit);
      finished_ = true;
      ir::StreamEvent e{Kind::kFinish};
      e.finish = FinishFromChat(finish);
      emit(e);
    }
  }
  if (const auto* u = json::Field(*v, "usage"); u && u->is_object()) {
    ir::StreamEvent e{Kind::kUsage};
    e.usage = UsageFromObject(*u);
    emit(e);
  }
}

}  // namespace agentgate::protocol
