// Structured output in each protocol's words, to and from ir::OutputFormat. Pure.
//
//   Chat        response_format {type: json_object} | {type: json_schema, json_schema: {name,
//               schema, strict}}
//   Responses   text.format {type: json_object} | {type: json_schema, name, schema, strict}
//   Gemini      generationConfig.responseMimeType "application/json", with responseJsonSchema
//               (JSON Schema) or responseSchema (its OpenAPI subset: upper-case type names)
//   Messages    output_config.format {type: json_schema, schema} (the older beta spelling,
//               output_format, is read too); Anthropic has no plain JSON mode
#pragma once

#include <boost/json.hpp>

#include "services/protocol/ir.h"

namespace agentgate::protocol {

ir::OutputFormat OutputFormatFromChat(const boost::json::value& response_format);
ir::OutputFormat OutputFormatFromResponses(const boost::json::value& text_format);
ir::OutputFormat OutputFormatFromGemini(const boost::json::value& generation_config);
ir::OutputFormat OutputFormatFromMessages(const boost::json::value& body);

// Chat's response_format for `f` (kText: null). `schema_ok` false (DeepSeek takes JSON mode
// only): a schema becomes JSON mode, named as a loss on `req`.
boost::json::value ChatResponseFormat(ir::Request& req, bool schema_ok);
// Responses' text.format (kText: null).
boost::json::value ResponsesTextFormat(const ir::OutputFormat& f);

// Whether the conversation says "json" anywhere (OpenAI and DeepSeek refuse JSON mode without
// it: "'messages' must contain the word 'json' in some form").
bool MentionsJson(const ir::Request& req);
// The instruction added when it does not, or when a provider has no JSON mode of its own.
extern const char kJsonInstruction[];

// Gemini's OpenAPI-style schema as JSON Schema: its upper-case "type" names in lower case.
boost::json::value JsonSchemaFromGemini(boost::json::value schema);

}  // namespace agentgate::protocol
