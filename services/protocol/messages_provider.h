// Anthropic Messages as the provider side of a conversion (the `anthropic` type, or any
// provider whose native protocol is Messages): ir::Request → Messages request body, Messages
// response → ir::Response, and the Messages SSE stream → ir::StreamEvents. Pure.
//
// Usage is normalised to the OpenAI convention on the way in: Anthropic's input_tokens exclude
// cache reads and cache writes, ir::Usage::input includes them.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/sse.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

struct MessagesDialect {
  // Marks the end of the system prompt, of the tool list and of the newest user turn with
  // cache_control, so a long agent conversation is read from the prompt cache turn after turn.
  bool cache_control = true;
  // Messages requires max_tokens; used when the client did not say.
  int64_t default_max_tokens = 8192;
  static MessagesDialect ForProviderType(std::string_view type);
};

// True for the Claude models that accept `thinking` (3.7 and every model from the 4 family on).
bool SupportsThinking(std::string_view model);

// The Messages request body for `req`, with `model`. Appends what could not be carried to
// req.losses (reasoning without a signature: Anthropic refuses unsigned thinking blocks).
std::string EncodeMessagesRequest(ir::Request& req, std::string_view model,
                                  const MessagesDialect& dialect);

// A non-streaming Messages response. InvalidArgument when it is not a Messages answer.
absl::StatusOr<ir::Response> DecodeMessagesResponse(std::string_view body);

class MessagesStreamDecoder final : public StreamDecoder {
 public:
  void Feed(std::string_view chunk,
            const std::function<void(const ir::StreamEvent&)>& emit) override;
  bool done() const override { return done_; }

 private:
  void OnEvent(std::string_view data, const std::function<void(const ir::StreamEvent&)>& emit);
  SseParser parser_;
  bool done_ = false;
  bool saw_tool_ = false;
  std::map<int64_t, int> tool_index_;  // content block index → tool-call index
  std::set<int64_t> args_seen_;        // tool blocks that received arguments
  ir::Usage usage_;                    // message_start's input counts, completed by message_delta
};

}  // namespace agentgate::protocol
