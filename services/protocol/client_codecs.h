// The client codec registry: for each protocol a client speaks, how its request is checked for
// pass-through, decoded into the intermediate model for conversion, and how the answer — whole,
// as an error, or as a stream — is written back in that protocol. The edge looks a codec up by
// the endpoint's protocol instead of switching on it; the provider half is provider_codecs.h.
// Pure: ids and the time come from the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/openai_chat.h"
#include "services/protocol/overflow.h"
#include "services/protocol/stream_converter.h"
#include "services/routing/snapshot.h"

namespace agentgate::protocol {

// What an encoder needs from outside a pure library.
struct EncoderEnv {
  // A fresh unique id that starts with `prefix` ("resp_", "chatcmpl-").
  std::function<std::string(std::string_view prefix)> new_id;
  // Seconds since the epoch, for the answers' "created" fields.
  std::function<int64_t()> now_s;
};

// How the answer to one request is written for its client. One per request, made when the
// request is first converted; a fresh stream encoder per attempt.
class ClientEncoder {
 public:
  virtual ~ClientEncoder() = default;
  virtual std::string Body(const ir::Response& r) const = 0;
  virtual std::string Error(int status, std::string_view message) const = 0;
  virtual std::unique_ptr<StreamEncoder> Stream() const = 0;
  // The id the answer carries, when the protocol gives answers one the client can refer to
  // (Responses: "resp_…"); "" otherwise.
  virtual std::string response_id() const { return {}; }
};

// A whole answer to the client: status, content type, body.
struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
};

struct ClientCodec {
  routing::Protocol protocol;
  // The top-level check of a request that may pass through (model, stream, members); nullptr
  // for Gemini, whose model is in the path and whose body is always decoded.
  absl::StatusOr<ChatRequest> (*inspect)(std::string_view body);
  // The whole request in the intermediate model. `path_model` is the model named in the URL
  // (Gemini); the other protocols name it in the body and ignore it.
  absl::StatusOr<ir::Request> (*decode)(std::string_view body, std::string_view path_model);
  // The encoder for the answer to `req` as decoded.
  std::unique_ptr<ClientEncoder> (*encoder)(const ir::Request& req, const EncoderEnv& env);
  // An error in the shape this protocol's clients read; `code` is the machine-readable code
  // where the protocol has one (OpenAI's "code").
  std::string (*error_body)(int status, std::string_view message, std::string_view code);
  // The in-band event that ends a stream which passed through untouched when its provider fails
  // mid-way (a converted stream ends through its StreamEncoder's Fail).
  std::string (*stream_failure)(std::string_view message);
  // A provider's context-length error in the form this protocol's clients act on (Claude Code
  // compacts on "prompt is too long: N tokens > M maximum", Codex on context_length_exceeded —
  // streamed as response.failed when it asked for a stream, as OpenAI does).
  Reply (*context_overflow)(const ContextOverflow& o, std::string_view provider_message,
                            bool stream);
};

// The codec of every client protocol (Chat, Messages, Responses, Gemini).
const ClientCodec& ClientCodecFor(routing::Protocol protocol);

}  // namespace agentgate::protocol
