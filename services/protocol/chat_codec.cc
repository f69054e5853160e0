#include "services/protocol/chat_codec.h"

#include <algorithm>

#include "services/protocol/json_util.h"
#include "services/protocol/json_writer.h"
#include "services/protocol/output_format.h"
#include "services/protocol/usage.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

// One message of the Chat request, pointing into the ir::Request it is made from: nothing is
// copied before the body is written.
struct ChatMessage {
  enum class Kind {
    kSystemPrompt,  // the request's system instructions, joined
    kSystem,        // an instruction within the conversation: the text of `parts`
    kAssistant,     // `parts`, as ChatAssistantMessage makes them
    kUser,          // `parts` other than tool results
    kToolImages,    // the images of the tool results among `parts`, after a label
    kTool,          // `result` as a tool message
    kStrayResult,   // `result` answering no call: user text
    kNoResult,      // the placeholder result of the call `call_id`
  };
  Kind kind;
  const std::vector<ir::Part>* parts = nullptr;
  const ir::Part* result = nullptr;
  std::string_view call_id = {};
};

constexpr std::string_view kToolImagesLabel = "(images returned by the tool)";

bool HasImage(const std::vector<ir::Part>& parts) {
  for (const auto& p : parts) {
    if (p.kind == ir::Part::Kind::kImage) return true;
  }
  return false;
}

bool HasText(const std::vector<ir::Part>& parts) {
  for (const auto& p : parts) {
    if (p.kind == ir::Part::Kind::kText && !p.text.empty()) return true;
  }
  return false;
}

// JoinText(parts) into the string being written.
void JoinTextPieces(json::Writer& w, const std::vector<ir::Part>& parts) {
  bool any = false;
  for (const auto& p : parts) {
    if (p.kind != ir::Part::Kind::kText) continue;
    if (any) w.StringPiece("\n");
    w.StringPiece(p.text);
    any |= !p.text.empty();
  }
}

// A tool result's text into the string being written: an error is said to be one.
void ResultTextPieces(json::Writer& w, const ir::Part& result) {
  if (result.is_error) {
    // JoinText starts with "Error" exactly when its first non-empty text does: what follows
    // that text starts with a newline.
    bool says_error = false;
    for (const auto& p : result.content) {
      if (p.kind != ir::Part::Kind::kText || p.text.empty()) continue;
      says_error = p.text.rfind("Error", 0) == 0;
      break;
    }
    if (!says_error) w.StringPiece("Error: ");
  }
  JoinTextPieces(w, result.content);
}

void WriteImagePart(json::Writer& w, const ir::Image& img) {
  w.BeginObject();
  w.Key("type");
  w.String("image_url");
  w.Key("image_url");
  w.BeginObject();
  w.Key("url");
  // ImageUrl, without building it.
  w.BeginString();
  if (!img.url.empty()) {
    w.StringPiece(img.url);
  } else {
    w.StringPiece("data:");
    w.StringPiece(img.media_type.empty() ? std::string_view("image/png") : img.media_type);
    w.StringPiece(";base64,");
    w.StringPiece(img.data);
  }
  w.EndString();
  w.EndObject();
  w.EndObject();
}

void WriteTextPart(json::Writer& w, std::string_view text) {
  w.BeginObject();
  w.Key("type");
  w.String("text");
  w.Key("text");
  w.String(text);
  w.EndObject();
}

