// The provider codec registry: for each protocol a provider can be reached by conversion, how a
// request in the intermediate model is written for it (in the dialect of the provider's type),
// how its whole answer is read and which decoder reads its stream. The edge looks a codec up by
// the candidate's protocol instead of switching on it. Pure.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"
#include "services/routing/snapshot.h"

namespace agentgate::protocol {

struct ProviderCodec {
  routing::Protocol protocol;
  // The request body for `model`; what the conversion drops is appended to req.losses.
  std::string (*encode)(ir::Request& req, std::string_view model, std::string_view provider_type);
  // A whole (non-streaming) answer.
  absl::StatusOr<ir::Response> (*decode)(std::string_view body, std::string_view provider_type);
  // A decoder for the answer as a stream.
  std::unique_ptr<StreamDecoder> (*stream_decoder)(std::string_view provider_type);
};

// The codec of `protocol` (never nullptr for one of the four).
const ProviderCodec* ProviderCodecFor(routing::Protocol protocol);

}  // namespace agentgate::protocol
