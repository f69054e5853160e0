// Anthropic Messages (Claude Code) → Chat Completions: DecodeMessagesRequest in both modes,
// then EncodeChatRequest for a plain provider and for DeepSeek's dialect.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/chat_codec.h"
#include "services/protocol/messages_codec.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

void Encode(const agentgate::protocol::ir::Request& decoded) {
  using namespace agentgate::protocol;
  (void)ir::EstimateInputTokens(decoded);
  for (const ChatDialect& dialect : {ChatDialect{}, ChatDialect::ForProviderType("deepseek")}) {
    ir::Request req = decoded;  // EncodeChatRequest appends to losses
    std::string body = EncodeChatRequest(req, "provider-model", dialect);
    FUZZ_CHECK_JSON(body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agentgate::protocol;
  auto in = agentgate::fuzz::Take(data, size);
  for (bool for_count_tokens : {false, true}) {
    auto req = DecodeMessagesRequest(in.rest, for_count_tokens);
    if (req.ok()) Encode(*req);
  }
  return 0;
}
