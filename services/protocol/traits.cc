#include "services/protocol/traits.h"

namespace agentgate::protocol {
namespace {

using routing::Protocol;

constexpr size_t kSystemLimit = 8 * 1024;  // keywords are looked for in the start of the prompt

std::string_view Value(std::string_view body, const std::vector<json::Member>& members,
                       std::string_view key) {
  const json::Member* m = json::FindMember(members, key);
  return m == nullptr ? std::string_view() : m->value(body);
}

// A member's string value (decoded), or "" when absent or not a string.
std::string String(std::string_view body, const std::vector<json::Member>& members,
                   std::string_view key) {
  auto v = json::StringMember(body, members, key);
  return v.ok() && v->has_value() ? **v : std::string();
}

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  for (std::string_view n : needles) {
    if (text.find(n) != std::string_view::npos) return true;
  }
  return false;
}

std::string Cut(std::string_view s) { return std::string(s.substr(0, kSystemLimit)); }

// Chat: the content of the leading system/developer message.
std::string ChatSystem(std::string_view messages) {
  for (const auto& e : json::ArrayElements(messages, 1)) {
    std::string_view msg = e.value(messages);
    auto members = json::TopLevelMembers(msg);
    if (!members) break;
    std::string role = String(msg, *members, "role");
    if (role == "system" || role == "developer") {
      std::string text = String(msg, *members, "content");
      return text.empty() ? Cut(Value(msg, *members, "content")) : Cut(text);
    }
  }
  return {};
}

int CountGeminiTools(std::string_view tools) {
  int n = 0;
  for (const auto& e : json::ArrayElements(tools)) {
    std::string_view tool = e.value(tools);
    auto members = json::TopLevelMembers(tool);
    if (!members) continue;
    std::string_view decls = Value(tool, *members, "functionDeclarations");
    if (decls.empty()) decls = Value(tool, *members, "function_declarations");
    n += decls.empty() ? 1 : static_cast<int>(json::ArrayElements(decls).size());
  }
  return n;
}

// A nested object's string member ("" when the object or the member is missing).
std::string Nested(std::string_view object, std::string_view key) {
  auto members = json::TopLevelMembers(object);
  return members ? String(object, *members, key) : std::string();
}

}  // namespace

routing::RequestTraits ReadTraits(Protocol client, std::string_view body,
                                  const std::vector<json::Member>& members,
                                  std::string_view model) {
  routing::RequestTraits t;
  t.model = model.empty() ? String(body, members, "model") : std::string(model);
  // About four bytes of JSON per token: rough, but routing by size needs no more.
  t.input_tokens = static_cast<int64_t>(body.size() / 4);
  std::string_view tools = Value(body, members, "tools");
  switch (client) {
    case Protocol::kOpenAiChat: {
      t.has_images = ContainsAny(body, {"\"image_url\""});
      t.tools = static_cast<int>(json::ArrayElements(tools).size());
      std::string effort = String(body, members, "reasoning_effort");
      std::string thinking = Nested(Value(body, members, "thinking"), "type");
      t.thinking = (!effort.empty() && effort != "none") || thinking == "enabled";
      t.system = ChatSystem(Value(body, members, "messages"));
      break;
    }
    case Protocol::kAnthropicMessages: {
      t.has_images = ContainsAny(body, {"\"type\":\"image\"", "\"type\": \"image\""});
      t.tools = static_cast<int>(json::ArrayElements(tools).size());
      std::string thinking = Nested(Value(body, members, "thinking"), "type");
      t.thinking = !thinking.empty() && thinking != "disabled";
      std::string system = String(body, members, "system");
      t.system = system.empty() ? Cut(Value(body, members, "system")) : Cut(system);
      break;
    }
    case Protocol::kOpenAiResponses: {
      t.has_images = ContainsAny(body, {"\"input_image\""});
      t.tools = static_cast<int>(json::ArrayElements(tools).size());
      std::string_view reasoning = Value(body, members, "reasoning");
      std::string effort = Nested(reasoning, "effort");
      t.thinking = !reasoning.empty() && reasoning != "null" && effort != "none";
      t.system = Cut(String(body, members, "instructions"));
      break;
    }
    case Protocol::kGemini: {
      t.has_images =
          ContainsAny(body, {"\"inlineData\"", "\"inline_data\"", "\"fileData\"", "\"file_data\""});
      t.tools = CountGeminiTools(tools);
      std::string_view config = Value(body, members, "generationConfig");
      if (auto cm = json::TopLevelMembers(config)) {
        std::string_view thinking = Value(config, *cm, "thinkingConfig");
        if (auto tm = json::TopLevelMembers(thinking)) {
          std::string_view budget = Value(thinking, *tm, "thinkingBudget");
          t.thinking = budget != "0";
        }
      }
      t.system = Cut(Value(body, members, "systemInstruction"));
      break;
    }
  }
  return t;
}

absl::StatusOr<routing::RequestTraits> ReadTraits(Protocol client, std::string_view body,
                                                  std::string_view model) {
  auto members = json::ValidateObject(body);
  if (!members.ok()) return members.status();
  return ReadTraits(client, body, *members, model);
}

ConversationPrefix ReadConversationPrefix(std::string_view body,
                                          const std::vector<json::Member>& members) {
  ConversationPrefix out;
  for (std::string_view name : {"system", "instructions", "systemInstruction"}) {
    if (const json::Member* m = json::FindMember(members, name)) {
      out.system = m->value(body);
      break;
    }
  }
  for (std::string_view name : {"messages", "input", "contents"}) {
    const json::Member* m = json::FindMember(members, name);
    if (m == nullptr) continue;
    std::string_view value = m->value(body);
    if (m->kind != json::Kind::kArray) {
      out.start = value;
      break;
    }
    // The first two that are not instructions (Chat clients such as OpenCode open with system
    // messages that every conversation of theirs shares). Only the first six are looked at: this
    // runs on every request, and a long conversation must not cost a scan of it.
    size_t begin = std::string_view::npos, end = 0;
    int taken = 0;
    for (const json::Member& e : json::ArrayElements(value, 6)) {
      const std::string_view item = e.value(value);
      if (e.kind == json::Kind::kObject) {
        if (auto fields = json::TopLevelMembers(item)) {
          auto role = json::StringMember(item, *fields, "role");
          if (role.ok() && *role && (**role == "system" || **role == "developer")) continue;
        }
      }
      if (begin == std::string_view::npos) begin = e.value_begin;
      end = e.value_end;
      if (++taken == 2) break;
    }
    if (taken > 0) out.start = value.substr(begin, end - begin);
    break;
  }
  return out;
}

}  // namespace agentgate::protocol
