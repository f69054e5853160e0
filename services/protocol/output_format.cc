#include "services/protocol/output_format.h"

#include "absl/strings/ascii.h"
#include "services/protocol/json_util.h"

namespace agentgate::protocol {
namespace {

namespace bj = boost::json;

ir::OutputFormat Schema(std::string name, const bj::value* schema, bool strict) {
  ir::OutputFormat f;
  if (schema == nullptr || !schema->is_object()) {
    f.kind = ir::OutputFormat::Kind::kJsonObject;  // a schema that is no schema: JSON at least
    return f;
  }
  f.kind = ir::OutputFormat::Kind::kJsonSchema;
  f.name = name.empty() ? "answer" : std::move(name);
  f.schema = *schema;
  f.strict = strict;
  return f;
}

bool Strict(const bj::value& v) {
  const bj::value* s = json::Field(v, "strict");
  return s != nullptr && s->is_bool() && s->get_bool();
}

bool Mentions(const std::vector<ir::Part>& parts) {
  for (const auto& p : parts) {
    if (absl::AsciiStrToLower(p.text).find("json") != std::string::npos) return true;
    if (Mentions(p.content)) return true;
  }
  return false;
}

}  // namespace

const char kJsonInstruction[] = "Answer with a single JSON object and nothing else.";

ir::OutputFormat OutputFormatFromChat(const bj::value& rf) {
  const std::string type = json::String(rf, "type", "text");
  if (type == "json_object") return {ir::OutputFormat::Kind::kJsonObject, "", nullptr, false};
  if (type != "json_schema") return {};
  const bj::value* js = json::Field(rf, "json_schema");
  if (js == nullptr) return Schema("", nullptr, false);
  return Schema(json::String(*js, "name"), json::Field(*js, "schema"), Strict(*js));
}

ir::OutputFormat OutputFormatFromResponses(const bj::value& fmt) {
  const std::string type = json::String(fmt, "type", "text");
  if (type == "json_object") return {ir::OutputFormat::Kind::kJsonObject, "", nullptr, false};
  if (type != "json_schema") return {};
  return Schema(json::String(fmt, "name"), json::Field(fmt, "schema"), Strict(fmt));
}

ir::OutputFormat OutputFormatFromGemini(const bj::value& gc) {
  if (json::String(gc, "responseMimeType") != "application/json") return {};
  if (const bj::value* s = json::Field(gc, "responseJsonSchema")) return Schema("", s, false);
  if (const bj::value* s = json::Field(gc, "responseSchema"); s && s->is_object()) {
    const bj::value converted = JsonSchemaFromGemini(*s);
    return Schema("", &converted, false);
  }
  return {ir::OutputFormat::Kind::kJsonObject, "", nullptr, false};
}

ir::OutputFormat OutputFormatFromMessages(const bj::value& body) {
  const bj::value* fmt = nullptr;
  if (const bj::value* oc = json::Field(body, "output_config")) fmt = json::Field(*oc, "format");
  if (fmt == nullptr) fmt = json::Field(body, "output_format");
  if (fmt == nullptr || json::String(*fmt, "type") != "json_schema") return {};
  return Schema("", json::Field(*fmt, "schema"), true);
}

bj::value ChatResponseFormat(ir::Request& req, bool schema_ok) {
  const ir::OutputFormat& f = req.output_format;
  if (f.kind == ir::OutputFormat::Kind::kText) return nullptr;
  if (f.kind == ir::OutputFormat::Kind::kJsonSchema && schema_ok) {
    bj::object js{{"name", f.name}, {"schema", f.schema}};
    if (f.strict) js["strict"] = true;
    return bj::object{{"type", "json_schema"}, {"json_schema", std::move(js)}};
  }
  if (f.kind == ir::OutputFormat::Kind::kJsonSchema) {
    req.losses.push_back("the answer's JSON schema (the provider takes JSON mode only)");
  }
  return bj::object{{"type", "json_object"}};
}

bj::value ResponsesTextFormat(const ir::OutputFormat& f) {
  if (f.kind == ir::OutputFormat::Kind::kText) return nullptr;
  if (f.kind == ir::OutputFormat::Kind::kJsonObject) return bj::object{{"type", "json_object"}};
  bj::object o{{"type", "json_schema"}, {"name", f.name}, {"schema", f.schema}};
  if (f.strict) o["strict"] = true;
  return o;
}

bool MentionsJson(const ir::Request& req) {
  for (const auto& s : req.system) {
    if (absl::AsciiStrToLower(s).find("json") != std::string::npos) return true;
  }
  for (const auto& m : req.messages) {
    if (Mentions(m.parts)) return true;
  }
  return false;
}

bj::value JsonSchemaFromGemini(bj::value schema) {
  if (schema.is_object()) {
    for (auto& kv : schema.as_object()) {
      if (kv.key() == "type" && kv.value().is_string()) {
        kv.value() = absl::AsciiStrToLower(std::string(kv.value().as_string()));
      } else {
        kv.value() = JsonSchemaFromGemini(std::move(kv.value()));
      }
    }
  } else if (schema.is_array()) {
    for (auto& e : schema.as_array()) e = JsonSchemaFromGemini(std::move(e));
  }
  return schema;
}

}  // namespace agentgate::protocol
