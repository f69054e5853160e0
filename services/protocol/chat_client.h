// OpenAI Chat Completions as the client side of a conversion (OpenCode, curl, any OpenAI SDK,
// when the provider speaks another protocol): request body → ir::Request, ir::Response → a
// chat.completion, ir::StreamEvents → chat.completion.chunk SSE ending in [DONE]. Pure: ids and
// times come from the caller.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

// InvalidArgument (with a message for the client) when the body is not a Chat request.
absl::StatusOr<ir::Request> DecodeChatRequest(std::string_view body);

struct ChatIds {
  std::string id;       // "chatcmpl-…"
  int64_t created = 0;  // seconds
};

std::string EncodeChatResponse(const ir::Response& r, std::string_view model, const ChatIds& ids);

// Data-only SSE: a first chunk with the assistant role, one chunk per delta (tool calls numbered
// 0, 1, 2… in the order they start), then a chunk with the finish reason, a chunk with the usage
// (choices:[]) when the provider gave one, and data: [DONE]. A failure is one data: {"error":…}.
class ChatStreamEncoder final : public ClientStreamEncoder {
 public:
  ChatStreamEncoder(std::string model, ChatIds ids)
      : model_(std::move(model)), ids_(std::move(ids)) {}

 protected:
  void Encode(const ir::StreamEvent& ev, std::string* out) override;
  void Finish(std::string* out) override;
  void Failed(std::string_view message, std::string* out) override;

 private:
  struct ToolCall {
    int provider_index = 0;
    bool has_arguments = false;
  };
  void Start(std::string* out);
  void Chunk(boost::json::object delta, std::string_view finish, std::string* out);
  void Emit(boost::json::array choices, const ir::Usage* usage, std::string* out);
  void ToolArguments(int index, std::string_view arguments, std::string* out);

  const std::string model_;
  const ChatIds ids_;
  bool started_ = false;
  std::vector<ToolCall> tools_;  // by client index
};

}  // namespace agentgate::protocol
