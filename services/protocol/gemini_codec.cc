#include "services/protocol/gemini_codec.h"

#include <deque>

#include "services/protocol/json_util.h"
#include "services/protocol/model_name.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

absl::Status Bad(std::string_view what) { return absl::InvalidArgumentError(std::string(what)); }

// OpenAPI-style schemas ("type":"OBJECT") → JSON Schema ("type":"object").
bj::value LowerTypes(const bj::value& v) {
  if (v.is_object()) {
    bj::object out;
    for (const auto& [k, val] : v.get_object()) {
      if (k == "type" && val.is_string()) {
        std::string t(val.get_string());
        for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[k] = t;
      } else {
        out[k] = LowerTypes(val);
      }
    }
    return out;
  }
  if (v.is_array()) {
    bj::array out;
    for (const auto& e : v.get_array()) out.push_back(LowerTypes(e));
    return out;
  }
  return v;
}

std::string FinishName(ir::FinishReason f) {
  switch (f) {
    case ir::FinishReason::kLength:
      return "MAX_TOKENS";
    case ir::FinishReason::kContentFilter:
      return "SAFETY";
    default:
      return "STOP";
  }
}

bj::object UsageJson(const ir::Usage& u) {
  return bj::object{{"promptTokenCount", u.input},
                    {"candidatesTokenCount", u.output - u.reasoning},
                    {"thoughtsTokenCount", u.reasoning},
                    {"cachedContentTokenCount", u.cached},
                    {"totalTokenCount", u.input + u.output}};
}

bj::object Chunk(bj::array parts, std::string_view model) {
  return bj::object{
      {"candidates",
       bj::array{bj::object{{"content", bj::object{{"role", "model"}, {"parts", std::move(parts)}}},
                            {"index", 0}}}},
      {"modelVersion", model}};
}

std::string StatusName(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 413:
      return "INVALID_ARGUMENT";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
  }
}

}  // namespace

