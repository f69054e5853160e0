// OpenAI Responses as the provider side of a conversion: ir::Request → Responses request body,
// Responses answer → ir::Response, and the Responses SSE stream → ir::StreamEvents. So Claude
// Code, Gemini CLI, OpenCode and Chat clients reach an official ChatGPT account (or any
// Responses-only provider) through the codec registry. Pure.
//
// The official ChatGPT backend (provider type "chatgpt") is stricter than the public API: it
// wants "store": false (and then reasoning comes back only as encrypted_content, asked for with
// include), and takes no max_output_tokens, temperature or top_p — those are dropped and named.
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

struct ResponsesDialect {
  bool official = false;  // the ChatGPT backend: store false, no sampling or output limit
  static ResponsesDialect ForProviderType(std::string_view type);
};

// The request body for `model`. Reasoning goes back only as the encrypted_content a Responses
// provider gave (a reasoning part whose signature is one); other reasoning is dropped and named.
std::string EncodeResponsesRequest(ir::Request& req, std::string_view model,
                                   const ResponsesDialect& dialect);

// A whole answer. InvalidArgument when it is not a Responses response.
absl::StatusOr<ir::Response> DecodeResponsesResponse(std::string_view body);

class ResponsesStreamDecoder final : public StreamDecoder {
 public:
  void Feed(std::string_view chunk,
            const std::function<void(const ir::StreamEvent&)>& emit) override;
  bool done() const override { return done_; }

 private:
  void OnEvent(std::string_view data, const std::function<void(const ir::StreamEvent&)>& emit);
  SseParser parser_;
  bool done_ = false;
  bool started_ = false;
  std::map<int64_t, int> calls_;  // output_index → tool-call index
  std::set<int> args_seen_;       // calls that received argument deltas
};

}  // namespace agentgate::protocol
