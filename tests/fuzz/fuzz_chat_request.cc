// OpenAI Chat Completions pass-through: ParseChatRequest, SerializeChatRequest (the model
// rewrite), usage extraction and upstream error messages, on arbitrary bodies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/chat_codec.h"
#include "services/protocol/openai_chat.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agentgate::protocol;
  auto in = agentgate::fuzz::Take(data, size);

  auto req = ParseChatRequest(in.rest);
  if (req.ok()) {
    // "" keeps the client's model; otherwise it is replaced.
    std::string model = (in.control & 1) ? "" : "upstream-model";
    std::string body = SerializeChatRequest(*req, model);
    FUZZ_CHECK_JSON(body);
    auto again = ParseChatRequest(body);
    FUZZ_CHECK(again.ok(), body);
    FUZZ_CHECK(again->stream == req->stream, body);
    if (!model.empty()) FUZZ_CHECK(again->model == model, body);
  }

  Usage u = UsageFromChatBody(in.rest);
  (void)u;
  // May be "" ({"error":""}): nothing to check beyond not crashing.
  (void)UpstreamErrorMessage(in.rest);
  return 0;
}
