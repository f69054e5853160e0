// A Gemini provider's answer, streamed and whole, converted for each client protocol; and a
// Gemini client request sent on to a Gemini provider.
//
// Streamed: the input as provider SSE bytes, in chunks, through
// StreamConverter(GeminiStreamDecoder, X) for X = Messages, Responses and Gemini encoders, then
// End() (or Fail()). Every client event must carry JSON. Whole: DecodeGeminiResponse, then
// EncodeMessagesResponse / EncodeResponsesResponse / EncodeGeminiResponse, each JSON. Request:
// DecodeGeminiRequest, then EncodeGeminiRequest, JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "services/protocol/gemini_codec.h"
#include "services/protocol/gemini_provider.h"
#include "tests/fuzz/fuzz_util.h"

using namespace agentgate::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = agentgate::fuzz::Take(data, size);
  agentgate::fuzz::CheckProviderAnswer(
      in, [] { return std::make_unique<GeminiStreamDecoder>(); },
      [](std::string_view body) { return DecodeGeminiResponse(body); });

  auto req = DecodeGeminiRequest(in.rest, "gemini-2.5-pro");
  if (req.ok()) {
    std::string body = EncodeGeminiRequest(*req);
    FUZZ_CHECK_JSON(body);
  }
  return 0;
}
