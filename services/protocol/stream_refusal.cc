#include "services/protocol/stream_refusal.h"

#include <string>

#include "absl/strings/ascii.h"
#include "services/protocol/chat_codec.h"

namespace agentgate::protocol {
namespace {

bool Has(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

StreamRefusal DetectStreamRefusal(int status, std::string_view body) {
  if (status != 400) return StreamRefusal::kNone;
  const std::string text = absl::AsciiStrToLower(UpstreamErrorMessage(body));
  if (!Has(text, "stream")) return StreamRefusal::kNone;
  // DashScope: "This model only support stream mode, please enable the stream parameter…"
  if (Has(text, "only support stream") || Has(text, "only supports stream") ||
      Has(text, "enable the stream parameter") || Has(text, "stream mode is required") ||
      Has(text, "requires stream") || Has(text, "must be streamed")) {
    return StreamRefusal::kNeedsStream;
  }
  // OpenAI: "Your organization must be verified to stream this model", o1's "Unsupported
  // value: 'stream' does not support true with this model", and the generic wordings.
  if (Has(text, "verified to stream") || Has(text, "'stream' does not support true") ||
      Has(text, "streaming is not supported") || Has(text, "stream is not supported") ||
      Has(text, "does not support streaming") || Has(text, "streaming not supported")) {
    return StreamRefusal::kCannotStream;
  }
  return StreamRefusal::kNone;
}

}  // namespace agentgate::protocol
