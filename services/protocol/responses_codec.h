// OpenAI Responses as the client side of a conversion (Codex CLI): request body →
// ir::Request, ir::Response → Response object, ir::StreamEvents → Responses SSE. Pure: ids and
// times come from the caller.
//
// Codex builds its history and runs tools only from `response.output_item.done`, and needs
// `response.completed` (with the response id) to finish a turn; truncation is delivered as a
// completed response whose status is "incomplete". Reasoning from a Chat provider travels in the
// reasoning item's encrypted_content (prefixed "agentgate:"), so Codex sends it back next turn.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

absl::StatusOr<ir::Request> DecodeResponsesRequest(std::string_view body);

// Names of the request's custom (freeform) tools: their calls go back as custom_tool_call.
std::set<std::string> CustomToolNames(const ir::Request& req);

struct ResponsesIds {
  std::string response_id;  // "resp_…"
  int64_t created_at = 0;   // seconds
};

std::string EncodeResponsesResponse(const ir::Response& r, std::string_view model,
                                    const ResponsesIds& ids,
                                    const std::set<std::string>& custom_tools);

class ResponsesStreamEncoder final : public ClientStreamEncoder {
 public:
  ResponsesStreamEncoder(std::string model, ResponsesIds ids, std::set<std::string> custom_tools)
      : model_(std::move(model)), ids_(std::move(ids)), custom_(std::move(custom_tools)) {}

 protected:
  void Encode(const ir::StreamEvent& ev, std::string* out) override;
  void Finish(std::string* out) override;
  void Failed(std::string_view message, std::string* out) override;

 private:
  enum class Item { kNone, kReasoning, kMessage, kFunctionCall, kCustomCall };
  void Emit(std::string_view type, boost::json::object payload, std::string* out);
  void Start(std::string* out);
  void Close(std::string* out);
  boost::json::object ResponseObject(std::string_view status) const;

  const std::string model_;
  const ResponsesIds ids_;
  const std::set<std::string> custom_;
  bool started_ = false;
  int64_t seq_ = 0;
  Item open_ = Item::kNone;
  int output_index_ = -1;
  int open_tool_ = -1;
  std::string item_id_;
  std::string text_;       // text, reasoning or arguments of the open item
  std::string signature_;  // of the open reasoning item
  std::string call_id_;
  std::string name_;
  boost::json::array done_items_;  // every finished item, for response.completed
};

}  // namespace agentgate::protocol
