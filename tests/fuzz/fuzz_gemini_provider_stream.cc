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
#include <set>
#include <string>

#include "services/protocol/gemini_codec.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/stream_converter.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace agentgate::protocol;

void Stream(const std::vector<std::string_view>& chunks, std::unique_ptr<StreamEncoder> encoder,
            bool fail_at_end) {
  StreamConverter conv(std::make_unique<GeminiStreamDecoder>(), std::move(encoder));
  std::string out;
  for (std::string_view c : chunks) {
    std::string piece = conv.Feed(c);
    FUZZ_CHECK_SSE_OF_JSON(piece);
    out += piece;
  }
  std::string last = fail_at_end ? conv.Fail("the provider went away") : conv.End();
  FUZZ_CHECK_SSE_OF_JSON(last);
  // Nothing more after the end.
  FUZZ_CHECK(conv.End().empty(), out);
  (void)conv.usage();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = agentgate::fuzz::Take(data, size);
  auto chunks = agentgate::fuzz::Split(in.rest, in.control, /*bytewise_limit=*/256);
  bool fail_at_end = (in.control & 0x30) == 0x30;

  Stream(chunks, std::make_unique<MessagesStreamEncoder>("claude-sonnet-4-5", in.control * 1000),
         fail_at_end);
  Stream(
      chunks,
      std::make_unique<ResponsesStreamEncoder>("gpt-5-codex", ResponsesIds{"resp_fuzz", 1700000000},
                                               std::set<std::string>{"apply_patch"}),
      fail_at_end);
  Stream(chunks, std::make_unique<GeminiStreamEncoder>("gemini-2.5-pro"), fail_at_end);

  auto r = DecodeGeminiResponse(in.rest);
  if (r.ok()) {
    std::string m = EncodeMessagesResponse(*r, "claude-sonnet-4-5");
    FUZZ_CHECK_JSON(m);
    std::string o = EncodeResponsesResponse(*r, "gpt-5-codex", ResponsesIds{"resp_fuzz", 1},
                                            std::set<std::string>{"apply_patch"});
    FUZZ_CHECK_JSON(o);
    std::string g = EncodeGeminiResponse(*r, "gemini-2.5-pro");
    FUZZ_CHECK_JSON(g);
  }

  auto req = DecodeGeminiRequest(in.rest, "gemini-2.5-pro");
  if (req.ok()) {
    std::string body = EncodeGeminiRequest(*req);
    FUZZ_CHECK_JSON(body);
  }
  return 0;
}
