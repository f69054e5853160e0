// OpenAI Chat Completions as the provider side of a conversion: ir::Request → Chat request
// body, Chat response → ir::Response, and the Chat SSE stream → ir::StreamEvents. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/provider_rules.h"
#include "services/protocol/sse.h"
#include "services/protocol/stream_converter.h"
#include "services/protocol/think_tags.h"

namespace agentgate::protocol {

// What a Chat Completions provider accepts beyond the common core (provider quirks).
struct ChatDialect {
  bool images = true;              // false: images are dropped and reported as a loss
  bool reasoning_content = false;  // send assistant reasoning back as reasoning_content
  bool reasoning_effort = true;    // send reasoning_effort when thinking was asked for
  bool thinking_object = false;    // send {"thinking":{"type":"enabled"}} for it (Kimi K2.x)
  bool think_tags = false;         // answers carry reasoning inline as <think>…</think> (MiniMax)
  bool response_format = true;     // takes response_format (MiniMax: none)
  bool json_schema = true;         // takes a json_schema one (DeepSeek: json_object only)
  // The largest max_tokens the provider accepts for a model (0: no known limit). Clients ask
  // for more than some providers allow (Claude Code asks 32000; DeepSeek's chat model refuses
  // anything over 8192), so the request is clamped rather than refused upstream.
  int64_t (*max_tokens_limit)(std::string_view model) = nullptr;
  // The family whose own API this provider type is (DeepSeek's, Kimi's…): its models' thinking
  // controls (provider_rules.h) are sent in that API's own form. kOther: only reasoning_effort
  // and thinking_object above.
  Family native = Family::kOther;
  // Every assistant message with tool calls carries reasoning_content, "" when the client kept
  // none (set per request from the model's rules: DeepSeek thinking mode, Kimi K3).
  bool reasoning_on_tool_turns = false;
  static ChatDialect ForProviderType(std::string_view type);
};

// The Chat request body for `req`, with `model`. Appends what could not be carried to
// req.losses. Streams always ask for usage. Every tool message follows the assistant message
// that called it, one per call (providers refuse anything else: DeepSeek, OpenAI): a call
// without a result gets a placeholder result, a result without its call becomes user text, and
// instructions that arrived between a call and its result move after the results. Tool schemas
// are made object schemas (DeepSeek refuses `{}`), without "$schema".
std::string EncodeChatRequest(ir::Request& req, std::string_view model, const ChatDialect& dialect);

// A non-streaming Chat response. InvalidArgument when it is not a Chat completion.
// `think_tags`: reasoning inline in the content as <think>…</think> is split out.
absl::StatusOr<ir::Response> DecodeChatResponse(std::string_view body, bool think_tags = false);

// The text parts of `parts` joined with newlines (Chat's text-only contents: system and tool
// messages); images and the rest are left out.
std::string JoinText(const std::vector<ir::Part>& parts);

// ir → Chat's finish_reason: "stop", "length", "tool_calls" or "content_filter". An answer
// that called tools (`saw_tool`) finishes with tool_calls unless it was cut short or filtered.
std::string_view ChatFinishReason(ir::FinishReason finish, bool saw_tool);

// An image as the URL an image_url part carries: the http(s) URL, or a data: URL when inline.
std::string ImageUrl(const ir::Image& img);
// The reverse: "data:<media type>;base64,<data>" → an inline image; anything else → image.url.
ir::Image ImageFromUrl(std::string_view url);

// The Chat assistant message for `parts` (a request's assistant turn, or a response's output):
// text joined as content (null when there are only tool calls), tool_calls (a custom tool's input
// wrapped as {"input":…}; empty arguments as "{}"), and reasoning as reasoning_content when
// `with_reasoning`.
boost::json::object ChatAssistantMessage(const std::vector<ir::Part>& parts, bool with_reasoning);

// A Chat request that passes through to a provider wanting reasoning back on every assistant
// message with tool_calls (DeepSeek V4's thinking mode, Kimi K3): each such message without
// reasoning_content gets `kept(first call id)`, else "" (counted in *emptied), and the model is
// set to `model`. nullopt when nothing is missing or thinking is turned off in the body (then it
// passes unchanged).
std::optional<std::string> AddToolTurnReasoning(
    std::string_view body, std::string_view model,
    const std::function<std::string(const std::string& call_id)>& kept, int* emptied);

// The message of an error body of any of the four protocols ({"error":{"message":…}}), or the
// start of the body when it has no such field.
std::string UpstreamErrorMessage(std::string_view body);

class ChatStreamDecoder final : public StreamDecoder {
 public:
  explicit ChatStreamDecoder(bool think_tags = false) : think_tags_(think_tags) {}
  void Feed(std::string_view chunk,
            const std::function<void(const ir::StreamEvent&)>& emit) override;
  // [DONE], or a finish reason followed by the end of the body (some servers omit [DONE]).
  bool done() const override { return done_ || finished_; }

 private:
  void OnData(std::string_view data, const std::function<void(const ir::StreamEvent&)>& emit);
  // Content (split at <think> tags when think_tags_) as reasoning and text events.
  void EmitContent(std::string_view content, bool flush,
                   const std::function<void(const ir::StreamEvent&)>& emit);
  const bool think_tags_;
  ThinkTagSplitter splitter_;
  SseParser parser_;
  bool started_ = false;
  bool done_ = false;
  bool finished_ = false;
  std::vector<bool> tool_started_;  // by tool-call index
};

}  // namespace agentgate::protocol
