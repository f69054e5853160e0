#include "services/protocol/messages_provider.h"

#include <algorithm>

#include "services/protocol/json_util.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

constexpr int64_t kMinThinkingBudget = 1024;

int64_t BudgetForEffort(std::string_view effort) {
  if (effort == "low" || effort == "minimal") return 2048;
  if (effort == "high") return 16384;
  if (effort == "xhigh") return 24576;
  if (effort == "max") return 32768;
  return 8192;
}

bj::object ImageBlock(const ir::Image& img) {
  bj::object source;
  if (!img.url.empty()) {
    source = {{"type", "url"}, {"url", img.url}};
  } else {
    source = {{"type", "base64"},
              {"media_type", img.media_type.empty() ? "image/png" : img.media_type},
              {"data", img.data}};
  }
  return bj::object{{"type", "image"}, {"source", std::move(source)}};
}

bj::value ToolInput(const ir::Part& call) {
  if (call.custom) return bj::object{{"input", call.arguments}};
  auto v = json::Parse(call.arguments.empty() ? "{}" : call.arguments);
  if (v && v->is_object()) return *v;
  return bj::object{};
}

bj::value CustomToolSchema() {
  return bj::object{{"type", "object"},
                    {"properties", bj::object{{"input", bj::object{{"type", "string"}}}}},
                    {"required", bj::array{"input"}}};
}

ir::FinishReason FinishFromStopReason(std::string_view r) {
  if (r == "max_tokens" || r == "model_context_window_exceeded") return ir::FinishReason::kLength;
  if (r == "tool_use") return ir::FinishReason::kToolCalls;
  if (r == "refusal") return ir::FinishReason::kContentFilter;
  return ir::FinishReason::kStop;
}

// Content blocks for one turn of `role`. Tool results lead a user turn (Anthropic requires
// them first); text blocks are never empty (Anthropic refuses those).
bj::array Blocks(const ir::Message& m, bool* dropped_unsigned, bool* dropped_image_in_result) {
  bj::array results;
  bj::array rest;
  for (const auto& p : m.parts) {
    switch (p.kind) {
      case ir::Part::Kind::kText:
        if (!p.text.empty()) rest.push_back(bj::object{{"type", "text"}, {"text", p.text}});
        break;
      case ir::Part::Kind::kImage:
        rest.push_back(ImageBlock(p.image));
        break;
      case ir::Part::Kind::kToolCall:
        rest.push_back(bj::object{
            {"type", "tool_use"}, {"id", p.call_id}, {"name", p.name}, {"input", ToolInput(p)}});
        break;
      case ir::Part::Kind::kToolResult: {
        bj::array content;
        for (const auto& c : p.content) {
          if (c.kind == ir::Part::Kind::kText && !c.text.empty()) {
            content.push_back(bj::object{{"type", "text"}, {"text", c.text}});
          } else if (c.kind == ir::Part::Kind::kImage) {
            content.push_back(ImageBlock(c.image));
          } else if (c.kind != ir::Part::Kind::kText) {
            *dropped_image_in_result = true;
          }
        }
        bj::object block{{"type", "tool_result"}, {"tool_use_id", p.call_id}};
        if (!content.empty()) block["content"] = std::move(content);
        if (p.is_error) block["is_error"] = true;
        results.push_back(std::move(block));
        break;
      }
      case ir::Part::Kind::kReasoning:
        // Only Anthropic's own signed thinking can go back; anything else (another provider's
        // reasoning, Responses' encrypted_content of OpenAI) would be refused.
        if (p.redacted && !p.signature.empty()) {
          rest.push_back(bj::object{{"type", "redacted_thinking"}, {"data", p.signature}});
        } else if (!p.signature.empty() && p.signature.rfind("agentgate:", 0) != 0) {
          rest.push_back(
              bj::object{{"type", "thinking"}, {"thinking", p.text}, {"signature", p.signature}});
        } else if (!p.text.empty()) {
          *dropped_unsigned = true;
        }
        break;
    }
  }
  for (auto& b : rest) results.push_back(std::move(b));
  return results;
}

// True when the turn opens with a thinking block (Anthropic requires one before tool_use in the
// turn that continues a tool loop while thinking is on).
bool OpensWithThinking(const bj::array& blocks) {
  if (blocks.empty()) return false;
  std::string type = json::String(blocks.front(), "type");
  return type == "thinking" || type == "redacted_thinking";
}

bool HasToolUse(const bj::array& blocks) {
  return std::any_of(blocks.begin(), blocks.end(),
                     [](const bj::value& b) { return json::String(b, "type") == "tool_use"; });
}

