// An Anthropic Messages provider's answer, streamed and whole, converted for each client
// protocol; and a Messages client request sent on to a Messages provider by conversion.
//
// Streamed: the input as provider SSE bytes, in chunks, through
// StreamConverter(MessagesStreamDecoder, X) for X = Messages, Responses and Gemini encoders,
// then End() (or Fail()). Every client event must carry JSON. Whole: DecodeMessagesResponse,
// then each client's response encoder, JSON. Request: DecodeMessagesRequest, then
// EncodeMessagesRequest (cache breakpoints, thinking budget), JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "services/protocol/messages_codec.h"
#include "services/protocol/messages_provider.h"
#include "tests/fuzz/fuzz_util.h"

using namespace agentgate::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = agentgate::fuzz::Take(data, size);
  agentgate::fuzz::CheckProviderAnswer(
      in, [] { return std::make_unique<MessagesStreamDecoder>(); },
      [](std::string_view body) { return DecodeMessagesResponse(body); });

  auto req = DecodeMessagesRequest(in.rest);
  if (req.ok()) {
    std::string body = EncodeMessagesRequest(
        *req, (in.control & 1) ? "claude-sonnet-4-5" : "claude-3-5-haiku", MessagesDialect{});
    FUZZ_CHECK_JSON(body);
  }
  return 0;
}