// ChatAssistantMessage, written rather than built; the two must stay the same message.
void WriteAssistantMessage(json::Writer& w, const std::vector<ir::Part>& parts, bool with_reasoning,
                           std::string& scratch, bool reasoning_on_tool_turns = false) {
  bool has_text = false, has_calls = false, has_reasoning = false;
  for (const auto& p : parts) {
    has_text |= p.kind == ir::Part::Kind::kText && !p.text.empty();
    has_calls |= p.kind == ir::Part::Kind::kToolCall;
    has_reasoning |= p.kind == ir::Part::Kind::kReasoning && !p.text.empty();
  }
  w.BeginObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  if (!has_text && has_calls) {
    w.Null();
  } else {
    w.BeginString();
    for (const auto& p : parts) {
      if (p.kind == ir::Part::Kind::kText) w.StringPiece(p.text);
    }
    w.EndString();
  }
  if (has_calls) {
    w.Key("tool_calls");
    w.BeginArray();
    for (const auto& p : parts) {
      if (p.kind != ir::Part::Kind::kToolCall) continue;
      w.BeginObject();
      w.Key("id");
      w.String(p.call_id);
      w.Key("type");
      w.String("function");
      w.Key("function");
      w.BeginObject();
      w.Key("name");
      w.String(p.name);
      w.Key("arguments");
      if (p.custom) {
        // A custom tool's input goes as {"input":…}, itself a string in the body.
        scratch.clear();
        json::Writer args(scratch);
        args.BeginObject();
        args.Key("input");
        args.String(p.arguments);
        args.EndObject();
        w.String(scratch);
      } else {
        w.String(p.arguments.empty() ? std::string_view("{}") : std::string_view(p.arguments));
      }
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  if (with_reasoning && (has_reasoning || (has_calls && reasoning_on_tool_turns))) {
    w.Key("reasoning_content");
    w.BeginString();
    for (const auto& p : parts) {
      if (p.kind == ir::Part::Kind::kReasoning) w.StringPiece(p.text);
    }
    w.EndString();
  }
  w.EndObject();
}

// Writes the messages of the Chat request.
class MessageWriter {
 public:
  MessageWriter(json::Writer& w, const ir::Request& req, const ChatDialect& dialect)
      : w_(w), req_(req), dialect_(dialect) {}

  // Every tool message right after the assistant message whose call it answers, in the order of
  // the calls; see EncodeChatRequest.
  void WriteOrdered(const std::vector<ChatMessage>& msgs) {
    size_t i = 0;
    while (i < msgs.size()) {
      const ChatMessage& m = msgs[i++];
      ids_.clear();
      if (m.kind == ChatMessage::Kind::kAssistant) {
        for (const auto& p : *m.parts) {
          if (p.kind == ir::Part::Kind::kToolCall) ids_.push_back(p.call_id);
        }
      }
      if (ids_.empty()) {
        Write(m.kind == ChatMessage::Kind::kTool ? Stray(m) : m);
        continue;
      }
      Write(m);
      // Everything up to the next assistant message answers (or interrupts) these calls.
      results_.assign(ids_.size(), nullptr);
      others_.clear();
      for (; i < msgs.size() && msgs[i].kind != ChatMessage::Kind::kAssistant; ++i) {
        if (msgs[i].kind == ChatMessage::Kind::kTool) {
          auto at = std::find(ids_.begin(), ids_.end(), msgs[i].result->call_id);
          size_t k = static_cast<size_t>(at - ids_.begin());
          if (at != ids_.end() && results_[k] == nullptr) {
            results_[k] = &msgs[i];
            continue;
          }
          others_.push_back(Stray(msgs[i]));
          continue;
        }
        others_.push_back(msgs[i]);
      }
      for (size_t k = 0; k < ids_.size(); ++k) {
        if (results_[k] != nullptr) {
          Write(*results_[k]);
        } else {
          Write(ChatMessage{.kind = ChatMessage::Kind::kNoResult, .call_id = ids_[k]});
        }
      }
      for (const auto& o : others_) Write(o);
    }
  }

 private:
  static ChatMessage Stray(const ChatMessage& tool) {
    return ChatMessage{.kind = ChatMessage::Kind::kStrayResult, .result = tool.result};
  }

  void Write(const ChatMessage& m) {
    using Kind = ChatMessage::Kind;
    if (m.kind == Kind::kAssistant) {
      WriteAssistantMessage(w_, *m.parts, dialect_.reasoning_content, scratch_,
                            dialect_.reasoning_on_tool_turns);
      return;
    }
    w_.BeginObject();
    w_.Key("role");
    switch (m.kind) {
      case Kind::kSystemPrompt: {
        w_.String("system");
        w_.Key("content");
        w_.BeginString();
        bool any = false;
        for (const auto& s : req_.system) {
          if (any) w_.StringPiece("\n\n");
          w_.StringPiece(s);
          any |= !s.empty();
        }
        w_.EndString();
        break;
      }
      case Kind::kSystem:
        w_.String("system");
        w_.Key("content");
        w_.BeginString();
        JoinTextPieces(w_, *m.parts);
        w_.EndString();
        break;
      case Kind::kUser:
        w_.String("user");
        w_.Key("content");
        if (!dialect_.images || !HasImage(*m.parts)) {
          w_.BeginString();
          JoinTextPieces(w_, *m.parts);
          w_.EndString();
          break;
        }
        w_.BeginArray();
        for (const auto& p : *m.parts) {
          if (p.kind == ir::Part::Kind::kText) WriteTextPart(w_, p.text);
          if (p.kind == ir::Part::Kind::kImage) WriteImagePart(w_, p.image);
        }
        w_.EndArray();
        break;
      case Kind::kToolImages:
        w_.String("user");
        w_.Key("content");
        if (!dialect_.images) {
          w_.String(kToolImagesLabel);
          break;
        }
        w_.BeginArray();
        WriteTextPart(w_, kToolImagesLabel);
        for (const auto& p : *m.parts) {
          if (p.kind != ir::Part::Kind::kToolResult) continue;
          for (const auto& c : p.content) {
            if (c.kind == ir::Part::Kind::kImage) WriteImagePart(w_, c.image);
          }
        }
        w_.EndArray();
        break;
      case Kind::kTool:
        w_.String("tool");
        w_.Key("tool_call_id");
        w_.String(m.result->call_id);
        w_.Key("content");
        w_.BeginString();
        ResultTextPieces(w_, *m.result);
        w_.EndString();
        break;
      case Kind::kStrayResult:
        w_.String("user");
        w_.Key("content");
        w_.BeginString();
        w_.StringPiece("(result of tool call ");
        w_.StringPiece(m.result->call_id);
        w_.StringPiece(")\n");
        ResultTextPieces(w_, *m.result);
        w_.EndString();
        break;
      case Kind::kNoResult:
        w_.String("tool");
        w_.Key("tool_call_id");
        w_.String(m.call_id);
        w_.Key("content");
        w_.String("(no result: the call did not complete)");
        break;
      case Kind::kAssistant:
        break;
    }
    w_.EndObject();
  }

  json::Writer& w_;
  const ir::Request& req_;
  const ChatDialect& dialect_;
  // Reused from one assistant message to the next.
  std::vector<std::string_view> ids_;
  std::vector<const ChatMessage*> results_;
  std::vector<ChatMessage> others_;
  std::string scratch_;
};

// A tool's parameters as an object schema: DeepSeek refuses `{}` or a schema without a type,
// and "$schema" means nothing to any provider. The members come in the order the DOM version
// this replaced gave them, so that bodies stay byte for byte the same: boost::json's
// object::erase moved the last member into the place of "$schema".
void WriteObjectSchema(json::Writer& w, const bj::value& params) {
  const bj::object* o = params.if_object();
  const size_t n = o != nullptr ? o->size() : 0;
  size_t schema_at = n;
  for (size_t j = 0; j < n; ++j) {
    if (o->begin()[j].key() == "$schema") {
      schema_at = j;
      break;
    }
  }
  w.BeginObject();
  const size_t kept = schema_at < n ? n - 1 : n;
  for (size_t j = 0; j < kept; ++j) {
    const bj::key_value_pair& kv = o->begin()[j == schema_at ? n - 1 : j];
    w.Key(std::string_view(kv.key()));
    w.Value(kv.value());
  }
  const bj::value* type = o != nullptr ? o->if_contains("type") : nullptr;
  if (type == nullptr) {
    w.Key("type");
    w.String("object");
  }
  bool object_type = type == nullptr || (type->is_string() && type->get_string() == "object");
  if (object_type && (o == nullptr || !o->contains("properties"))) {
    w.Key("properties");
    w.BeginObject();
    w.EndObject();
  }
  w.EndObject();
}

// Roughly how much JSON text `v` is, for reserving room.
size_t JsonSizeGuess(const bj::value& v) {
  switch (v.kind()) {
    case bj::kind::string:
      return v.get_string().size() + 2;
    case bj::kind::array: {
      size_t n = 2;
      for (const auto& e : v.get_array()) n += JsonSizeGuess(e) + 1;
      return n;
    }
    case bj::kind::object: {
      size_t n = 2;
      for (const auto& kv : v.get_object()) n += kv.key().size() + 4 + JsonSizeGuess(kv.value());
      return n;
    }
    default:
      return 8;
  }
}

// Roughly how large the body for `req` is: what it carries, the JSON around each piece, and
// some room for escapes (newlines and quotes in code).
size_t BodySizeGuess(const ir::Request& req) {
  size_t n = 512;
  for (const auto& s : req.system) n += s.size();
  for (const auto& m : req.messages) {
    n += 32;
    for (const auto& p : m.parts) {
      n += 96 + p.text.size() + p.call_id.size() + p.name.size() + p.arguments.size() +
           p.image.data.size() + p.image.url.size();
      for (const auto& c : p.content) n += 32 + c.text.size() + c.image.data.size();
    }
  }
  for (const auto& t : req.tools) {
    n += 64 + t.name.size() + t.description.size() + JsonSizeGuess(t.parameters);
  }
  return n + n / 8;
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

// WriteAssistantMessage writes the same message into a request body; the two must agree.
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
    d.json_schema = false;  // "response_format json_schema" is refused: JSON mode only
    d.max_tokens_limit = [](std::string_view model) -> int64_t {
      return model.find("reasoner") != std::string_view::npos ? 65536 : 8192;
    };
    d.images = false;
    d.reasoning_content = true;
    d.reasoning_effort = false;
    d.native = Family::kDeepSeek;
  } else if (type == "kimi") {
    d.reasoning_content = true;
    d.reasoning_effort = false;
    d.thinking_object = true;
    d.native = Family::kKimi;
  } else if (type == "minimax") {
    d.response_format = false;
    d.reasoning_effort = false;
    d.think_tags = true;
    d.native = Family::kMiniMax;
  } else if (type == "zhipu") {
    d.native = Family::kGlm;
  } else if (type == "openai") {
    d.native = Family::kOpenAi;
  }
  return d;
}

namespace {

bool HasCalls(const std::vector<ir::Part>& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [](const ir::Part& p) { return p.kind == ir::Part::Kind::kToolCall; });
}
bool HasReasoning(const std::vector<ir::Part>& parts) {
  return std::any_of(parts.begin(), parts.end(), [](const ir::Part& p) {
    return p.kind == ir::Part::Kind::kReasoning && !p.text.empty();
  });
}

// What a Chat request says about thinking, by the model's rules (provider_rules.h) where the
// provider is its family's own API, else by the dialect alone.
struct ChatThinking {
  std::string effort;  // reasoning_effort ("" = not sent)
  std::string toggle;  // thinking {"type": …} ("" = not sent)
  bool on = false;     // thinking is (or may be) on for this request
};

ChatThinking DecideThinking(ir::Request& req, std::string_view model, const ModelRules& rules,
                            const ChatDialect& dialect) {
  ChatThinking t;
  const bool asked =
      !req.reasoning_effort.empty() || (req.thinking_budget && *req.thinking_budget > 0);
  const bool native = dialect.native != Family::kOther && dialect.native == rules.family;
  if (!native) {
    if (!req.reasoning_effort.empty() && dialect.reasoning_effort) {
      t.effort = ClassicEffort(req.reasoning_effort);
    }
    if (!req.reasoning_effort.empty() && dialect.thinking_object) t.toggle = "enabled";
    t.on = asked || rules.thinks_by_default;
    return t;
  }
  const std::string level = req.reasoning_effort.empty() && req.thinking_budget
                                ? EffortForBudget(rules, *req.thinking_budget)
                                : EffortFor(rules, asked ? req.reasoning_effort : "");
  switch (rules.thinking) {
    case ThinkingForm::kToggle:
      if (asked) {
        t.toggle = "enabled";
        if (!rules.efforts.empty()) t.effort = level;
      }
      t.on = asked || rules.thinks_by_default;
      break;
    case ThinkingForm::kEffort:
    case ThinkingForm::kBudget:
      if (asked) t.effort = level;
      t.on = asked || rules.thinks_by_default;
      break;
    case ThinkingForm::kNone:
      t.on = rules.thinks_by_default;
      break;
  }
  // OpenAI's reasoning models take function tools on Chat Completions only at effort "none"
  // ("Function tools with reasoning_effort are not supported for … in /v1/chat/completions").
  if (rules.chat_tools_without_effort && !req.tools.empty()) {
    if (rules.off == ThinkingOff::kDisabled) {
      if (asked) {
        req.losses.push_back("reasoning effort (" + std::string(model) +
                             " takes function tools on Chat Completions only at effort none)");
      }
      t.effort = "none";
      t.on = false;
    } else {
      req.losses.push_back("function tools may be refused: " + std::string(model) +
                           " takes them on Chat Completions only at effort none, which it lacks");
    }
  }
  return t;
}

}  // namespace

