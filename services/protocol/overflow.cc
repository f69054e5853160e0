#include "services/protocol/overflow.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "absl/strings/ascii.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/json_util.h"

namespace agentgate::protocol {
namespace {

// The number that follows `marker` in `text` (digits, commas and spaces skipped into it), or 0.
int64_t NumberAfter(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return 0;
  size_t i = at + marker.size();
  while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) &&
         i < at + marker.size() + 8) {
    ++i;
  }
  int64_t v = 0;
  bool any = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (v > 1'000'000'000'000) return 0;
      v = v * 10 + (c - '0');
      any = true;
    } else if (c != ',' || !any) {
      break;
    }
  }
  return any ? v : 0;
}

// Phrases only an overflow uses (lower case). "tokens per minute" and friends are rate limits.
constexpr std::array<std::string_view, 14> kPhrases = {
    "prompt is too long",
    "context_length_exceeded",
    "maximum context length",
    "exceeds the context window",
    "context window of this model",
    "exceeds the maximum number of tokens allowed",
    "input token count",
    "messages length exceeds the maximum",
    "exceeded model token limit",
    "input length is greater than the maximum allowed",
    "is greater than the maximum allowed token count",
    "prompt exceeds max length",
    "context length exceeded",
    "input is too long",
};

}  // namespace

std::optional<ContextOverflow> DetectContextOverflow(int status, std::string_view body) {
  if (status < 400 || status >= 500 || status == 429) return std::nullopt;
  std::string code;
  if (auto v = json::Parse(body); v.has_value()) {
    if (const auto* err = json::Field(*v, "error")) code = json::String(*err, "code");
  }
  const std::string message = absl::AsciiStrToLower(UpstreamErrorMessage(body));
  const bool by_code = code == "context_length_exceeded";
  const bool by_text = std::any_of(kPhrases.begin(), kPhrases.end(), [&](std::string_view p) {
    return message.find(p) != std::string::npos;
  });
  if (!by_code && !by_text) return std::nullopt;
  if (message.find("per minute") != std::string::npos ||
      message.find("rate limit") != std::string::npos) {
    return std::nullopt;
  }
  ContextOverflow o;
  if (message.find("prompt is too long") != std::string::npos) {
    // Anthropic: "prompt is too long: 213462 tokens > 200000 maximum"
    o.tokens = NumberAfter(message, "prompt is too long");
    o.limit = NumberAfter(message, "tokens >");
  } else if (message.find("input token count") != std::string::npos) {
    // Gemini: "The input token count (1300000) exceeds the maximum number of tokens allowed
    // (1048575)."
    o.tokens = NumberAfter(message, "input token count");
    o.limit = NumberAfter(message, "tokens allowed");
  } else {
    // OpenAI and the many that copy it: "maximum context length is 128000 tokens. However, your
    // messages resulted in 150000 tokens" / "you requested 150000 tokens".
    o.limit = NumberAfter(message, "context length is");
    o.tokens = NumberAfter(message, "resulted in");
    if (o.tokens == 0) o.tokens = NumberAfter(message, "you requested");
    if (o.tokens == 0) o.tokens = NumberAfter(message, "requested about");
    if (o.limit == 0) o.limit = NumberAfter(message, "token limit:");
  }
  return o;
}

}  // namespace agentgate::protocol
