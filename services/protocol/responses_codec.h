// OpenAI Responses as the client side of a conversion (Codex CLI): request body →
// ir::Request, ir::Response → Response object, ir::StreamEvents → Responses SSE. Pure: ids and
// times come from the caller.
//
// Codex builds its history and runs tools only from `response.output_item.done`, and needs
// `response.completed` (with the response id) to finish a turn; truncation is delivered as a
// completed response whose status is "incomplete". Reasoning from a Chat provider travels in the
// reasoning item's encrypted_content (prefixed "agentgate:"), so Codex sends it back next turn.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

absl::StatusOr<ir::Request> DecodeResponsesRequest(std::string_view body);

// How the request's tools are named back to the client: custom (freeform) tools' calls go back
// as custom_tool_call; a tool of a namespace reaches providers under a flat name and its calls
// go back with "namespace" and the tool's own name.
struct ResponsesTools {
  std::set<std::string> custom;  // flat names
  std::map<std::string, std::pair<std::string, std::string>>
      namespaced;  // flat → (namespace, name)
};
ResponsesTools ResponsesToolNames(const ir::Request& req);

// The name a namespace's tool goes by at providers: "mcp__docs__" + "search" →
// "mcp__docs__search" (the name Codex itself used before namespaces), "functions" + "exec" →
// "functions__exec"; only [A-Za-z0-9_-], at most 64 bytes (a longer one ends in a hash of the
// whole), as every provider accepts.
std::string NamespacedToolName(std::string_view ns, std::string_view name);

struct ResponsesIds {
  std::string response_id;  // "resp_…"
  int64_t created_at = 0;   // seconds
};

std::string EncodeResponsesResponse(const ir::Response& r, std::string_view model,
                                    const ResponsesIds& ids, const ResponsesTools& tools);

class ResponsesStreamEncoder final : public ClientStreamEncoder {
 public:
  ResponsesStreamEncoder(std::string model, ResponsesIds ids, ResponsesTools tools)
      : model_(std::move(model)), ids_(std::move(ids)), tools_(std::move(tools)) {}

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
  const ResponsesTools tools_;
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