void MarkCache(bj::value& block) {
  if (block.is_object()) block.as_object()["cache_control"] = bj::object{{"type", "ephemeral"}};
}

}  // namespace

MessagesDialect MessagesDialect::ForProviderType(std::string_view type) {
  MessagesDialect d;
  (void)type;  // every Messages provider seen so far takes the same request
  return d;
}

bool SupportsThinking(std::string_view model) {
  if (model.find("claude-3-7") != std::string_view::npos) return true;
  // claude-3-opus, claude-3-5-sonnet, claude-3-haiku…: no extended thinking.
  return model.find("claude-3") == std::string_view::npos &&
         model.find("claude-2") == std::string_view::npos &&
         model.find("claude-instant") == std::string_view::npos;
}

namespace {

// A JSON Schema with "additionalProperties": false on every object schema that says nothing of
// it (Anthropic's structured outputs refuse open objects).
bj::value ClosedObjects(bj::value schema) {
  if (schema.is_object()) {
    bj::object& o = schema.as_object();
    for (auto& kv : o) kv.value() = ClosedObjects(std::move(kv.value()));
    const bj::value* type = o.if_contains("type");
    if (type != nullptr && type->is_string() && type->as_string() == "object" &&
        !o.contains("additionalProperties")) {
      o["additionalProperties"] = false;
    }
  } else if (schema.is_array()) {
    for (auto& e : schema.as_array()) e = ClosedObjects(std::move(e));
  }
  return schema;
}

}  // namespace

