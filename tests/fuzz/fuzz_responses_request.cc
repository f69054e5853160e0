// OpenAI Responses (Codex CLI) → Chat Completions: DecodeResponsesRequest, then
// EncodeChatRequest for a plain provider and for DeepSeek's dialect.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/chat_codec.h"
#include "services/protocol/responses_codec.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agentgate::protocol;
  auto in = agentgate::fuzz::Take(data, size);
  auto decoded = DecodeResponsesRequest(in.rest);
  if (!decoded.ok()) return 0;
  (void)ir::EstimateInputTokens(*decoded);
  (void)ResponsesToolNames(*decoded);
  for (const ChatDialect& dialect : {ChatDialect{}, ChatDialect::ForProviderType("deepseek")}) {
    ir::Request req = *decoded;
    std::string body = EncodeChatRequest(req, "provider-model", dialect);
    FUZZ_CHECK_JSON(body);
  }
  return 0;
}
