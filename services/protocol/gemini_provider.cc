#include "services/protocol/gemini_provider.h"

#include <cctype>

#include "services/protocol/chat_codec.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/json_util.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

// Gemini's documented stand-in for a thoughtSignature a call never had.
constexpr std::string_view kPlaceholderSignature = "skip_thought_signature_validator";

// Gemini takes at most five stop sequences.
constexpr size_t kMaxStopSequences = 5;

// The thinking budget for a reasoning effort, when the client named no budget.
int64_t BudgetForEffort(std::string_view effort) {
  if (effort == "low" || effort == "minimal") return 2048;
  if (effort == "high" || effort == "xhigh" || effort == "max") return 24576;
  return 8192;
}

// Gemini requires a mimeType on fileData: the image's own, else a guess from the extension.
std::string ImageType(const ir::Image& img) {
  if (!img.media_type.empty()) return img.media_type;
  std::string path = img.url.substr(0, img.url.find_first_of("?#"));
  for (char& c : path) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ends_with = [&](std::string_view ext) {
    return path.size() >= ext.size() &&
           path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends_with(".png")) return "image/png";
  if (ends_with(".gif")) return "image/gif";
  if (ends_with(".webp")) return "image/webp";
  if (ends_with(".heic")) return "image/heic";
  return "image/jpeg";
}

bj::object ImagePart(const ir::Image& img) {
  // A data: URL is inline data (fileUri takes only uploaded files and http(s) URLs).
  if (size_t comma = img.url.find(";base64,");
      img.url.rfind("data:", 0) == 0 && comma != std::string::npos) {
    return bj::object{{"inlineData", bj::object{{"mimeType", img.url.substr(5, comma - 5)},
                                                {"data", img.url.substr(comma + 8)}}}};
  }
  if (!img.url.empty()) {
    return bj::object{{"fileData", bj::object{{"mimeType", ImageType(img)}, {"fileUri", img.url}}}};
  }
  return bj::object{
      {"inlineData", bj::object{{"mimeType", img.media_type.empty() ? "image/png" : img.media_type},
                                {"data", img.data}}}};
}

// The arguments of a call as Gemini's args object (a custom tool's raw input is {"input":…}).
std::string CallArguments(const ir::Part& call) {
  return call.custom ? bj::serialize(bj::object{{"input", call.arguments}}) : call.arguments;
}

// The name of the call that `call_id` answers: Gemini matches a functionResponse to its call by
// name. The newest call with that id before message `before` (ids generated for id-less calls
// may repeat across turns); the id itself when the call is not in the conversation.
std::string CalledName(const std::vector<ir::Message>& messages, size_t before,
                       const std::string& call_id) {
  for (size_t i = before; i-- > 0;) {
    for (const auto& p : messages[i].parts) {
      if (p.kind == ir::Part::Kind::kToolCall && p.call_id == call_id) return p.name;
    }
  }
  return call_id;
}

// {"functionResponse":…} for a tool result: the text as {"output":…} (or {"error":…}); its
// images follow as parts of their own.
void AppendToolResult(const ir::Part& result, const std::string& name, bj::array* parts) {
  std::string text;
  for (const auto& c : result.content) {
    if (c.kind != ir::Part::Kind::kText) continue;
    if (!text.empty()) text += "\n";
    text += c.text;
  }
  bj::object response{{"name", name},
                      {"response", bj::object{{result.is_error ? "error" : "output", text}}}};
  if (!result.call_id.empty()) response["id"] = result.call_id;
  parts->push_back(bj::object{{"functionResponse", std::move(response)}});
  for (const auto& c : result.content) {
    if (c.kind == ir::Part::Kind::kImage) parts->push_back(ImagePart(c.image));
  }
}

// A tool's schema for parametersJsonSchema (see EncodeGeminiRequest): the client's JSON Schema
// with "$schema" removed, the root an object.
bj::value ParametersSchema(const ir::Tool& t) {
  if (t.custom) {
    return bj::object{{"type", "object"},
                      {"properties", bj::object{{"input", bj::object{{"type", "string"}}}}},
                      {"required", bj::array{"input"}}};
  }
  if (!t.parameters.is_object()) {
    return bj::object{{"type", "object"}, {"properties", bj::object{}}};
  }
  bj::object schema = t.parameters.get_object();
  schema.erase("$schema");
  if (!schema.contains("type")) schema["type"] = "object";
  return schema;
}

