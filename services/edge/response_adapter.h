// How one upstream answer reaches the client: as it is (pass-through), or converted into the
// client's protocol. The edge's relay loop is the same for every pair; an adapter is pure (no
// I/O) and lives for one attempt.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agentgate/admin/v1/admin.pb.h"
#include "services/edge/kept_reasoning.h"
#include "services/protocol/ir.h"

namespace agentgate::edge {
namespace ir = protocol::ir;
}
#include "services/protocol/client_codecs.h"
#include "services/protocol/stream_converter.h"
#include "services/protocol/stream_splice.h"
#include "services/routing/planner.h"

namespace agentgate::edge {

class ResponseAdapter {
 public:
  virtual ~ResponseAdapter() = default;
  // A complete answer with status < 400: the client's body, or an error status and message
  // when the answer cannot be converted.
  using Converted = protocol::Reply;
  virtual Converted Body(int status, std::string_view content_type, std::string body) = 0;
  // An upstream error (status >= 400) in the client's protocol; a context-length error in the
  // form the client acts on (it compacts rather than stops).
  virtual Converted Error(int status, std::string_view content_type, std::string body) = 0;
  // Whether an event stream answer is to be read whole and given to the client as one answer
  // (BodyFromStream): the client asked for a whole answer.
  virtual bool WholeFromStream() const { return false; }
  // A whole event stream (status < 400) as the client's whole answer.
  virtual Converted BodyFromStream(int status, std::string sse) {
    return {status, "text/event-stream", std::move(sse)};
  }
  // Streaming: bytes of the upstream event stream in, client bytes out.
  virtual std::string_view stream_content_type() const { return "text/event-stream"; }
  virtual std::string StreamChunk(std::string_view bytes) = 0;
  // The upstream body ended normally.
  virtual std::string StreamEnd() = 0;
  // The upstream failed mid-stream.
  virtual std::string StreamFail(std::string_view message) = 0;
  // Whether the provider has signalled the end of its answer (a body that ends before is cut).
  virtual bool StreamDone() const { return true; }
  // Mid-stream failover: whether a cut now could be continued by another attempt on the same
  // client stream (StreamFail is then not called for this attempt).
  virtual bool CanContinue() const { return false; }
  virtual ir::Usage usage() const = 0;
  // The whole answer, once it ended, when the adapter was asked to gather it.
  virtual std::optional<ir::Response> TakeAnswer() { return std::nullopt; }
};

// The error body a client of `protocol` understands: {"error":{…}} for OpenAI-style clients,
// {"type":"error","error":{…}} for Messages.
std::string ErrorBodyFor(admin::v1::ClientProtocol protocol, int status, std::string_view message,
                         std::string_view code = {});

// Client and provider speak the same protocol: bytes pass unchanged, usage is observed, and a
// failure mid-stream is told in that protocol's own way.
// `keep` (Chat and Messages): the reasoning of the answer's tool turn is reported, as for a
// converted answer, for a provider that wants it back and a client that may not keep it
// (OpenCode with DeepSeek V4; Claude Code with a thinking Claude it does not know thinks).
// `stream`: the client asked for a stream (an overflow error goes back as one when that is how its
// protocol reports it).
std::unique_ptr<ResponseAdapter> MakePassThroughAdapter(admin::v1::ClientProtocol protocol,
                                                        bool stream,
                                                        ReasoningCollector::Sink keep = nullptr);

// What a converting adapter does besides converting.
struct ConvertingOptions {
  // Receives what the answer holds that the next request must give back and the client may not
  // keep (kept_reasoning.h), before the client's bytes for it are written.
  ReasoningCollector::Sink keep;
  // Mid-stream failover: the client stream of the whole request; this attempt writes into it,
  // continuing what an earlier attempt began.
  protocol::SplicedStream* splice = nullptr;
  // Gather the whole answer for TakeAnswer (the Responses store).
  bool keep_answer = false;
};

// The answer of a provider reached by conversion (Chat, Messages or Gemini: upstream.api),
// converted for the client through the intermediate model, with that provider's quirks.
std::unique_ptr<ResponseAdapter> MakeConvertingAdapter(const routing::Candidate& upstream,
                                                       const protocol::ClientEncoder& client,
                                                       const protocol::ClientCodec& codec,
                                                       bool stream, ConvertingOptions options = {});

}  // namespace agentgate::edge
