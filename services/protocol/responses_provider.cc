#include "services/protocol/responses_provider.h"

#include <boost/json.hpp>

#include "services/protocol/chat_codec.h"
#include "services/protocol/json_util.h"
#include "services/protocol/output_format.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;
using Kind = ir::Part::Kind;

// Reasoning a Responses provider gave as encrypted_content (not a Claude signature, nor the
// "agentgate:" carrier of a Chat provider's reasoning).
bool IsEncryptedReasoning(const ir::Part& p) {
  return p.kind == Kind::kReasoning && !p.signature.empty() &&
         p.signature.rfind("agentgate:", 0) != 0;
}

bj::object TextItem(std::string_view role, std::string_view part_type, std::string_view text) {
  return bj::object{{"type", "message"},
                    {"role", role},
                    {"content", bj::array{bj::object{{"type", part_type}, {"text", text}}}}};
}

bj::array UserContent(const std::vector<ir::Part>& parts) {
  bj::array content;
  for (const auto& p : parts) {
    if (p.kind == Kind::kText && !p.text.empty()) {
      content.push_back(bj::object{{"type", "input_text"}, {"text", p.text}});
    } else if (p.kind == Kind::kImage) {
      content.push_back(bj::object{{"type", "input_image"}, {"image_url", ImageUrl(p.image)}});
    }
  }
  return content;
}

std::string ToolOutputText(const ir::Part& result) {
  std::string text = JoinText(result.content);
  if (text.empty()) text = result.is_error ? "(error)" : "(no output)";
  return text;
}

}  // namespace

ResponsesDialect ResponsesDialect::ForProviderType(std::string_view type) {
  ResponsesDialect d;
  d.official = type == "chatgpt";
  return d;
}

std::string EncodeResponsesRequest(ir::Request& req, std::string_view model,
                                   const ResponsesDialect& dialect) {
  bj::object body;
  body["model"] = model;
  std::string instructions;
  for (const auto& s : req.system) instructions += (instructions.empty() ? "" : "\n\n") + s;
  if (!instructions.empty()) body["instructions"] = instructions;

  std::set<std::string> custom_calls;
  bool dropped_reasoning = false, dropped_result_images = false;
  bj::array input;
  for (const auto& m : req.messages) {
    if (m.role == ir::Role::kSystem) {
      const std::string text = JoinText(m.parts);
      if (!text.empty()) input.push_back(TextItem("developer", "input_text", text));
      continue;
    }
    if (m.role == ir::Role::kAssistant) {
      // In the order produced: reasoning items, text, calls.
      std::string text;
      auto flush_text = [&] {
        if (!text.empty()) input.push_back(TextItem("assistant", "output_text", text));
        text.clear();
      };
      for (const auto& p : m.parts) {
        if (p.kind == Kind::kText) {
          text += p.text;
        } else if (p.kind == Kind::kReasoning) {
          if (!IsEncryptedReasoning(p)) {
            dropped_reasoning |= !p.text.empty() || !p.signature.empty();
            continue;
          }
          flush_text();
          bj::array summary;
          if (!p.text.empty())
            summary.push_back(bj::object{{"type", "summary_text"}, {"text", p.text}});
          input.push_back(bj::object{{"type", "reasoning"},
                                     {"summary", std::move(summary)},
                                     {"encrypted_content", p.signature}});
        } else if (p.kind == Kind::kToolCall) {
          flush_text();
          if (p.custom) {
            custom_calls.insert(p.call_id);
            input.push_back(bj::object{{"type", "custom_tool_call"},
                                       {"call_id", p.call_id},
                                       {"name", p.name},
                                       {"input", p.arguments}});
          } else {
            input.push_back(bj::object{{"type", "function_call"},
                                       {"call_id", p.call_id},
                                       {"name", p.name},
                                       {"arguments", p.arguments.empty() ? "{}" : p.arguments}});
          }
        }
      }
      flush_text();
      continue;
    }
    // A user turn: tool results first (they answer the calls just before), then the rest.
    for (const auto& p : m.parts) {
      if (p.kind != Kind::kToolResult) continue;
      for (const auto& c : p.content) dropped_result_images |= c.kind == Kind::kImage;
      const bool custom = custom_calls.count(p.call_id) > 0;
      input.push_back(
          bj::object{{"type", custom ? "custom_tool_call_output" : "function_call_output"},
                     {"call_id", p.call_id},
                     {"output", ToolOutputText(p)}});
    }
    bj::array content = UserContent(m.parts);
    if (!content.empty()) {
      input.push_back(
          bj::object{{"type", "message"}, {"role", "user"}, {"content", std::move(content)}});
    }
  }
  body["input"] = std::move(input);

  if (!req.tools.empty()) {
    bj::array tools;
    for (const auto& t : req.tools) {
      if (t.custom) {
        tools.push_back(
            bj::object{{"type", "custom"}, {"name", t.name}, {"description", t.description}});
        continue;
      }
      bj::value params =
          t.parameters.is_object() ? t.parameters : bj::value(bj::object{{"type", "object"}});
      tools.push_back(bj::object{{"type", "function"},
                                 {"name", t.name},
                                 {"description", t.description},
                                 {"strict", false},
                                 {"parameters", std::move(params)}});
    }
    body["tools"] = std::move(tools);
    switch (req.tool_choice.mode) {
      case ir::ToolChoice::Mode::kNone:
        body["tool_choice"] = "none";
        break;
      case ir::ToolChoice::Mode::kRequired:
        body["tool_choice"] = "required";
        break;
      case ir::ToolChoice::Mode::kSpecific:
        body["tool_choice"] = bj::object{{"type", "function"}, {"name", req.tool_choice.name}};
        break;
      case ir::ToolChoice::Mode::kAuto:
        body["tool_choice"] = "auto";
    }
    if (req.parallel_tool_calls) body["parallel_tool_calls"] = *req.parallel_tool_calls;
  }
  if (!req.reasoning_effort.empty()) {
    body["reasoning"] = bj::object{{"effort", req.reasoning_effort}, {"summary", "auto"}};
  }
  if (req.output_format.kind != ir::OutputFormat::Kind::kText) {
    body["text"] = bj::object{{"format", ResponsesTextFormat(req.output_format)}};
  }
  if (dialect.official) {
    if (req.max_tokens) req.losses.push_back("max_tokens (the ChatGPT backend takes no limit)");
    if (req.temperature || req.top_p || req.top_k) {
      req.losses.push_back("temperature/top_p/top_k (the ChatGPT backend takes none)");
    }
  } else {
    if (req.max_tokens) body["max_output_tokens"] = *req.max_tokens;
    if (req.temperature) body["temperature"] = *req.temperature;
    if (req.top_p) body["top_p"] = *req.top_p;
    if (req.top_k) req.losses.push_back("top_k (Responses has none)");
  }
  if (!req.stop.empty()) req.losses.push_back("stop sequences (Responses has none)");
  // Nothing is stored upstream (the whole conversation is sent each turn, and the ChatGPT
  // backend refuses anything else); reasoning then comes back encrypted, to be sent back.
  body["store"] = false;
  body["include"] = bj::array{"reasoning.encrypted_content"};
  body["stream"] = req.stream;
  if (dropped_reasoning) {
    req.losses.push_back("the reasoning of earlier turns (another provider's; not sent back)");
  }
  if (dropped_result_images) {
    req.losses.push_back("images in tool results (Responses tool outputs are text)");
  }
  return bj::serialize(body);
}