ir::FinishReason FinishFromGemini(std::string_view f, bool called) {
  if (called) return ir::FinishReason::kToolCalls;
  if (f == "MAX_TOKENS") return ir::FinishReason::kLength;
  if (f == "SAFETY" || f == "RECITATION" || f == "PROHIBITED_CONTENT" || f == "BLOCKLIST" ||
      f == "SPII" || f == "IMAGE_SAFETY") {
    return ir::FinishReason::kContentFilter;
  }
  return ir::FinishReason::kStop;
}

// An id for the n-th call of an answer that came without one. Built from the answer's
// responseId when there is one, so that ids do not repeat across the turns of a conversation
// (Anthropic refuses a history with two tool_use blocks of the same id).
std::string GeneratedCallId(std::string_view response_id, int n) {
  std::string id = "call_";
  for (char c : response_id) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') id.push_back(c);
  }
  if (id.size() > 5) id.push_back('_');
  return id + std::to_string(n + 1);
}

// What one GenerateContentResponse (a whole answer or one stream chunk) says.
struct Answer {
  std::vector<ir::Part> parts;  // text, reasoning and tool calls of the first candidate
  std::string finish;           // its finishReason; "" when absent
  bool blocked = false;         // no candidate but promptFeedback: the prompt was refused

  // `called`: the answer (so far) holds a function call.
  ir::FinishReason Finish(bool called) const {
    return blocked ? ir::FinishReason::kContentFilter : FinishFromGemini(finish, called);
  }
};

// `first_call`: the number of function calls before this answer (earlier chunks), for the ids
// of calls that come without one.
Answer ReadAnswer(const bj::value& v, int first_call) {
  Answer a;
  const bj::array* candidates = json::Array(v, "candidates");
  if (candidates == nullptr || candidates->empty()) {
    a.blocked = json::Field(v, "promptFeedback") != nullptr;
    return a;
  }
  const bj::value& candidate = (*candidates)[0];
  a.finish = json::String(candidate, "finishReason");
  const bj::value* content = json::Field(candidate, "content");
  const bj::array* parts = content != nullptr ? json::Array(*content, "parts") : nullptr;
  if (parts == nullptr) return a;
  for (const auto& p : *parts) {
    auto part = GeminiPartToIr(p, nullptr);
    // Images in an answer (image models) have no place in the clients' answers.
    if (!part || part->kind == ir::Part::Kind::kImage) continue;
    if (part->kind == ir::Part::Kind::kToolCall && part->call_id.empty()) {
      part->call_id = GeneratedCallId(json::String(v, "responseId"), first_call);
    }
    first_call += part->kind == ir::Part::Kind::kToolCall ? 1 : 0;
    a.parts.push_back(std::move(*part));
  }
  return a;
}

}  // namespace