std::string EncodeMessagesRequest(ir::Request& req, std::string_view model,
                                  const MessagesDialect& dialect) {
  bj::object body;
  body["model"] = model;

  bj::array system;
  for (const auto& s : req.system) {
    if (!s.empty()) system.push_back(bj::object{{"type", "text"}, {"text", s}});
  }
  // Anthropic has no JSON mode: asked for in words.
  if (req.output_format.kind == ir::OutputFormat::Kind::kJsonObject) {
    system.push_back(bj::object{{"type", "text"}, {"text", kJsonInstruction}});
    req.losses.push_back("JSON mode (asked for in the system prompt: the provider has none)");
  }

  // Turns: same-role neighbours merged; mid-conversation system messages join the user turn.
  bj::array messages;
  std::string last_role;
  bool dropped_unsigned = false;
  bool dropped_result_content = false;
  for (const auto& m : req.messages) {
    std::string role = m.role == ir::Role::kAssistant ? "assistant" : "user";
    bj::array blocks = Blocks(m, &dropped_unsigned, &dropped_result_content);
    if (blocks.empty()) continue;
    if (role == last_role && !messages.empty()) {
      bj::array& prev = messages.back().as_object()["content"].as_array();
      // Tool results must stay in front of the user turn they join.
      auto first_other = std::find_if(prev.begin(), prev.end(), [](const bj::value& b) {
        return json::String(b, "type") != "tool_result";
      });
      size_t at = static_cast<size_t>(first_other - prev.begin());
      for (auto& b : blocks) {
        if (json::String(b, "type") == "tool_result") {
          prev.insert(prev.begin() + static_cast<std::ptrdiff_t>(at++), std::move(b));
        } else {
          prev.push_back(std::move(b));
        }
      }
      continue;
    }
    messages.push_back(bj::object{{"role", role}, {"content", std::move(blocks)}});
    last_role = role;
  }
  if (dropped_unsigned) {
    req.losses.push_back("earlier reasoning (not signed by Anthropic, so it cannot be sent back)");
  }
  if (dropped_result_content) req.losses.push_back("non-text content inside a tool result");

  bj::array tools;
  for (const auto& t : req.tools) {
    bj::value schema = t.custom || !t.parameters.is_object() ? CustomToolSchema() : t.parameters;
    bj::object tool{{"name", t.name}, {"input_schema", std::move(schema)}};
    if (!t.description.empty()) tool["description"] = t.description;
    tools.push_back(std::move(tool));
  }

  // Prompt caching: the tool list, the system prompt and the two newest user turns end in a
  // cache breakpoint (Anthropic allows four), so each turn reads what the last one wrote.
  if (dialect.cache_control) {
    if (!tools.empty()) MarkCache(tools.back());
    if (!system.empty()) MarkCache(system.back());
    int marked = 0;
    for (auto it = messages.rbegin(); it != messages.rend() && marked < 2; ++it) {
      if (json::String(*it, "role") != "user") continue;
      bj::array& content = it->as_object()["content"].as_array();
      if (content.empty()) continue;
      MarkCache(content.back());
      ++marked;
    }
  }
  if (!system.empty()) body["system"] = std::move(system);
  // Structured output (output_config.format): Anthropic wants every object schema closed.
  if (req.output_format.kind == ir::OutputFormat::Kind::kJsonSchema) {
    bj::value& oc = body["output_config"];
    if (!oc.is_object()) oc.emplace_object();
    oc.as_object()["format"] =
        bj::object{{"type", "json_schema"}, {"schema", ClosedObjects(req.output_format.schema)}};
  }
  const ModelRules& rules = RulesFor(model);
  // Opus 5 and the 5.5 models refuse a conversation that ends with the assistant (prefill).
  if (!rules.prefill && !messages.empty() && json::String(messages.back(), "role") == "assistant") {
    messages.pop_back();
    req.losses.push_back("the assistant prefill (" + std::string(model) + " refuses it)");
  }

  // Thinking, in the form the model takes (provider-rules.h). A turn continuing a tool loop
  // must open with signed thinking while thinking is on, so thinking is turned off when the
  // client did not keep it — where the model allows that.
  ThinkingForm form = rules.family == Family::kAnthropic ? rules.thinking
                      : SupportsThinking(model)          ? ThinkingForm::kBudget
                                                         : ThinkingForm::kNone;
  const bool asked = req.thinking_budget || !req.reasoning_effort.empty();
  bool thinking_on = form != ThinkingForm::kNone && (asked || rules.thinks_by_default);
  bool turn_off = false;
  if (thinking_on) {
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (json::String(*it, "role") != "assistant") continue;
      const bj::array& blocks = it->at("content").as_array();
      if (HasToolUse(blocks) && !OpensWithThinking(blocks)) {
        if (rules.off == ThinkingOff::kLowest) {
          req.losses.push_back("the earlier turn's thinking (not kept by the client; " +
                               std::string(model) + " cannot turn thinking off)");
        } else {
          turn_off = true;
          thinking_on = false;
          if (asked) {
            req.losses.push_back(
                "thinking for this turn (the earlier turn's thinking is unsigned)");
          }
        }
      }
      break;
    }
  }
  body["messages"] = std::move(messages);

  int64_t budget = 0;
  if (thinking_on && asked && form == ThinkingForm::kBudget) {
    budget = std::max(req.thinking_budget.value_or(BudgetForEffort(req.reasoning_effort)),
                      kMinThinkingBudget);
  }
  int64_t max_tokens = req.max_tokens.value_or(dialect.default_max_tokens + budget);
  if (rules.max_output > 0) max_tokens = std::min(max_tokens, rules.max_output);
  if (budget > 0 && max_tokens <= budget) {
    budget = std::max<int64_t>(max_tokens / 2, 0);
    if (budget < kMinThinkingBudget) budget = 0;
  }
  body["max_tokens"] = max_tokens < 1 ? 1 : max_tokens;
  if (budget > 0) {
    body["thinking"] = bj::object{{"type", "enabled"}, {"budget_tokens", budget}};
  } else if (thinking_on && asked && form == ThinkingForm::kEffort) {
    bj::object thinking{{"type", "adaptive"}};
    if (rules.display_summarized) thinking["display"] = "summarized";
    body["thinking"] = std::move(thinking);
    std::string effort = req.thinking_budget ? EffortForBudget(rules, *req.thinking_budget)
                                             : EffortFor(rules, req.reasoning_effort);
    if (!effort.empty()) body["output_config"].emplace_object()["effort"] = effort;
  } else if (turn_off && rules.off == ThinkingOff::kDisabled) {
    body["thinking"] = bj::object{{"type", "disabled"}};
  }
  if (asked && budget == 0 && form == ThinkingForm::kBudget) thinking_on = false;

  // Sampling: refused outright by the newest models, and alongside thinking by the rest.
  const bool sampling_ok = rules.sampling && (!thinking_on || rules.sampling_with_thinking);
  if (sampling_ok) {
    if (req.temperature) body["temperature"] = std::clamp(*req.temperature, 0.0, 1.0);
    if (req.top_p) body["top_p"] = *req.top_p;
    if (req.top_k && (!thinking_on || rules.top_k_with_thinking)) body["top_k"] = *req.top_k;
  } else if (req.temperature || req.top_p || req.top_k) {
    req.losses.push_back(
        std::string("temperature, top_p and top_k (") +
        (rules.sampling ? "not accepted with thinking" : std::string(model) + " refuses them") +
        ")");
  }

  if (!tools.empty()) {
    body["tools"] = std::move(tools);
    ir::ToolChoice::Mode mode = req.tool_choice.mode;
    const bool forced =
        mode == ir::ToolChoice::Mode::kRequired || mode == ir::ToolChoice::Mode::kSpecific;
    if (forced && (rules.forced_tools == ForcedTools::kNever ||
                   (rules.forced_tools == ForcedTools::kNotWithThinking && thinking_on))) {
      mode = ir::ToolChoice::Mode::kAuto;
      req.losses.push_back("the forced tool choice (" + std::string(model) +
                           (rules.forced_tools == ForcedTools::kNever
                                ? " refuses it; sent as auto)"
                                : " refuses it with thinking on; sent as auto)"));
    }
    bj::object choice;
    switch (mode) {
      case ir::ToolChoice::Mode::kAuto:
        choice = {{"type", "auto"}};
        break;
      case ir::ToolChoice::Mode::kNone:
        choice = {{"type", "none"}};
        break;
      case ir::ToolChoice::Mode::kRequired:
        choice = {{"type", "any"}};
        break;
      case ir::ToolChoice::Mode::kSpecific:
        choice = {{"type", "tool"}, {"name", req.tool_choice.name}};
        break;
    }
    if (req.parallel_tool_calls && !*req.parallel_tool_calls) {
      choice["disable_parallel_tool_use"] = true;
    }
    if (req.tool_choice.set || choice.contains("disable_parallel_tool_use")) {
      body["tool_choice"] = std::move(choice);
    }
  }
  if (!req.stop.empty()) {
    bj::array stop;
    for (const auto& s : req.stop) {
      if (!s.empty() && s.find_first_not_of(" \t\r\n") != std::string::npos) stop.emplace_back(s);
    }
    if (!stop.empty()) body["stop_sequences"] = std::move(stop);
  }
  if (req.stream) body["stream"] = true;
  return bj::serialize(body);
}

