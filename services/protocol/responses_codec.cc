#include "services/protocol/responses_codec.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "services/protocol/chat_codec.h"
#include "services/protocol/json_util.h"
#include "services/protocol/model_name.h"
#include "services/protocol/output_format.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

constexpr std::string_view kReasoningPrefix = "agentgate:";

absl::Status Bad(std::string_view what) { return absl::InvalidArgumentError(std::string(what)); }

// Text and images of a message's content (a string or input_text/output_text/input_image parts).
void ReadContent(const bj::value& content, std::vector<ir::Part>* parts) {
  if (content.is_string()) {
    ir::Part p;
    p.text = std::string(content.get_string());
    if (!p.text.empty()) parts->push_back(std::move(p));
    return;
  }
  if (!content.is_array()) return;
  for (const auto& c : content.get_array()) {
    std::string type = json::String(c, "type");
    ir::Part p;
    if (type == "input_text" || type == "output_text" || type == "text") {
      p.text = json::String(c, "text");
      if (!p.text.empty()) parts->push_back(std::move(p));
    } else if (type == "input_image") {
      p.kind = ir::Part::Kind::kImage;
      p.image = ImageFromUrl(json::String(c, "image_url"));
      parts->push_back(std::move(p));
    }
  }
}

ir::Message& Turn(ir::Request& req, ir::Role role) {
  if (req.messages.empty() || req.messages.back().role != role) {
    req.messages.push_back(ir::Message{role, {}});
  }
  return req.messages.back();
}

bj::object UsageJson(const ir::Usage& u) {
  return bj::object{{"input_tokens", u.input},
                    {"input_tokens_details", bj::object{{"cached_tokens", u.cached}}},
                    {"output_tokens", u.output},
                    {"output_tokens_details", bj::object{{"reasoning_tokens", u.reasoning}}},
                    {"total_tokens", u.input + u.output}};
}

std::string CustomInput(const std::string& arguments) {
  auto v = json::Parse(arguments);
  if (v) {
    std::string input = json::String(*v, "input");
    if (!input.empty() || json::Field(*v, "input") != nullptr) return input;
  }
  return arguments;
}

// Names a call by its tool: a namespaced tool's call carries the namespace and its own name.
void NameCall(bj::object& item, const std::string& name, const ResponsesTools& tools) {
  auto it = tools.namespaced.find(name);
  if (it == tools.namespaced.end()) {
    item["name"] = name;
    return;
  }
  item["namespace"] = it->second.first;
  item["name"] = it->second.second;
}

bj::object ToolCallItem(const std::string& id, const std::string& call_id, const std::string& name,
                        const std::string& arguments, const ResponsesTools& tools) {
  bj::object item{{"id", id},
                  {"type", tools.custom.count(name) ? "custom_tool_call" : "function_call"},
                  {"status", "completed"},
                  {"call_id", call_id}};
  NameCall(item, name, tools);
  if (tools.custom.count(name)) {
    item["input"] = CustomInput(arguments);
  } else {
    item["arguments"] = arguments;
  }
  return item;
}

// A namespace's member tools, flattened into `req.tools`.
void AddNamespace(const bj::value& t, ir::Request& req) {
  const std::string ns = json::String(t, "name");
  const bj::array* members = json::Array(t, "tools");
  if (ns.empty() || members == nullptr) {
    req.losses.push_back("a namespace tool without a name or tools");
    return;
  }
  for (const auto& m : *members) {
    std::string type = json::String(m, "type");
    ir::Tool tool;
    tool.group = ns;
    tool.group_member = json::String(m, "name");
    tool.name = NamespacedToolName(ns, tool.group_member);
    tool.description = json::String(m, "description");
    if (type == "function") {
      if (const auto* params = json::Field(m, "parameters")) tool.parameters = *params;
    } else if (type == "custom") {
      tool.custom = true;
    } else {
      req.losses.push_back("hosted tool '" +
                           (tool.group_member.empty() ? type : tool.group_member) +
                           "' in namespace '" + ns + "'");
      continue;
    }
    if (tool.group_member.empty()) {
      req.losses.push_back("a tool without a name in namespace '" + ns + "'");
      continue;
    }
    const bool taken = std::any_of(req.tools.begin(), req.tools.end(),
                                   [&](const ir::Tool& t) { return t.name == tool.name; });
    if (taken) {
      req.losses.push_back("tool '" + tool.group_member + "' of namespace '" + ns +
                           "' (its name is taken by another tool)");
      continue;
    }
    req.tools.push_back(std::move(tool));
  }
}

