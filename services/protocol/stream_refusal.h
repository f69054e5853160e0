// Providers that take only one of the two answer modes, and say so with a 400: DashScope's QwQ,
// QVQ and Qwen3 thinking models answer a non-streaming request with "This model only support
// stream mode, please enable the stream parameter to access the model." (code
// invalid_parameter_error); OpenAI refuses a stream of o3 / GPT-5 to an unverified organization
// with "Your organization must be verified to stream this model…" (param "stream", code
// unsupported_value), and o1 once with "Unsupported value: 'stream' does not support true with
// this model". The edge asks again in the mode the provider takes and gives the client the
// answer in the mode it asked for (a whole answer read from the stream, or a stream made of the
// whole answer). Pure.
#pragma once

#include <string_view>

namespace agentgate::protocol {

enum class StreamRefusal {
  kNone,
  kNeedsStream,   // only streaming requests are served
  kCannotStream,  // streaming is refused
};

// What a provider's error answer says about the mode, when it says anything (status 400 only).
StreamRefusal DetectStreamRefusal(int status, std::string_view body);

}  // namespace agentgate::protocol
