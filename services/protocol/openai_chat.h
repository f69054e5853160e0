// OpenAI Chat Completions: request inspection and model rewrite for pass-through, usage
// extraction from bodies and streams. Pure.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/json_scan.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {

// Token usage in OpenAI's convention: input includes cached tokens, output includes reasoning.
struct Usage {
  int64_t input = 0;
  int64_t output = 0;
  int64_t cached = 0;
  int64_t reasoning = 0;
  bool present = false;
};

// A client's Chat Completions body, checked without being built (pass-through needs only the
// model replaced). Refers to the body it was made from, which must outlive it.
struct ChatRequest {
  std::string_view body;
  std::vector<json::Member> members;  // the body's top-level members
  std::string model;                  // "" when absent
  bool stream = false;
};

// Checks the top level of a request body of any protocol: a JSON object, "model" a string and
// "stream" a boolean where present.
absl::StatusOr<ChatRequest> InspectRequest(std::string_view body);

// Checks a client's Chat Completions body. InvalidArgument with a message fit for the client
// when it is not JSON, not an object, or `model`, `messages` or `stream` have the wrong type.
absl::StatusOr<ChatRequest> ParseChatRequest(std::string_view body);

// The body with `model` replaced by `upstream_model` (unchanged when that is empty), every other
// byte as the client sent it, as pieces viewing req.body (for any protocol whose model is a
// top-level member: Chat, Messages, Responses).
json::Spliced SpliceModel(const ChatRequest& req, std::string_view upstream_model);

// Reads a `usage` object of Chat Completions shape (absent or null → present=false).
Usage UsageFromChatObject(const boost::json::value& usage);
// Usage from a whole non-streaming response body; present=false when it is not JSON.
Usage UsageFromChatBody(std::string_view body);

// Watches a Chat Completions SSE stream as it is relayed, without changing it: finds the usage
// chunk, the [DONE] marker and an in-band error. Parses JSON only for the events that carry a
// usage object.
class ChatStreamObserver {
 public:
  void Feed(std::string_view chunk);
  const Usage& usage() const { return usage_; }
  bool saw_done() const { return saw_done_; }
  int events() const { return events_; }

 private:
  SseParser parser_;
  Usage usage_;
  bool saw_done_ = false;
  int events_ = 0;
};

}  // namespace agentgate::protocol
