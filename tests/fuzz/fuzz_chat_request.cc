// Pass-through: ParseChatRequest, SpliceModel (the model rewrite), json::ReplaceModel
// (the same for any protocol), usage extraction and upstream error messages, on arbitrary bodies.
// Conversion: DecodeChatRequest (the client side), then EncodeChatRequest (the provider side),
// which must write a Chat request that decodes again with the same tools and stream flag.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/chat_client.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/json_util.h"
#include "services/protocol/openai_chat.h"
#include "services/protocol/usage.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agentgate::protocol;
  auto in = agentgate::fuzz::Take(data, size);

  auto req = ParseChatRequest(in.rest);
  if (req.ok()) {
    // "" keeps the client's model; otherwise it is replaced.
    std::string model = (in.control & 1) ? "" : "upstream-model";
    std::string body = SpliceModel(*req, model).Join();
    FUZZ_CHECK_JSON(body);
    auto again = ParseChatRequest(body);
    FUZZ_CHECK(again.ok(), body);
    FUZZ_CHECK(again->stream == req->stream, body);
    if (!model.empty()) FUZZ_CHECK(again->model == model, body);
  }

  auto decoded = DecodeChatRequest(in.rest);
  // Every body pass-through refuses, conversion refuses too.
  if (!req.ok()) FUZZ_CHECK(!decoded.ok(), in.rest);
  if (decoded.ok()) {
    std::string body = EncodeChatRequest(*decoded, "upstream-model", ChatDialect{});
    FUZZ_CHECK_JSON(body);
    auto again = DecodeChatRequest(body);
    FUZZ_CHECK(again.ok(), body);
    FUZZ_CHECK(again->stream == decoded->stream, body);
    FUZZ_CHECK(again->tools.size() == decoded->tools.size(), body);
    FUZZ_CHECK(again->model == "upstream-model", body);
  }

  // Any protocol's body: the model replaced when it is a JSON object, else unchanged.
  std::string replaced = json::ReplaceModel(in.rest, "upstream-model");
  if (auto v = json::Parse(in.rest); v && v->is_object()) {
    FUZZ_CHECK_JSON(replaced);
  } else {
    FUZZ_CHECK(replaced == in.rest, replaced);
  }

  (void)UsageFromChatBody(in.rest);
  UsageObserver observer;
  observer.FromBody(in.rest);
  (void)observer.usage();
  // May be "" ({"error":""}): nothing to check beyond not crashing.
  (void)UpstreamErrorMessage(in.rest);
  return 0;
}