// Decisions, from the v1beta API definitions (googleapis generativelanguage v1beta clients):
// - Tool schemas go in parametersJsonSchema, which takes plain JSON Schema (anyOf, $ref,
//   additionalProperties, type arrays…) and is what Gemini CLI itself sends; `parameters` is an
//   OpenAPI subset that refuses whole requests over one unknown keyword. Only "$schema" is
//   removed (tool frameworks add it; it describes nothing).
// - functionCall and functionResponse carry the call's id: v1beta's FunctionCall and
//   FunctionResponse both have an optional `id`, Gemini CLI sends it on its responses, and
//   Gemini 3 models use it to tie a response to its call. The name is sent as well, since
//   older models match by name.
std::string EncodeGeminiRequest(ir::Request& req, std::string_view model) {
  const ModelRules& rules = RulesFor(model);
  bj::object body;
  if (!req.system.empty()) {
    bj::array parts;
    for (const auto& s : req.system) {
      if (!s.empty()) parts.push_back(bj::object{{"text", s}});
    }
    if (!parts.empty()) body["systemInstruction"] = bj::object{{"parts", std::move(parts)}};
  }

  // Gemini wants user and model turns to alternate: a turn with the role of the one before is
  // merged into it.
  bj::array contents;
  auto add = [&](std::string_view role, bj::array parts) {
    if (parts.empty()) return;
    if (!contents.empty() && json::String(contents.back(), "role") == role) {
      bj::array& last = contents.back().at("parts").as_array();
      for (auto& p : parts) last.push_back(std::move(p));
      return;
    }
    contents.push_back(bj::object{{"role", role}, {"parts", std::move(parts)}});
  };
  bool placeholders = false;
  for (size_t i = 0; i < req.messages.size(); ++i) {
    const ir::Message& m = req.messages[i];
    bj::array results;  // function responses open a user turn
    bj::array parts;
    bool signed_step = false;  // the step's first call has its signature
    for (const auto& p : m.parts) {
      switch (p.kind) {
        case ir::Part::Kind::kText:
          if (!p.text.empty()) parts.push_back(bj::object{{"text", p.text}});
          break;
        case ir::Part::Kind::kImage:
          if (m.role != ir::Role::kSystem) parts.push_back(ImagePart(p.image));
          break;
        case ir::Part::Kind::kToolCall:
          if (m.role == ir::Role::kAssistant) {
            bj::object call = GeminiFunctionCallPart(p.call_id, p.name, CallArguments(p));
            // Gemini 3+ refuses the first call of each step without its thoughtSignature
            // ("Function call is missing a thought_signature in functionCall parts"): the
            // call's own when the edge kept it for this provider, else the documented
            // placeholder for history that never had one (ai.google.dev/gemini-api/docs/
            // thought-signatures, 2026-12).
            if (!p.signature.empty()) {
              call["thoughtSignature"] = p.signature;
            } else if (rules.thought_signatures && !signed_step) {
              call["thoughtSignature"] = kPlaceholderSignature;
              placeholders = true;
            }
            signed_step = true;
            parts.push_back(std::move(call));
          }
          break;
        case ir::Part::Kind::kToolResult:
          AppendToolResult(p, CalledName(req.messages, i, p.call_id), &results);
          break;
        case ir::Part::Kind::kReasoning:
          break;  // Gemini thinks afresh each turn; its own thoughts are not sent back either
      }
    }
    if (m.role == ir::Role::kAssistant) {
      add("user", std::move(results));
      add("model", std::move(parts));
    } else {
      for (auto& p : parts) results.push_back(std::move(p));
      add("user", std::move(results));
    }
  }
  if (placeholders) {
    req.losses.push_back(
        "thought signatures of earlier tool calls (not kept; Gemini's placeholder sent)");
  }
  body["contents"] = std::move(contents);

  if (!req.tools.empty()) {
    bj::array decls;
    for (const auto& t : req.tools) {
      bj::object decl{{"name", t.name}, {"parametersJsonSchema", ParametersSchema(t)}};
      if (!t.description.empty()) decl["description"] = t.description;
      decls.push_back(std::move(decl));
    }
    body["tools"] = bj::array{bj::object{{"functionDeclarations", std::move(decls)}}};
    if (req.tool_choice.set) {
      bj::object config;
      switch (req.tool_choice.mode) {
        case ir::ToolChoice::Mode::kAuto:
          config["mode"] = "AUTO";
          break;
        case ir::ToolChoice::Mode::kNone:
          config["mode"] = "NONE";
          break;
        case ir::ToolChoice::Mode::kRequired:
          config["mode"] = "ANY";
          break;
        case ir::ToolChoice::Mode::kSpecific:
          config["mode"] = "ANY";
          config["allowedFunctionNames"] = bj::array{bj::value(req.tool_choice.name)};
          break;
      }
      body["toolConfig"] = bj::object{{"functionCallingConfig", std::move(config)}};
    }
    if (req.parallel_tool_calls.has_value() && !*req.parallel_tool_calls) {
      req.losses.push_back("parallel_tool_calls=false (Gemini cannot forbid parallel calls)");
    }
  }

  bj::object gen;
  if (req.temperature) gen["temperature"] = *req.temperature;
  if (req.top_p) gen["topP"] = *req.top_p;
  if (req.top_k) gen["topK"] = *req.top_k;
  if (req.max_tokens) {
    gen["maxOutputTokens"] =
        rules.max_output > 0 ? std::min(*req.max_tokens, rules.max_output) : *req.max_tokens;
  }
  if (!req.stop.empty()) {
    bj::array stop;
    for (const auto& s : req.stop) {
      if (stop.size() < kMaxStopSequences) stop.emplace_back(s);
    }
    if (req.stop.size() > kMaxStopSequences) {
      req.losses.push_back("stop sequences beyond the first five");
    }
    gen["stopSequences"] = std::move(stop);
  }
  // Gemini 3 and later take a thinkingLevel and refuse a budget; 2.5 the reverse (both → 400).
  const bool budget_asked = req.thinking_budget && *req.thinking_budget > 0;
  if (rules.thinking == ThinkingForm::kEffort && (budget_asked || !req.reasoning_effort.empty())) {
    std::string level = budget_asked ? EffortForBudget(rules, *req.thinking_budget)
                                     : EffortFor(rules, req.reasoning_effort);
    gen["thinkingConfig"] = bj::object{{"thinkingLevel", level}, {"includeThoughts", true}};
  } else {
    int64_t budget = 0;
    if (budget_asked) {
      budget = *req.thinking_budget;
    } else if (!req.reasoning_effort.empty()) {
      budget = BudgetForEffort(req.reasoning_effort);
    }
    if (budget > 0) {
      gen["thinkingConfig"] = bj::object{{"thinkingBudget", budget}, {"includeThoughts", true}};
    }
  }
  // Structured output: JSON, and its JSON Schema (responseJsonSchema, Gemini 2.5 and later).
  if (req.output_format.kind != ir::OutputFormat::Kind::kText) {
    gen["responseMimeType"] = "application/json";
    if (req.output_format.kind == ir::OutputFormat::Kind::kJsonSchema) {
      gen["responseJsonSchema"] = req.output_format.schema;
    }
  }
  if (!gen.empty()) body["generationConfig"] = std::move(gen);
  return bj::serialize(body);
}