// The reasoning travels back next turn in encrypted_content: the provider's signature when it
// gave one (Anthropic thinking: the summary carries the text the signature covers), else the
// text itself behind the "agentgate:" prefix.
bj::object ReasoningItem(const std::string& id, const std::string& text,
                         const std::string& signature) {
  bj::array summary;
  if (!text.empty()) summary.push_back(bj::object{{"type", "summary_text"}, {"text", text}});
  return bj::object{
      {"id", id},
      {"type", "reasoning"},
      {"summary", std::move(summary)},
      {"encrypted_content", signature.empty() ? std::string(kReasoningPrefix) + text : signature}};
}

bj::object MessageItem(const std::string& id, const std::string& text) {
  return bj::object{
      {"id", id},
      {"type", "message"},
      {"status", "completed"},
      {"role", "assistant"},
      {"content", bj::array{bj::object{
                      {"type", "output_text"}, {"text", text}, {"annotations", bj::array{}}}}}};
}

// The tools of a Responses tools array (top level or an additional_tools input item).
void AddTools(const bj::array& tools, ir::Request& req) {
  for (const auto& t : tools) {
    std::string type = json::String(t, "type");
    ir::Tool tool;
    tool.name = json::String(t, "name");
    tool.description = json::String(t, "description");
    if (type == "function") {
      if (const auto* params = json::Field(t, "parameters")) tool.parameters = *params;
      req.tools.push_back(std::move(tool));
    } else if (type == "custom") {
      tool.custom = true;
      req.tools.push_back(std::move(tool));
    } else if (type == "namespace") {
      AddNamespace(t, req);
    } else {
      req.losses.push_back("hosted tool '" + (tool.name.empty() ? type : tool.name) + "'");
    }
  }
}

}  // namespace

