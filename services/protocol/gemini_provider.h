// Gemini generateContent as the provider side of a conversion (the `google_gemini` type):
// ir::Request → GenerateContentRequest body (the model goes in the URL), a
// GenerateContentResponse → ir::Response, and the alt=sse stream → ir::StreamEvents. Pure.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/sse.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

// The generateContent body for `req` to `model` (whose rules pick the thinking form: a level
// for Gemini 3+, a budget before). Appends what could not be carried to req.losses.
std::string EncodeGeminiRequest(ir::Request& req, std::string_view model = {});

// A non-streaming GenerateContentResponse. InvalidArgument when it is not one.
absl::StatusOr<ir::Response> DecodeGeminiResponse(std::string_view body);

// Each SSE frame is a whole GenerateContentResponse chunk; function calls arrive whole. The
// stream is done once a candidate carries a finishReason (Gemini sends no end marker).
class GeminiStreamDecoder final : public StreamDecoder {
 public:
  void Feed(std::string_view chunk,
            const std::function<void(const ir::StreamEvent&)>& emit) override;
  bool done() const override { return finished_; }

 private:
  void OnData(std::string_view data, const std::function<void(const ir::StreamEvent&)>& emit);
  SseParser parser_;
  bool started_ = false;
  bool finished_ = false;
  int calls_ = 0;  // function calls seen: the next tool-call index
};

}  // namespace agentgate::protocol