absl::StatusOr<ir::Response> DecodeResponsesResponse(std::string_view body) {
  auto v = json::Parse(body);
  const bj::array* output = v ? json::Array(*v, "output") : nullptr;
  if (!v || output == nullptr) {
    return absl::InvalidArgumentError("the provider's answer is not a Responses response");
  }
  ir::Response r;
  r.id = json::String(*v, "id");
  r.model = json::String(*v, "model");
  bool calls = false;
  for (const auto& item : *output) {
    const std::string type = json::String(item, "type");
    if (type == "message") {
      if (const bj::array* content = json::Array(item, "content")) {
        for (const auto& c : *content) {
          if (json::String(c, "type") != "output_text") continue;
          ir::Part p;
          p.text = json::String(c, "text");
          if (!r.output.empty() && r.output.back().kind == Kind::kText) {
            r.output.back().text += p.text;
          } else {
            r.output.push_back(std::move(p));
          }
        }
      }
    } else if (type == "reasoning") {
      ir::Part p;
      p.kind = Kind::kReasoning;
      if (const bj::array* summary = json::Array(item, "summary")) {
        for (const auto& s : *summary) p.text += json::String(s, "text");
      }
      p.signature = json::String(item, "encrypted_content");
      if (!p.text.empty() || !p.signature.empty()) r.output.push_back(std::move(p));
    } else if (type == "function_call" || type == "custom_tool_call") {
      ir::Part p;
      p.kind = Kind::kToolCall;
      p.call_id = json::String(item, "call_id");
      p.name = json::String(item, "name");
      p.custom = type == "custom_tool_call";
      p.arguments = json::String(item, p.custom ? "input" : "arguments");
      r.output.push_back(std::move(p));
      calls = true;
    }
  }
  const std::string status = json::String(*v, "status");
  const bj::value* details = json::Field(*v, "incomplete_details");
  if (status == "incomplete" && details != nullptr &&
      json::String(*details, "reason") == "content_filter") {
    r.finish = ir::FinishReason::kContentFilter;
  } else if (status == "incomplete") {
    r.finish = ir::FinishReason::kLength;
  } else {
    r.finish = calls ? ir::FinishReason::kToolCalls : ir::FinishReason::kStop;
  }
  if (const bj::value* u = json::Field(*v, "usage")) r.usage = UsageFromObject(*u);
  return r;
}

