// Anthropic Messages as the client side of a conversion (Claude Code): request body →
// ir::Request, ir::Response → Messages response, ir::StreamEvents → Messages SSE, and errors
// in Anthropic's shape. Pure.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

// InvalidArgument (with a message for the client) when the body is not a Messages request.
// `for_count_tokens` accepts a body without max_tokens.
absl::StatusOr<ir::Request> DecodeMessagesRequest(std::string_view body,
                                                  bool for_count_tokens = false);

// Reads one content block (text, image, tool_use, tool_result, thinking, redacted_thinking)
// into `parts`; other kinds are named in `losses`. Shared by the request decoder and the
// provider-side response decoder (messages_provider.h).
absl::Status ReadMessagesBlock(const boost::json::value& b, std::vector<ir::Part>* parts,
                               std::vector<std::string>* losses);

// The Messages response for `r`; `model` is the model the client asked for.
std::string EncodeMessagesResponse(const ir::Response& r, std::string_view model);

// {"type":"error","error":{"type":…,"message":…}} with the type Anthropic uses for `status`.
std::string MessagesErrorBody(int status, std::string_view message);
std::string_view AnthropicErrorType(int status);

class MessagesStreamEncoder final : public ClientStreamEncoder {
 public:
  // `estimated_input_tokens` goes into message_start (Claude Code needs a non-zero number
  // there); the exact counts follow in message_delta.
  MessagesStreamEncoder(std::string model, int64_t estimated_input_tokens)
      : model_(std::move(model)), estimated_input_(estimated_input_tokens) {}

 protected:
  void Encode(const ir::StreamEvent& ev, std::string* out) override;
  void Finish(std::string* out) override;
  void Failed(std::string_view message, std::string* out) override;

 private:
  enum class Block { kNone, kText, kThinking, kToolUse };
  void Start(std::string_view id, std::string* out);
  void Open(Block kind, const boost::json::object& content_block, std::string* out);
  void Close(std::string* out);

  const std::string model_;
  const int64_t estimated_input_;
  bool started_ = false;
  Block open_ = Block::kNone;
  int index_ = -1;      // index of the open (or last) block
  int open_tool_ = -1;  // provider tool-call index of the open tool_use block
  bool saw_tool_ = false;
  std::string signature_;  // for the open thinking block
};

}  // namespace agentgate::protocol