std::optional<ir::Part> GeminiPartToIr(const bj::value& p, std::vector<std::string>* losses) {
  ir::Part part;
  if (const auto* fc = json::Field(p, "functionCall")) {
    part.kind = ir::Part::Kind::kToolCall;
    part.name = json::String(*fc, "name");
    part.call_id = json::String(*fc, "id");
    part.signature = json::String(p, "thoughtSignature");
    const bj::value* args = json::Field(*fc, "args");
    part.arguments = args != nullptr && args->is_object() ? bj::serialize(*args) : "{}";
  } else if (const auto* inline_data = json::Field(p, "inlineData")) {
    std::string mime = json::String(*inline_data, "mimeType");
    if (mime.rfind("image/", 0) != 0) {
      if (losses != nullptr) losses->push_back("inline data of type " + mime);
      return std::nullopt;
    }
    part.kind = ir::Part::Kind::kImage;
    part.image.media_type = mime;
    part.image.data = json::String(*inline_data, "data");
  } else if (const auto* file = json::Field(p, "fileData")) {
    part.kind = ir::Part::Kind::kImage;
    part.image.media_type = json::String(*file, "mimeType");
    part.image.url = json::String(*file, "fileUri");
  } else if (const auto* text = json::Field(p, "text"); text && text->is_string()) {
    const auto* thought = json::Field(p, "thought");
    if (thought != nullptr && thought->is_bool() && thought->get_bool()) {
      part.kind = ir::Part::Kind::kReasoning;
      part.signature = json::String(p, "thoughtSignature");
    }
    part.text = std::string(text->get_string());
    if (part.text.empty()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return part;
}

bj::object GeminiFunctionCallPart(const std::string& id, const std::string& name,
                                  const std::string& args) {
  auto parsed = json::Parse(args.empty() ? "{}" : args);
  bj::object call{{"name", name},
                  {"args", parsed && parsed->is_object() ? *parsed : bj::value(bj::object{})}};
  if (!id.empty()) call["id"] = id;
  return bj::object{{"functionCall", std::move(call)}};
}

absl::StatusOr<ir::Request> DecodeGeminiRequest(std::string_view body, std::string_view model) {
  bj::monotonic_resource arena;  // the DOM is only read: one arena, freed at once
  auto parsed = json::ParseStrict(body, &arena);
  if (!parsed.ok()) return parsed.status();
  const bj::value& v = *parsed;
  if (!v.is_object()) return Bad("request body must be a JSON object");
  if (absl::Status st = CheckModelName(model); !st.ok()) return st;
  ir::Request req;
  req.model = std::string(model);
  if (const auto* si = json::Field(v, "systemInstruction")) {
    if (const bj::array* parts = json::Array(*si, "parts")) {
      for (const auto& p : *parts) {
        std::string t = json::String(p, "text");
        if (!t.empty()) req.system.push_back(std::move(t));
      }
    }
  }
  const bj::array* contents = json::Array(v, "contents");
  if (contents == nullptr)
    return Bad("* GenerateContentRequest.contents: contents is not specified");
  // Calls without ids get stable ones; responses without ids match the oldest open call of the
  // same name.
  std::map<std::string, std::deque<std::string>> open_calls;
  int generated = 0;
  for (const auto& c : *contents) {
    std::string role = json::String(c, "role", "user");
    ir::Message msg;
    if (role == "model") {
      msg.role = ir::Role::kAssistant;
    } else if (role == "user" || role == "function") {
      msg.role = ir::Role::kUser;
    } else {
      return Bad("* GenerateContentRequest.contents.role: must be 'user' or 'model'");
    }
    const bj::array* parts = json::Array(c, "parts");
    if (parts == nullptr) continue;
    for (const auto& p : *parts) {
      if (auto read = GeminiPartToIr(p, &req.losses)) {
        if (read->kind == ir::Part::Kind::kToolCall) {
          if (read->call_id.empty()) read->call_id = "call_" + std::to_string(++generated);
          open_calls[read->name].push_back(read->call_id);
        }
        msg.parts.push_back(std::move(*read));
        continue;
      }
      const auto* fr = json::Field(p, "functionResponse");
      if (fr == nullptr) continue;
      ir::Part part;
      part.kind = ir::Part::Kind::kToolResult;
      std::string name = json::String(*fr, "name");
      part.call_id = json::String(*fr, "id");
      auto& queue = open_calls[name];
      if (part.call_id.empty() && !queue.empty()) part.call_id = queue.front();
      if (!queue.empty()) queue.pop_front();
      if (part.call_id.empty()) part.call_id = "call_" + name;
      ir::Part text;
      const bj::value* response = json::Field(*fr, "response");
      if (response != nullptr) {
        const bj::value* output = json::Field(*response, "output");
        const bj::value* error = json::Field(*response, "error");
        if (output != nullptr && output->is_string()) {
          text.text = std::string(output->get_string());
        } else if (error != nullptr) {
          part.is_error = true;
          text.text = error->is_string() ? std::string(error->get_string()) : bj::serialize(*error);
        } else {
          text.text = bj::serialize(*response);
        }
      }
      part.content.push_back(std::move(text));
      msg.parts.push_back(std::move(part));
    }
    if (!msg.parts.empty()) req.messages.push_back(std::move(msg));
  }
  if (const bj::array* tools = json::Array(v, "tools")) {
    for (const auto& t : *tools) {
      if (!t.is_object()) return Bad("* GenerateContentRequest.tools: each tool must be an object");
      const bj::array* decls = json::Array(t, "functionDeclarations");
      if (decls == nullptr) {
        for (const auto& [k, val] : t.get_object()) {
          req.losses.push_back("hosted tool '" + std::string(k) + "'");
        }
        continue;
      }
      for (const auto& d : *decls) {
        ir::Tool tool;
        tool.name = json::String(d, "name");
        tool.description = json::String(d, "description");
        if (const auto* schema = json::Field(d, "parametersJsonSchema")) {
          tool.parameters = *schema;
        } else if (const auto* params = json::Field(d, "parameters")) {
          tool.parameters = LowerTypes(*params);
        } else {
          tool.parameters = bj::object{{"type", "object"}, {"properties", bj::object{}}};
        }
        req.tools.push_back(std::move(tool));
      }
    }
  }
  if (const auto* tc = json::Field(v, "toolConfig")) {
    if (const auto* fcc = json::Field(*tc, "functionCallingConfig")) {
      std::string mode = json::String(*fcc, "mode");
      req.tool_choice.set = !mode.empty();
      if (mode == "NONE") req.tool_choice.mode = ir::ToolChoice::Mode::kNone;
      if (mode == "ANY") {
        req.tool_choice.mode = ir::ToolChoice::Mode::kRequired;
        const bj::array* allowed = json::Array(*fcc, "allowedFunctionNames");
        if (allowed != nullptr && allowed->size() == 1 && (*allowed)[0].is_string()) {
          req.tool_choice.mode = ir::ToolChoice::Mode::kSpecific;
          req.tool_choice.name = std::string((*allowed)[0].get_string());
        }
      }
    }
  }
  if (const auto* gc = json::Field(v, "generationConfig")) {
    req.output_format = OutputFormatFromGemini(*gc);
    req.temperature = json::Double(*gc, "temperature");
    req.top_p = json::Double(*gc, "topP");
    req.top_k = json::Int(*gc, "topK");
    req.max_tokens = json::Int(*gc, "maxOutputTokens");
    if (const bj::array* stop = json::Array(*gc, "stopSequences")) {
      for (const auto& s : *stop) {
        if (s.is_string()) req.stop.emplace_back(s.get_string());
      }
    }
    if (const auto* th = json::Field(*gc, "thinkingConfig")) {
      auto budget = json::Int(*th, "thinkingBudget");
      if (budget && *budget > 0) {
        req.thinking_budget = budget;
        req.reasoning_effort = *budget < 4096 ? "low" : *budget < 16384 ? "medium" : "high";
      }
      // Gemini 3's form (Gemini CLI sends "HIGH", "LOW"…).
      if (std::string level = json::String(*th, "thinkingLevel"); !level.empty()) {
        req.reasoning_effort = ClientEffort(level);
      }
    }
  }
  return req;
}

std::string EncodeGeminiResponse(const ir::Response& r, std::string_view model) {
  bj::array parts;
  for (const auto& p : r.output) {
    if (p.kind == ir::Part::Kind::kReasoning) {
      parts.push_back(bj::object{{"text", p.text}, {"thought", true}});
    } else if (p.kind == ir::Part::Kind::kText) {
      parts.push_back(bj::object{{"text", p.text}});
    } else if (p.kind == ir::Part::Kind::kToolCall) {
      parts.push_back(GeminiFunctionCallPart(p.call_id, p.name, p.arguments));
    }
  }
  if (parts.empty()) parts.push_back(bj::object{{"text", ""}});
  bj::object o = Chunk(std::move(parts), model);
  o["candidates"].as_array()[0].as_object()["finishReason"] = FinishName(r.finish);
  o["usageMetadata"] = UsageJson(r.usage);
  if (!r.id.empty()) o["responseId"] = r.id;
  return bj::serialize(o);
}

std::string GeminiErrorBody(int status, std::string_view message) {
  return bj::serialize(bj::object{
      {"error",
       bj::object{{"code", status}, {"message", message}, {"status", StatusName(status)}}}});
}

void GeminiStreamEncoder::Encode(const ir::StreamEvent& ev, std::string* out) {
  using Kind = ir::StreamEvent::Kind;
  switch (ev.kind) {
    case Kind::kTextDelta:
      out->append(
          SseFrame("", bj::serialize(Chunk(bj::array{bj::object{{"text", ev.text}}}, model_))));
      break;
    case Kind::kReasoningDelta:
      out->append(
          SseFrame("", bj::serialize(Chunk(
                           bj::array{bj::object{{"text", ev.text}, {"thought", true}}}, model_))));
      break;
    case Kind::kToolCallStart:
      calls_[ev.index] = Call{ev.call_id, ev.name, ""};
      break;
    case Kind::kToolCallDelta:
      calls_[ev.index].args += ev.text;
      break;
    default:  // kFinish and kUsage: recorded by ClientStreamEncoder
      break;
  }
}

void GeminiStreamEncoder::Finish(std::string* out) {
  bj::array parts;
  for (const auto& [index, c] : calls_) {
    parts.push_back(GeminiFunctionCallPart(c.id, c.name, c.args));
  }
  if (parts.empty()) parts.push_back(bj::object{{"text", ""}});
  bj::object last = Chunk(std::move(parts), model_);
  last["candidates"].as_array()[0].as_object()["finishReason"] = FinishName(finish_);
  last["usageMetadata"] = UsageJson(usage_);
  out->append(SseFrame("", bj::serialize(last)));
}

void GeminiStreamEncoder::Failed(std::string_view message, std::string* out) {
  out->append(SseFrame("", GeminiErrorBody(500, message)));
}

}  // namespace agentgate::protocol