std::string EncodeChatRequest(ir::Request& req, std::string_view model,
                              const ChatDialect& dialect_in) {
  const ModelRules& rules = RulesFor(model);
  ChatDialect dialect = dialect_in;
  if (!rules.vision) dialect.images = false;
  // A model whose own API wants its reasoning back (DeepSeek thinking mode, Kimi K3) wants it
  // back from any host serving it in that API's shape: a generic OpenAI-compatible server (vLLM,
  // SiliconFlow, a proxy in front of the provider) passes the field on, or ignores it.
  if (rules.reasoning_replay && dialect.native == Family::kOther) dialect.reasoning_content = true;
  const ChatThinking thinking = DecideThinking(req, model, rules, dialect);
  // Structured output: JSON mode wants the word "json" in the conversation (OpenAI and DeepSeek
  // refuse it otherwise); a provider without JSON mode is asked in words. The instruction is for
  // this body only.
  boost::json::value response_format;
  bool json_words = false;
  if (req.output_format.kind != ir::OutputFormat::Kind::kText) {
    if (dialect.response_format) {
      response_format = ChatResponseFormat(req, dialect.json_schema);
    } else {
      req.losses.push_back("the answer format (asked for in words: the provider has no JSON mode)");
    }
    const bool json_mode =
        !dialect.response_format || response_format.as_object().at("type") == "json_object";
    if (json_mode && !MentionsJson(req)) {
      req.system.push_back(kJsonInstruction);
      json_words = true;
    }
  }
  struct TakeBack {
    ir::Request& req;
    bool added;
    ~TakeBack() {
      if (added) req.system.pop_back();
    }
  } take_back{req, json_words};
  // DeepSeek's thinking mode and Kimi K3 refuse a history whose tool-call turns lost their
  // reasoning ("The reasoning_content in the thinking mode must be passed back to the API.").
  if (rules.reasoning_replay && thinking.on && dialect.reasoning_content) {
    dialect.reasoning_on_tool_turns = true;
    bool lost = false;
    for (const auto& m : req.messages) {
      lost |= m.role == ir::Role::kAssistant && HasCalls(m.parts) && !HasReasoning(m.parts);
    }
    if (lost) {
      req.losses.push_back(
          "the reasoning of earlier tool turns (not kept by the client; sent empty)");
    }
  }
  // The messages, in the order they are made from the request's turns; WriteOrdered then puts
  // the tool messages in their places.
  std::vector<ChatMessage> messages;
  messages.reserve(req.messages.size() + 8);
  if (!req.system.empty()) messages.push_back({.kind = ChatMessage::Kind::kSystemPrompt});
  bool dropped_image = false;
  for (const auto& m : req.messages) {
    if (m.role == ir::Role::kSystem) {
      if (HasText(m.parts)) {
        messages.push_back({.kind = ChatMessage::Kind::kSystem, .parts = &m.parts});
      }
      continue;
    }
    if (m.role == ir::Role::kAssistant) {
      messages.push_back({.kind = ChatMessage::Kind::kAssistant, .parts = &m.parts});
      continue;
    }
    // A user turn: tool results become tool messages first, then the rest of the turn.
    bool rest = false, result_images = false;
    for (const auto& p : m.parts) {
      if (p.kind != ir::Part::Kind::kToolResult) {
        rest = true;
        continue;
      }
      messages.push_back({.kind = ChatMessage::Kind::kTool, .result = &p});
      result_images |= HasImage(p.content);
    }
    // Tool messages carry text only: images from tool results follow in a user message.
    if (result_images) {
      messages.push_back({.kind = ChatMessage::Kind::kToolImages, .parts = &m.parts});
      dropped_image |= !dialect.images;
    }
    if (rest) {
      messages.push_back({.kind = ChatMessage::Kind::kUser, .parts = &m.parts});
      dropped_image |= !dialect.images && HasImage(m.parts);
    }
  }
  if (dropped_image) req.losses.push_back("images (the provider takes text only)");

  std::string out;
  out.reserve(BodySizeGuess(req));
  json::Writer w(out);
  w.BeginObject();
  w.Key("model");
  w.String(model);
  w.Key("messages");
  w.BeginArray();
  MessageWriter(w, req, dialect).WriteOrdered(messages);
  w.EndArray();

  if (!req.tools.empty()) {
    w.Key("tools");
    w.BeginArray();
    for (const auto& t : req.tools) {
      w.BeginObject();
      w.Key("type");
      w.String("function");
      w.Key("function");
      w.BeginObject();
      w.Key("name");
      w.String(t.name);
      w.Key("parameters");
      if (t.custom) {
        w.Raw(R"({"type":"object","properties":{"input":{"type":"string"}},"required":["input"]})");
      } else {
        WriteObjectSchema(w, t.parameters);
      }
      if (!t.description.empty()) {
        w.Key("description");
        w.String(t.description);
      }
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
    ir::ToolChoice::Mode choice = req.tool_choice.mode;
    if ((choice == ir::ToolChoice::Mode::kRequired || choice == ir::ToolChoice::Mode::kSpecific) &&
        rules.forced_tools == ForcedTools::kNever) {
      choice = ir::ToolChoice::Mode::kAuto;
      req.losses.push_back("the forced tool choice (" + std::string(model) +
                           " refuses it; sent as auto)");
    }
    if (req.tool_choice.set) {
      w.Key("tool_choice");
      switch (choice) {
        case ir::ToolChoice::Mode::kAuto:
          w.String("auto");
          break;
        case ir::ToolChoice::Mode::kNone:
          w.String("none");
          break;
        case ir::ToolChoice::Mode::kRequired:
          w.String("required");
          break;
        case ir::ToolChoice::Mode::kSpecific:
          w.BeginObject();
          w.Key("type");
          w.String("function");
          w.Key("function");
          w.BeginObject();
          w.Key("name");
          w.String(req.tool_choice.name);
          w.EndObject();
          w.EndObject();
          break;
      }
    }
    if (req.parallel_tool_calls) {
      w.Key("parallel_tool_calls");
      w.Bool(*req.parallel_tool_calls);
    }
  }
  if (req.max_tokens) {
    int64_t limit = dialect.max_tokens_limit ? dialect.max_tokens_limit(model) : 0;
    if (rules.max_output > 0 && (limit == 0 || rules.max_output < limit)) limit = rules.max_output;
    w.Key("max_tokens");
    w.Int(limit > 0 ? std::min(*req.max_tokens, limit) : *req.max_tokens);
  }
  // Sampling: fixed on Kimi, refused beside a reasoning effort on OpenAI's reasoning models.
  const bool effort_on = !thinking.effort.empty() && thinking.effort != "none";
  if (rules.sampling && (rules.sampling_with_thinking || !effort_on)) {
    if (req.temperature) {
      w.Key("temperature");
      w.Double(*req.temperature);
    }
    if (req.top_p) {
      w.Key("top_p");
      w.Double(*req.top_p);
    }
  } else if (req.temperature || req.top_p) {
    req.losses.push_back(std::string("temperature and top_p (") +
                         (rules.sampling ? "not accepted with a reasoning effort"
                                         : std::string(model) + " fixes them") +
                         ")");
  }
  if (!req.stop.empty()) {
    w.Key("stop");
    w.BeginArray();
    for (const auto& s : req.stop) w.String(s);
    w.EndArray();
  }
  if (!thinking.effort.empty()) {
    w.Key("reasoning_effort");
    w.String(thinking.effort);
  }
  if (!thinking.toggle.empty()) {
    w.Key("thinking");
    w.BeginObject();
    w.Key("type");
    w.String(thinking.toggle);
    w.EndObject();
  }
  if (!response_format.is_null()) {
    w.Key("response_format");
    w.Raw(boost::json::serialize(response_format));
  }
  if (req.stream) {
    w.Key("stream");
    w.Bool(true);
    w.Key("stream_options");
    w.Raw(R"({"include_usage":true})");
  }
  w.EndObject();
  return out;
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

std::optional<std::string> AddToolTurnReasoning(
    std::string_view body, std::string_view model,
    const std::function<std::string(const std::string& call_id)>& kept, int* emptied) {
  return json::EditAssistantTurns(body, model, [&](bj::object& msg) {
    if (msg.contains("reasoning_content")) return false;
    const bj::value* calls = msg.if_contains("tool_calls");
    if (calls == nullptr || !calls->is_array() || calls->as_array().empty()) return false;
    std::string reasoning = kept(json::String(calls->as_array().front(), "id"));
    if (reasoning.empty() && emptied != nullptr) ++*emptied;
    msg["reasoning_content"] = reasoning;
    return true;
  });
}

}  // namespace agentgate::protocol