absl::StatusOr<ir::Response> DecodeMessagesResponse(std::string_view body) {
  auto v = json::Parse(body);
  const bj::array* content = v ? json::Array(*v, "content") : nullptr;
  if (!v || content == nullptr) {
    return absl::InvalidArgumentError("the provider's answer is not a Messages response");
  }
  ir::Response r;
  r.id = json::String(*v, "id");
  r.model = json::String(*v, "model");
  std::vector<std::string> ignored;
  for (const auto& b : *content) {
    if (!ReadMessagesBlock(b, &r.output, &ignored).ok()) continue;
  }
  // Empty text blocks are skipped by the reader; tool calls keep their ids.
  r.finish = FinishFromStopReason(json::String(*v, "stop_reason", "end_turn"));
  if (const auto* u = json::Field(*v, "usage")) r.usage = UsageFromObject(*u);
  return r;
}

void MessagesStreamDecoder::Feed(std::string_view chunk,
                                 const std::function<void(const ir::StreamEvent&)>& emit) {
  parser_.Feed(chunk, [&](const SseEvent& ev) { OnEvent(ev.data, emit); });
}

void MessagesStreamDecoder::OnEvent(std::string_view data,
                                    const std::function<void(const ir::StreamEvent&)>& emit) {
  using Kind = ir::StreamEvent::Kind;
  auto v = json::Parse(data);
  if (!v || !v->is_object()) return;
  std::string type = json::String(*v, "type");
  auto merge_usage = [&](const bj::value* u) {
    if (u == nullptr || !u->is_object()) return;
    // message_delta repeats or completes message_start's counts: keep the larger of each.
    ir::Usage n = UsageFromObject(*u);
    if (!n.present) return;
    MergeLargest(&usage_, n);
    ir::StreamEvent e{Kind::kUsage};
    e.usage = usage_;
    emit(e);
  };

  if (type == "message_start") {
    const bj::value* msg = json::Field(*v, "message");
    ir::StreamEvent e{Kind::kStart};
    if (msg != nullptr) {
      e.id = json::String(*msg, "id");
      e.model = json::String(*msg, "model");
    }
    emit(e);
    if (msg != nullptr) merge_usage(json::Field(*msg, "usage"));
  } else if (type == "content_block_start") {
    const bj::value* block = json::Field(*v, "content_block");
    int64_t index = json::Int(*v, "index").value_or(-1);
    if (block == nullptr) return;
    std::string kind = json::String(*block, "type");
    if (kind == "text") {
      std::string text = json::String(*block, "text");
      if (!text.empty()) {
        ir::StreamEvent e{Kind::kTextDelta};
        e.text = std::move(text);
        emit(e);
      }
    } else if (kind == "thinking") {
      std::string text = json::String(*block, "thinking");
      if (!text.empty()) {
        ir::StreamEvent e{Kind::kReasoningDelta};
        e.text = std::move(text);
        emit(e);
      }
    } else if (kind == "tool_use") {
      if (tool_index_.size() >= 1024 || tool_index_.count(index)) return;
      int tool = static_cast<int>(tool_index_.size());
      tool_index_[index] = tool;
      saw_tool_ = true;
      ir::StreamEvent e{Kind::kToolCallStart};
      e.index = tool;
      e.call_id = json::String(*block, "id");
      if (e.call_id.empty()) e.call_id = "toolu_" + std::to_string(tool);
      e.name = json::String(*block, "name");
      emit(e);
      const bj::value* input = json::Field(*block, "input");
      if (input != nullptr && input->is_object() && !input->get_object().empty()) {
        ir::StreamEvent d{Kind::kToolCallDelta};
        d.index = tool;
        d.text = bj::serialize(*input);
        emit(d);
        args_seen_.insert(index);
      }
    }
  } else if (type == "content_block_delta") {
    const bj::value* delta = json::Field(*v, "delta");
    if (delta == nullptr) return;
    std::string kind = json::String(*delta, "type");
    ir::StreamEvent e{Kind::kTextDelta};
    if (kind == "text_delta") {
      e.text = json::String(*delta, "text");
    } else if (kind == "thinking_delta") {
      e.kind = Kind::kReasoningDelta;
      e.text = json::String(*delta, "thinking");
    } else if (kind == "signature_delta") {
      e.kind = Kind::kReasoningSignature;
      e.text = json::String(*delta, "signature");
    } else if (kind == "input_json_delta") {
      int64_t index = json::Int(*v, "index").value_or(-1);
      auto it = tool_index_.find(index);
      if (it == tool_index_.end()) return;
      e.kind = Kind::kToolCallDelta;
      e.index = it->second;
      e.text = json::String(*delta, "partial_json");
      if (!e.text.empty()) args_seen_.insert(index);
    } else {
      return;  // citations and other deltas have no counterpart
    }
    if (!e.text.empty()) emit(e);
  } else if (type == "content_block_stop") {
    // A call without arguments still needs a JSON object for its arguments.
    int64_t index = json::Int(*v, "index").value_or(-1);
    auto it = tool_index_.find(index);
    if (it != tool_index_.end() && !args_seen_.count(index)) {
      args_seen_.insert(index);
      ir::StreamEvent e{Kind::kToolCallDelta};
      e.index = it->second;
      e.text = "{}";
      emit(e);
    }
  } else if (type == "message_delta") {
    if (const auto* delta = json::Field(*v, "delta")) {
      std::string reason = json::String(*delta, "stop_reason");
      if (!reason.empty()) {
        ir::StreamEvent e{Kind::kFinish};
        e.finish = FinishFromStopReason(reason);
        if (saw_tool_ && e.finish == ir::FinishReason::kStop)
          e.finish = ir::FinishReason::kToolCalls;
        emit(e);
      }
    }
    merge_usage(json::Field(*v, "usage"));
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    ir::StreamEvent e{Kind::kError};
    const bj::value* err = json::Field(*v, "error");
    e.text = err != nullptr ? json::String(*err, "message") : "";
    if (e.text.empty()) e.text = "the provider reported an error";
    emit(e);
  }
}