absl::StatusOr<ir::Request> DecodeResponsesRequest(std::string_view body) {
  bj::monotonic_resource arena;  // the DOM is only read: one arena, freed at once
  auto parsed = json::ParseStrict(body, &arena);
  if (!parsed.ok()) return parsed.status();
  const bj::value& v = *parsed;
  if (!v.is_object()) return Bad("request body must be a JSON object");
  ir::Request req;
  if (const auto* m = json::Field(v, "model"); m && !m->is_string()) {
    return Bad("'model' must be a string");
  }
  req.model = json::String(v, "model");
  if (absl::Status st = CheckModelName(req.model); !st.ok()) return st;
  std::string instructions = json::String(v, "instructions");
  if (!instructions.empty()) req.system.push_back(instructions);

  const bj::value* input = json::Field(v, "input");
  if (input == nullptr) return Bad("'input' is required");
  if (input->is_string()) {
    ir::Part p;
    p.text = std::string(input->get_string());
    Turn(req, ir::Role::kUser).parts.push_back(std::move(p));
  } else if (input->is_array()) {
    for (const auto& item : input->get_array()) {
      if (!item.is_object()) return Bad("'input' items must be objects");
      std::string type = json::String(item, "type", "message");
      if (type == "message") {
        std::string role = json::String(item, "role", "user");
        std::vector<ir::Part> parts;
        if (const auto* c = json::Field(item, "content")) ReadContent(*c, &parts);
        if (role == "system" || role == "developer") {
          std::string text;
          for (const auto& p : parts) text += (text.empty() ? "" : "\n") + p.text;
          if (req.messages.empty()) {
            req.system.push_back(std::move(text));
          } else {
            ir::Message m{ir::Role::kSystem, {}};
            ir::Part p;
            p.text = std::move(text);
            m.parts.push_back(std::move(p));
            req.messages.push_back(std::move(m));
          }
        } else if (role == "assistant") {
          auto& turn = Turn(req, ir::Role::kAssistant).parts;
          turn.insert(turn.end(), parts.begin(), parts.end());
        } else if (role == "user") {
          auto& turn = Turn(req, ir::Role::kUser).parts;
          turn.insert(turn.end(), parts.begin(), parts.end());
        } else {
          return Bad("input message role must be user, assistant, system or developer");
        }
      } else if (type == "reasoning") {
        std::string enc = json::String(item, "encrypted_content");
        ir::Part p;
        p.kind = ir::Part::Kind::kReasoning;
        if (enc.rfind(kReasoningPrefix, 0) == 0) {
          p.text = enc.substr(kReasoningPrefix.size());
        } else {
          p.signature = enc;
          if (const bj::array* summary = json::Array(item, "summary")) {
            for (const auto& s : *summary) p.text += json::String(s, "text");
          }
        }
        Turn(req, ir::Role::kAssistant).parts.push_back(std::move(p));
      } else if (type == "function_call" || type == "custom_tool_call") {
        ir::Part p;
        p.kind = ir::Part::Kind::kToolCall;
        p.call_id = json::String(item, "call_id");
        p.name = json::String(item, "name");
        if (std::string ns = json::String(item, "namespace"); !ns.empty()) {
          p.name = NamespacedToolName(ns, p.name);
        }
        p.custom = type == "custom_tool_call";
        p.arguments = p.custom ? json::String(item, "input") : json::String(item, "arguments");
        Turn(req, ir::Role::kAssistant).parts.push_back(std::move(p));
      } else if (type == "function_call_output" || type == "custom_tool_call_output") {
        ir::Part p;
        p.kind = ir::Part::Kind::kToolResult;
        p.call_id = json::String(item, "call_id");
        if (const auto* out = json::Field(item, "output")) ReadContent(*out, &p.content);
        Turn(req, ir::Role::kUser).parts.push_back(std::move(p));
      } else if (type == "additional_tools") {
        // Codex 0.169 sends a known model's tools in the input (namespaces, its "code mode"
        // exec tool): they are tools like the top-level ones.
        if (const bj::array* tools = json::Array(item, "tools")) AddTools(*tools, req);
      } else {
        req.losses.push_back("input item '" + type + "'");
      }
    }
  } else {
    return Bad("'input' must be a string or an array of items");
  }

  if (const bj::array* tools = json::Array(v, "tools")) AddTools(*tools, req);
  if (const auto* tc = json::Field(v, "tool_choice")) {
    req.tool_choice.set = true;
    std::string mode = tc->is_string() ? std::string(tc->get_string()) : "";
    if (mode == "none") {
      req.tool_choice.mode = ir::ToolChoice::Mode::kNone;
    } else if (mode == "required") {
      req.tool_choice.mode = ir::ToolChoice::Mode::kRequired;
    } else if (tc->is_object() && !json::String(*tc, "name").empty()) {
      req.tool_choice.mode = ir::ToolChoice::Mode::kSpecific;
      req.tool_choice.name = json::String(*tc, "name");
    }
  }
  if (const auto* p = json::Field(v, "parallel_tool_calls"); p && p->is_bool()) {
    req.parallel_tool_calls = p->get_bool();
  }
  req.max_tokens = json::Int(v, "max_output_tokens");
  req.temperature = json::Double(v, "temperature");
  req.top_p = json::Double(v, "top_p");
  if (const auto* t = json::Field(v, "text")) {
    if (const auto* f = json::Field(*t, "format"))
      req.output_format = OutputFormatFromResponses(*f);
  }
  if (const auto* r = json::Field(v, "reasoning"))
    req.reasoning_effort = ClientEffort(json::String(*r, "effort"));
  if (const auto* s = json::Field(v, "stream"); s && s->is_bool()) req.stream = s->get_bool();
  // A turn chained to a stored response carries only what is new: the edge's response store
  // puts the earlier turns back (services/edge/response_store.h).
  req.previous_response_id = json::String(v, "previous_response_id");
  if (const auto* s = json::Field(v, "store"); s && s->is_bool()) req.store = s->get_bool();
  return req;
}

ResponsesTools ResponsesToolNames(const ir::Request& req) {
  ResponsesTools out;
  for (const auto& t : req.tools) {
    if (t.custom) out.custom.insert(t.name);
    if (!t.group.empty()) out.namespaced[t.name] = {t.group, t.group_member};
  }
  return out;
}

