// The intermediate model every conversion goes through: client request → ir::Request →
// provider request, and provider response/stream → ir::Response / ir::StreamEvent → client
// response/stream. One decoder and one encoder per protocol and direction, never one converter
// per pair of protocols. Pure data; no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentgate::protocol::ir {

// kSystem: an instruction in the middle of the conversation (Claude Code sends these as
// messages with role "system"); instructions that open the conversation are Request::system.
enum class Role { kUser, kAssistant, kSystem };

struct Image {
  std::string media_type;  // "image/png"; empty for a URL whose type is unknown
  std::string data;        // base64, when inline
  std::string url;         // http(s) URL, when not inline
};

struct Part {
  enum class Kind { kText, kImage, kToolCall, kToolResult, kReasoning };
  Kind kind = Kind::kText;
  std::string text;  // kText; kReasoning: the thinking text
  Image image;       // kImage
  // kToolCall
  std::string call_id;
  std::string name;
  std::string arguments;  // a JSON object as text (function tools) or the raw input (custom)
  bool custom = false;    // a freeform tool (Codex apply_patch): arguments is the input string
  // kToolResult: call_id names the call; content is text and images
  std::vector<Part> content;
  bool is_error = false;
  // kReasoning: the Anthropic signature or Responses encrypted_content; kToolCall: the Gemini
  // thoughtSignature of the call (it must come back on the same part, to that provider only)
  std::string signature;
  bool redacted = false;
};

struct Message {
  Role role = Role::kUser;
  std::vector<Part> parts;
};

struct Tool {
  std::string name;  // as providers see it (a namespaced tool's flat name)
  std::string description;
  boost::json::value parameters;  // JSON Schema object
  bool custom = false;
  // A tool of a Responses namespace (Codex groups MCP tools so): its namespace and its own name
  // there, which the answer's calls carry back. Empty for a plain tool.
  std::string group;
  std::string group_member;
};

struct ToolChoice {
  enum class Mode { kAuto, kNone, kRequired, kSpecific };
  Mode mode = Mode::kAuto;
  std::string name;  // kSpecific
  bool set = false;  // the client said something
};

// Structured output: the answer must be a JSON object (kJsonObject), or JSON that follows
// `schema` (kJsonSchema). Chat response_format, Responses text.format, Gemini responseMimeType
// with responseJsonSchema/responseSchema, Anthropic output_config.format.
struct OutputFormat {
  enum class Kind { kText, kJsonObject, kJsonSchema };
  Kind kind = Kind::kText;
  std::string name;           // the schema's name (OpenAI wants one)
  boost::json::value schema;  // kJsonSchema: a JSON Schema object
  bool strict = false;
};

struct Request {
  std::string model;
  std::vector<std::string> system;  // system and developer instructions, in order
  std::vector<Message> messages;
  std::vector<Tool> tools;
  ToolChoice tool_choice;
  std::optional<bool> parallel_tool_calls;
  std::optional<int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> top_k;
  std::vector<std::string> stop;
  std::string reasoning_effort;  // "", "low", "medium", "high"
  std::optional<int64_t> thinking_budget;
  OutputFormat output_format;
  bool stream = false;
  // Responses: the stored response this turn continues (its earlier turns are not in
  // `messages`), and whether the answer may be stored ("store", default true).
  std::string previous_response_id;
  bool store = true;
  // What the target cannot carry, dropped on the way: recorded on the request record.
  std::vector<std::string> losses;
};

enum class FinishReason { kNone, kStop, kLength, kToolCalls, kContentFilter };

struct Usage {
  int64_t input = 0;   // OpenAI convention: includes cached tokens
  int64_t output = 0;  // includes reasoning tokens
  int64_t cached = 0;  // cache reads
  int64_t cache_creation = 0;
  int64_t reasoning = 0;
  bool present = false;
};

struct Response {
  std::string id;
  std::string model;
  std::vector<Part> output;  // assistant parts: reasoning, text, tool calls
  FinishReason finish = FinishReason::kNone;
  Usage usage;
};

// One step of a streamed answer, in the order the provider produced it.
struct StreamEvent {
  enum class Kind {
    kStart,               // id, model
    kTextDelta,           // text
    kReasoningDelta,      // text
    kReasoningSignature,  // text = signature
    kToolCallStart,       // index, call_id, name
    kToolCallDelta,       // index, text = argument piece
    kFinish,              // finish
    kUsage,               // usage
    kError,               // text = message
  };
  explicit StreamEvent(Kind k) : kind(k) {}
  Kind kind;
  std::string id;
  std::string model;
  std::string text;
  int index = 0;
  std::string call_id;
  std::string name;
  std::string signature;  // kToolCallStart: the call's Gemini thoughtSignature, if any
  FinishReason finish = FinishReason::kNone;
  Usage usage;
};

// A whole answer as the events a stream of it would have carried (start, reasoning with its
// signature, text, each call and its arguments, finish, usage): for a client that asked for a
// stream from a provider that answered at once.
std::vector<StreamEvent> EventsOf(const Response& r);

// The other way: a whole answer gathered from a stream's events, for a client that asked for
// one from a provider that answered with a stream (or takes only streaming requests).
class ResponseBuilder {
 public:
  void OnEvent(const StreamEvent& ev);
  // The provider's in-band error, if the stream carried one.
  const std::optional<std::string>& error() const { return error_; }
  Response Take() { return std::move(r_); }

 private:
  Response r_;
  std::vector<size_t> calls_;  // the part of each call, by the stream's call index
  bool in_signature_ = false;  // the last event was a piece of a reasoning signature
  std::optional<std::string> error_;
};

// Whether the request carries an image anywhere (messages or tool results).
bool HasImages(const Request& req);
// Takes every image out (messages and tool results), each replaced by a short text saying so,
// for a provider that takes text only; names the loss. Returns how many were taken.
int StripImages(Request& req);

// A rough token count for a request (about four characters a token), for clients that need a
// number before the provider reports one.
int64_t EstimateInputTokens(const Request& req);

}  // namespace agentgate::protocol::ir
