// Anthropic Messages as the provider side of a conversion (the `anthropic` type, or any
// provider whose native protocol is Messages): ir::Request → Messages request body, Messages
// response → ir::Response, and the Messages SSE stream → ir::StreamEvents. Pure.
//
// Usage is normalised to the OpenAI convention on the way in: Anthropic's input_tokens exclude
// cache reads and cache writes, ir::Usage::input includes them.
#pragma once

#include <functional>
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

// A Messages request that passes through to a Claude model with thinking on, from a client
// that dropped the thinking blocks of its tool turns (Claude Code does, for a model it does not
// know to think): Anthropic refuses such a turn ("a final `assistant` message must start with a
// thinking block"). Each assistant message with tool_use blocks and no thinking block first gets
// `kept(first tool_use id)` — the signed blocks this edge kept from that answer — in front, and
// the model is set to `model`. nullopt when nothing was added (the body then passes unchanged);
// a turn whose blocks were not kept is counted in *missing.
std::optional<std::string> AddToolTurnThinking(
    std::string_view body, std::string_view model,
    const std::function<std::vector<ir::Part>(const std::string& tool_use_id)>& kept, int* missing);

}  // namespace agentgate::protocol