void ResponsesStreamDecoder::Feed(std::string_view chunk,
                                  const std::function<void(const ir::StreamEvent&)>& emit) {
  parser_.Feed(chunk, [&](const SseEvent& ev) { OnEvent(ev.data, emit); });
}

void ResponsesStreamDecoder::OnEvent(std::string_view data,
                                     const std::function<void(const ir::StreamEvent&)>& emit) {
  using EK = ir::StreamEvent::Kind;
  if (done_) return;
  auto v = json::Parse(data);
  if (!v || !v->is_object()) return;
  const std::string type = json::String(*v, "type");
  auto start = [&](const bj::value* response) {
    if (started_) return;
    started_ = true;
    ir::StreamEvent e{EK::kStart};
    if (response != nullptr) {
      e.id = json::String(*response, "id");
      e.model = json::String(*response, "model");
    }
    emit(e);
  };
  if (type == "response.created" || type == "response.in_progress") {
    start(json::Field(*v, "response"));
    return;
  }
  start(nullptr);
  const int64_t output_index = json::Int(*v, "output_index").value_or(-1);
  if (type == "response.output_text.delta") {
    ir::StreamEvent e{EK::kTextDelta};
    e.text = json::String(*v, "delta");
    if (!e.text.empty()) emit(e);
  } else if (type == "response.reasoning_summary_text.delta" ||
             type == "response.reasoning_text.delta") {
    ir::StreamEvent e{EK::kReasoningDelta};
    e.text = json::String(*v, "delta");
    if (!e.text.empty()) emit(e);
  } else if (type == "response.output_item.added" || type == "response.output_item.done") {
    const bj::value* item = json::Field(*v, "item");
    if (item == nullptr) return;
    const std::string kind = json::String(*item, "type");
    const bool custom = kind == "custom_tool_call";
    if (kind == "function_call" || custom) {
      auto it = calls_.find(output_index);
      if (it == calls_.end()) {
        if (calls_.size() >= 1024) return;
        const int call = static_cast<int>(calls_.size());
        it = calls_.emplace(output_index, call).first;
        ir::StreamEvent e{EK::kToolCallStart};
        e.index = call;
        e.call_id = json::String(*item, "call_id");
        if (e.call_id.empty()) e.call_id = "call_" + std::to_string(call);
        e.name = json::String(*item, "name");
        emit(e);
      }
      // A call whose arguments came whole (no deltas) gets them as one piece at its end.
      if (type == "response.output_item.done" && !args_seen_.count(it->second)) {
        ir::StreamEvent d{EK::kToolCallDelta};
        d.index = it->second;
        d.text = json::String(*item, custom ? "input" : "arguments");
        args_seen_.insert(it->second);
        if (!d.text.empty()) emit(d);
      }
    } else if (kind == "reasoning" && type == "response.output_item.done") {
      const std::string enc = json::String(*item, "encrypted_content");
      if (!enc.empty()) {
        ir::StreamEvent e{EK::kReasoningSignature};
        e.text = enc;
        emit(e);
      }
    }
  } else if (type == "response.function_call_arguments.delta" ||
             type == "response.custom_tool_call_input.delta") {
    auto it = calls_.find(output_index);
    if (it == calls_.end()) return;
    ir::StreamEvent d{EK::kToolCallDelta};
    d.index = it->second;
    d.text = json::String(*v, "delta");
    args_seen_.insert(it->second);
    if (!d.text.empty()) emit(d);
  } else if (type == "response.completed" || type == "response.incomplete") {
    const bj::value* response = json::Field(*v, "response");
    ir::StreamEvent f{EK::kFinish};
    if (type == "response.incomplete") {
      const bj::value* details = response ? json::Field(*response, "incomplete_details") : nullptr;
      f.finish = details != nullptr && json::String(*details, "reason") == "content_filter"
                     ? ir::FinishReason::kContentFilter
                     : ir::FinishReason::kLength;
    } else {
      f.finish = calls_.empty() ? ir::FinishReason::kStop : ir::FinishReason::kToolCalls;
    }
    emit(f);
    if (response != nullptr) {
      if (const bj::value* u = json::Field(*response, "usage")) {
        ir::StreamEvent e{EK::kUsage};
        e.usage = UsageFromObject(*u);
        if (e.usage.present) emit(e);
      }
    }
    done_ = true;
  } else if (type == "response.failed" || type == "error") {
    const bj::value* response = json::Field(*v, "response");
    const bj::value* error = response ? json::Field(*response, "error") : json::Field(*v, "error");
    ir::StreamEvent e{EK::kError};
    e.text = error != nullptr ? json::String(*error, "message") : json::String(*v, "message");
    if (e.text.empty()) e.text = "the provider failed the response";
    emit(e);
    done_ = true;
  }
}

}  // namespace agentgate::protocol