std::string NamespacedToolName(std::string_view ns, std::string_view name) {
  std::string flat(ns);
  if (!flat.empty() && flat.back() != '_') flat += "__";
  flat += name;
  for (char& c : flat) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  constexpr size_t kMax = 64;
  if (flat.size() <= kMax) return flat;
  uint32_t h = 2166136261u;  // FNV-1a of the whole, so long names stay apart
  for (char c : std::string(ns) + '\0' + std::string(name)) {
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", h);
  return flat.substr(0, kMax - 9) + "_" + hex;
}

std::string EncodeResponsesResponse(const ir::Response& r, std::string_view model,
                                    const ResponsesIds& ids, const ResponsesTools& tools) {
  bj::array output;
  int n = 0;
  for (const auto& p : r.output) {
    std::string suffix = "_" + ids.response_id + "_" + std::to_string(n++);
    switch (p.kind) {
      case ir::Part::Kind::kReasoning:
        output.push_back(ReasoningItem("rs" + suffix, p.text, p.signature));
        break;
      case ir::Part::Kind::kText:
        output.push_back(MessageItem("msg" + suffix, p.text));
        break;
      case ir::Part::Kind::kToolCall:
        output.push_back(ToolCallItem("fc" + suffix, p.call_id, p.name, p.arguments, tools));
        break;
      default:
        break;
    }
  }
  bool incomplete = r.finish == ir::FinishReason::kLength;
  bj::object o{
      {"id", ids.response_id},
      {"object", "response"},
      {"created_at", ids.created_at},
      {"status", incomplete ? "incomplete" : "completed"},
      {"model", model},
      {"output", std::move(output)},
      {"usage", UsageJson(r.usage)},
      {"error", nullptr},
      {"incomplete_details",
       incomplete ? bj::value(bj::object{{"reason", "max_output_tokens"}}) : bj::value(nullptr)}};
  return bj::serialize(o);
}

void ResponsesStreamEncoder::Emit(std::string_view type, bj::object payload, std::string* out) {
  payload["type"] = type;
  payload["sequence_number"] = seq_++;
  out->append(SseFrame(type, bj::serialize(payload)));
}

bj::object ResponsesStreamEncoder::ResponseObject(std::string_view status) const {
  return bj::object{{"id", ids_.response_id},
                    {"object", "response"},
                    {"created_at", ids_.created_at},
                    {"status", status},
                    {"model", model_},
                    {"output", bj::array{}},
                    {"error", nullptr},
                    {"incomplete_details", nullptr}};
}

void ResponsesStreamEncoder::Start(std::string* out) {
  started_ = true;
  Emit("response.created", {{"response", ResponseObject("in_progress")}}, out);
  Emit("response.in_progress", {{"response", ResponseObject("in_progress")}}, out);
}

void ResponsesStreamEncoder::Close(std::string* out) {
  bj::object item;
  switch (open_) {
    case Item::kNone:
      return;
    case Item::kReasoning:
      Emit("response.reasoning_summary_text.done",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"summary_index", 0},
            {"text", text_}},
           out);
      Emit("response.reasoning_summary_part.done",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"summary_index", 0},
            {"part", bj::object{{"type", "summary_text"}, {"text", text_}}}},
           out);
      item = ReasoningItem(item_id_, text_, signature_);
      signature_.clear();
      break;
    case Item::kMessage:
      Emit("response.output_text.done",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"content_index", 0},
            {"text", text_}},
           out);
      Emit("response.content_part.done",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"content_index", 0},
            {"part",
             bj::object{{"type", "output_text"}, {"text", text_}, {"annotations", bj::array{}}}}},
           out);
      item = MessageItem(item_id_, text_);
      break;
    case Item::kFunctionCall:
      Emit("response.function_call_arguments.done",
           {{"item_id", item_id_}, {"output_index", output_index_}, {"arguments", text_}}, out);
      item = ToolCallItem(item_id_, call_id_, name_, text_, tools_);
      break;
    case Item::kCustomCall:
      item = ToolCallItem(item_id_, call_id_, name_, text_, tools_);
      break;
  }
  Emit("response.output_item.done", {{"output_index", output_index_}, {"item", item}}, out);
  done_items_.push_back(std::move(item));
  open_ = Item::kNone;
  open_tool_ = -1;
  text_.clear();
}

