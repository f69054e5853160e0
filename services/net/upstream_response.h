// What the gateway accepts of a provider's HTTP answer, apart from any socket: which statuses
// are answers, which are interim, and how a compressed body is decoded. Pure (zlib only).
//
// The relay (edge/upstream_relay) reads a provider's answer through these rules, so that no
// byte a provider sends can leave a pooled connection out of step with the requests on it:
//   - 1xx interim responses (103 Early Hints, 100 Continue) are read and skipped; 101 is refused.
//   - 200–203 are answers; 204, 205, 206 and any other 2xx carry nothing a client asked for.
//   - 3xx is never followed (a redirect could send the request and its key elsewhere).
//   - The gateway asks for `Accept-Encoding: identity`; gzip and deflate are decoded anyway (a
//     client must never get compressed bytes labelled JSON), anything else is refused.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace agentgate::net {

enum class UpstreamStatus {
  kInterim,    // 100, 102, 103, other 1xx: skip, the answer follows on the same connection
  kSwitching,  // 101: the provider wants another protocol; refused
  kAnswer,     // 200–203
  kEmpty,      // 204, 205, 206 and other 2xx: no answer to relay
  kRedirect,   // 3xx
  kError,      // 4xx, 5xx: the provider's error, relayed or failed over
  kInvalid,    // anything else (e.g. 600)
};
UpstreamStatus ClassifyStatus(int status);

// At most this many interim responses before the final one; more is a provider stuck in a loop.
inline constexpr int kMaxInterimResponses = 8;

// The Content-Encoding of an answer, as far as the gateway can handle it.
enum class Coding { kIdentity, kGzip, kDeflate, kUnsupported };
Coding ParseCoding(std::string_view content_encoding);

// Decodes a gzip or deflate body piece by piece (zlib; deflate with or without the zlib
// header). Thread-compatible: one per answer.
class Inflater {
 public:
  explicit Inflater(Coding coding);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Appends what `in` decodes to *out. DataLoss when the bytes are not valid for the coding;
  // ResourceExhausted when the decoded total would pass `limit` (a small body that inflates to
  // gigabytes is refused, not held).
  absl::Status Feed(std::string_view in, std::string* out, size_t limit);
  // Whether the compressed stream reached its end.
  bool finished() const { return finished_; }
  size_t total_out() const { return total_out_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool finished_ = false;
  size_t total_out_ = 0;
};

}  // namespace agentgate::net