absl::StatusOr<ir::Response> DecodeGeminiResponse(std::string_view body) {
  auto v = json::Parse(body);
  if (!v || !v->is_object() ||
      (json::Array(*v, "candidates") == nullptr && json::Field(*v, "promptFeedback") == nullptr)) {
    return absl::InvalidArgumentError(
        "the provider's answer is not a Gemini GenerateContentResponse");
  }
  ir::Response r;
  r.id = json::String(*v, "responseId");
  r.model = json::String(*v, "modelVersion");
  if (const auto* u = json::Field(*v, "usageMetadata")) r.usage = UsageFromObject(*u);
  Answer a = ReadAnswer(*v, 0);
  bool called = false;
  for (const auto& p : a.parts) called |= p.kind == ir::Part::Kind::kToolCall;
  r.output = std::move(a.parts);
  r.finish = a.Finish(called);
  return r;
}

void GeminiStreamDecoder::Feed(std::string_view chunk,
                               const std::function<void(const ir::StreamEvent&)>& emit) {
  parser_.Feed(chunk, [&](const SseEvent& ev) { OnData(ev.data, emit); });
}

void GeminiStreamDecoder::OnData(std::string_view data,
                                 const std::function<void(const ir::StreamEvent&)>& emit) {
  auto v = json::Parse(data);
  if (!v || !v->is_object()) return;  // not JSON: nothing we can carry
  using Kind = ir::StreamEvent::Kind;
  if (json::Field(*v, "error") != nullptr) {  // {"error":{"code","message","status"}}
    ir::StreamEvent failure{Kind::kError};
    failure.text = UpstreamErrorMessage(data);
    emit(failure);
    return;
  }
  if (!started_) {
    started_ = true;
    ir::StreamEvent start{Kind::kStart};
    start.id = json::String(*v, "responseId");
    start.model = json::String(*v, "modelVersion");
    emit(start);
  }
  Answer a = ReadAnswer(*v, calls_);
  for (auto& p : a.parts) {
    if (p.kind == ir::Part::Kind::kToolCall) {
      ir::StreamEvent call{Kind::kToolCallStart};
      call.index = calls_++;
      call.call_id = std::move(p.call_id);
      call.name = std::move(p.name);
      call.signature = std::move(p.signature);
      emit(call);
      ir::StreamEvent args{Kind::kToolCallDelta};
      args.index = call.index;
      args.text = std::move(p.arguments);
      emit(args);
    } else {
      ir::StreamEvent e{p.kind == ir::Part::Kind::kReasoning ? Kind::kReasoningDelta
                                                             : Kind::kTextDelta};
      e.text = std::move(p.text);
      emit(e);
    }
  }
  if ((!a.finish.empty() || a.blocked) && !finished_) {
    finished_ = true;
    ir::StreamEvent e{Kind::kFinish};
    e.finish = a.Finish(calls_ > 0);
    emit(e);
  }
  // Every chunk carries the counts so far; the last one has the final counts.
  if (const auto* u = json::Field(*v, "usageMetadata")) {
    ir::StreamEvent e{Kind::kUsage};
    e.usage = UsageFromObject(*u);
    if (e.usage.present) emit(e);
  }
}

}  // namespace agentgate::protocol