void ResponsesStreamEncoder::Encode(const ir::StreamEvent& ev, std::string* out) {
  using Kind = ir::StreamEvent::Kind;
  if (!started_) Start(out);
  auto open = [&](Item kind, std::string_view prefix, bj::object item) {
    Close(out);
    open_ = kind;
    ++output_index_;
    item_id_ = std::string(prefix) + "_" + ids_.response_id + "_" + std::to_string(output_index_);
    item["id"] = item_id_;
    Emit("response.output_item.added", {{"output_index", output_index_}, {"item", std::move(item)}},
         out);
  };
  switch (ev.kind) {
    case Kind::kStart:
      break;
    case Kind::kReasoningSignature:
      if (open_ == Item::kReasoning) signature_ += ev.text;
      break;
    case Kind::kReasoningDelta:
      if (open_ != Item::kReasoning) {
        open(Item::kReasoning, "rs", {{"type", "reasoning"}, {"summary", bj::array{}}});
        Emit("response.reasoning_summary_part.added",
             {{"item_id", item_id_},
              {"output_index", output_index_},
              {"summary_index", 0},
              {"part", bj::object{{"type", "summary_text"}, {"text", ""}}}},
             out);
      }
      text_ += ev.text;
      Emit("response.reasoning_summary_text.delta",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"summary_index", 0},
            {"delta", ev.text}},
           out);
      break;
    case Kind::kTextDelta:
      if (open_ != Item::kMessage) {
        open(Item::kMessage, "msg",
             {{"type", "message"},
              {"status", "in_progress"},
              {"role", "assistant"},
              {"content", bj::array{}}});
        Emit("response.content_part.added",
             {{"item_id", item_id_},
              {"output_index", output_index_},
              {"content_index", 0},
              {"part",
               bj::object{{"type", "output_text"}, {"text", ""}, {"annotations", bj::array{}}}}},
             out);
      }
      text_ += ev.text;
      Emit("response.output_text.delta",
           {{"item_id", item_id_},
            {"output_index", output_index_},
            {"content_index", 0},
            {"delta", ev.text}},
           out);
      break;
    case Kind::kToolCallStart: {
      bool custom = tools_.custom.count(ev.name) > 0;
      bj::object item{{"type", custom ? "custom_tool_call" : "function_call"},
                      {"status", "in_progress"},
                      {"call_id", ev.call_id}};
      NameCall(item, ev.name, tools_);
      item[custom ? "input" : "arguments"] = "";
      open(custom ? Item::kCustomCall : Item::kFunctionCall, "fc", std::move(item));
      open_tool_ = ev.index;
      call_id_ = ev.call_id;
      name_ = ev.name;
      break;
    }
    case Kind::kToolCallDelta:
      if ((open_ == Item::kFunctionCall || open_ == Item::kCustomCall) && open_tool_ == ev.index) {
        text_ += ev.text;
        // A custom tool's input is the "input" field of the JSON the provider streams, known
        // only once complete: it goes out whole with output_item.done.
        if (open_ == Item::kFunctionCall) {
          Emit("response.function_call_arguments.delta",
               {{"item_id", item_id_}, {"output_index", output_index_}, {"delta", ev.text}}, out);
        }
      }
      break;
    case Kind::kFinish:  // recorded by ClientStreamEncoder
    case Kind::kUsage:
    case Kind::kError:  // never reaches Encode
      break;
  }
}

void ResponsesStreamEncoder::Finish(std::string* out) {
  if (!started_) Start(out);
  Close(out);
  bool incomplete = finish_ == ir::FinishReason::kLength;
  bj::object resp = ResponseObject(incomplete ? "incomplete" : "completed");
  resp["output"] = done_items_;
  resp["usage"] = UsageJson(usage_);
  if (incomplete) resp["incomplete_details"] = bj::object{{"reason", "max_output_tokens"}};
  // Codex ignores response.incomplete: truncation is a completed event with status incomplete.
  Emit("response.completed", {{"response", std::move(resp)}}, out);
}

void ResponsesStreamEncoder::Failed(std::string_view message, std::string* out) {
  if (!started_) Start(out);
  bj::object resp = ResponseObject("failed");
  resp["output"] = done_items_;
  resp["error"] = bj::object{{"code", "server_error"}, {"message", message}};
  Emit("response.failed", {{"response", std::move(resp)}}, out);
}

}  // namespace agentgate::protocol
