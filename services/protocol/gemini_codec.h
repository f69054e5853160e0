// Gemini generateContent as the client side of a conversion (Gemini CLI): request body →
// ir::Request, ir::Response → GenerateContentResponse, ir::StreamEvents → the alt=sse stream
// (data-only frames, never [DONE]; function calls whole, in index order, on the last chunk
// with the finish reason and usage). Errors in Google's shape. Pure.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

// `model` comes from the URL (/v1beta/models/{model}:generateContent).
absl::StatusOr<ir::Request> DecodeGeminiRequest(std::string_view body, std::string_view model);

std::string EncodeGeminiResponse(const ir::Response& r, std::string_view model);

// {"error":{"code":…,"message":…,"status":"INVALID_ARGUMENT|…"}}.
std::string GeminiErrorBody(int status, std::string_view message);

// Shared with the provider side (gemini_provider.cc), which reads and writes the same parts.
//
// One part of a Gemini content: text (kReasoning when "thought":true, with its
// thoughtSignature), functionCall (kToolCall: call_id is its "id", empty when absent;
// arguments is the args object as JSON text, "{}" when absent or not an object), inlineData
// images and fileData (kImage). nullopt for empty text, functionResponse and unknown parts;
// inline data that is not an image is nullopt too, and reported on *losses when given.
std::optional<ir::Part> GeminiPartToIr(const boost::json::value& part,
                                       std::vector<std::string>* losses);

// {"functionCall":{"name":…,"args":{…},"id":…}}: args parsed from `args` ({} when it is not a
// JSON object); no id when `id` is empty.
boost::json::object GeminiFunctionCallPart(const std::string& id, const std::string& name,
                                           const std::string& args);

class GeminiStreamEncoder final : public ClientStreamEncoder {
 public:
  explicit GeminiStreamEncoder(std::string model) : model_(std::move(model)) {}

 protected:
  void Encode(const ir::StreamEvent& ev, std::string* out) override;
  void Finish(std::string* out) override;
  void Failed(std::string_view message, std::string* out) override;

 private:
  struct Call {
    std::string id;
    std::string name;
    std::string args;
  };
  const std::string model_;
  std::map<int, Call> calls_;  // buffered until the end: Gemini sends calls whole
};

}  // namespace agentgate::protocol