std::optional<std::string> AddToolTurnThinking(
    std::string_view body, std::string_view model,
    const std::function<std::vector<ir::Part>(const std::string& tool_use_id)>& kept,
    int* missing) {
  return json::EditAssistantTurns(body, model, [&](bj::object& msg) {
    bj::value* content = msg.if_contains("content");
    if (content == nullptr || !content->is_array() || content->as_array().empty()) return false;
    bj::array& blocks = content->as_array();
    const std::string first = json::String(blocks.front(), "type");
    if (first == "thinking" || first == "redacted_thinking") return false;
    std::string tool_use_id;
    for (const auto& b : blocks) {
      if (json::String(b, "type") == "tool_use") {
        tool_use_id = json::String(b, "id");
        break;
      }
    }
    if (tool_use_id.empty()) return false;
    bj::array thinking;
    for (const auto& p : kept(tool_use_id)) {
      if (p.kind != ir::Part::Kind::kReasoning || p.signature.empty()) continue;
      if (p.redacted) {
        thinking.push_back(bj::object{{"type", "redacted_thinking"}, {"data", p.signature}});
      } else {
        thinking.push_back(
            bj::object{{"type", "thinking"}, {"thinking", p.text}, {"signature", p.signature}});
      }
    }
    if (thinking.empty()) {
      if (missing != nullptr) ++*missing;
      return false;
    }
    blocks.insert(blocks.begin(), thinking.begin(), thinking.end());
    return true;
  });
}

}  // namespace agentgate::protocol
