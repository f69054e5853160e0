// A Chat Completions provider's answer, streamed and whole, converted for each client protocol.
//
// Streamed: the input as provider SSE bytes, in chunks, through StreamConverter(ChatStreamDecoder,
// X) for X = Messages, Responses, Gemini and Chat encoders, then End() (or Fail());
// ChatStreamObserver and UsageObserver (usage of any protocol's stream, for pass-through) watch the
// same bytes. Every client event must carry JSON. Whole: DecodeChatResponse, then
// EncodeMessagesResponse / EncodeResponsesResponse / EncodeGeminiResponse, each JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "services/protocol/chat_client.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/openai_chat.h"
#include "services/protocol/usage.h"
#include "tests/fuzz/fuzz_util.h"

using namespace agentgate::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = agentgate::fuzz::Take(data, size);
  auto chunks = agentgate::fuzz::Split(in.rest, in.control, /*bytewise_limit=*/256);
  bool fail_at_end = (in.control & 0x30) == 0x30;

  auto chat_decoder = [] { return std::make_unique<ChatStreamDecoder>(); };
  agentgate::fuzz::CheckStreamForClients(chunks, in.control, fail_at_end, chat_decoder);
  agentgate::fuzz::CheckConvertedStream(
      chunks, chat_decoder(),
      std::make_unique<ChatStreamEncoder>("gpt-x", ChatIds{"chatcmpl-fuzz", 1}), fail_at_end);

  ChatStreamObserver observer;
  UsageObserver any_usage;
  for (std::string_view c : chunks) {
    observer.Feed(c);
    any_usage.Feed(c);
  }
  (void)observer.usage();
  any_usage.FromBody(in.rest);
  (void)any_usage.usage();

  auto r = DecodeChatResponse(in.rest);
  if (r.ok()) {
    agentgate::fuzz::CheckResponseForClients(*r);
    std::string c = EncodeChatResponse(*r, "gpt-x", ChatIds{"chatcmpl-fuzz", 1});
    FUZZ_CHECK_JSON(c);
  }
  // May be "" ({"error":""}): nothing to check beyond not crashing.
  (void)UpstreamErrorMessage(in.rest);
  return 0;
}
