// The upstream relay: the one place the edge speaks HTTP to providers. One attempt sends the
// request on a pooled connection, reads the provider's answer by the rules of
// net/upstream_response.h (interim 1xx skipped, 101/3xx/204 refused, compressed bodies decoded,
// a total deadline for a whole answer) and relays it, converted by a ResponseAdapter, to the
// client.
//
// What it guarantees:
//   - A connection goes back to the pool only when its answer was read to its exact end with
//     no byte left over; otherwise it is closed. So no request can read another's answer.
//   - A client that leaves is noticed at once (net::ClientWatch) and the provider's connection
//     closed, which stops the generation.
//   - Keep-alives reach a streaming client only between events, never inside one.
//
// Thread-safety: an UpstreamRelay is shared by the workers; Try and Fetch run on the worker that
// owns the client connection and use that worker's pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/accounts/quota.h"
#include "services/edge/edge_metrics.h"
#include "services/edge/response_adapter.h"
#include "services/edge/spliced_body.h"
#include "services/net/client_watch.h"
#include "services/net/http_server.h"
#include "services/net/upstream.h"
#include "services/protocol/stream_refusal.h"
#include "services/routing/health.h"
#include "services/routing/planner.h"

namespace agentgate::edge {

// The result of one upstream attempt.
struct Attempt {
  bool sent = false;  // the client got a response (success or relayed error): stop trying
  control::v1::OutcomeKind kind = control::v1::OUTCOME_KIND_UNSPECIFIED;
  int status = 0;
  int64_t retry_after_ms = 0;
  std::string error;
  int64_t latency_ms = 0;
  // The client left before the answer was complete: nothing more to try, and no verdict on the
  // provider (not a failure of it).
  bool client_gone = false;
  // The answer broke the rules (a redirect, no content, an unknown coding): another provider
  // may serve, but asking this one again would get the same.
  bool no_retry = false;
  // Mid-stream failover: the provider cut a stream the client is still reading; nothing was
  // written for the cut, and the next attempt continues the answer on the same client stream.
  bool cut_continues = false;
  // Not tried at all (a pass-through cannot continue a cut stream): no verdict on the provider.
  bool skipped = false;
  // The provider refused the answer mode asked (only streams, or cannot stream) and the caller
  // may ask again in the other: nothing reached the client.
  protocol::StreamRefusal stream_refusal = protocol::StreamRefusal::kNone;
  // An official account's answer: the quota its headers told (and for a 429 that says a window
  // is spent, retry_after_ms runs to the window's reset).
  std::optional<accounts::Quota> quota;
};

// Whether a failed attempt (failure, Retry-After ms) can be followed by another: when not, the
// provider's error answer is relayed to the client instead of being held back.
using MoveOnFn = std::function<bool(routing::Failure, int64_t)>;
// Called once with the attempt as it stands just before the bytes that end the answer go to the
// client (the record must be complete by then: it is written before those bytes).
using AnswerEndsFn = std::function<void(const Attempt&)>;

class UpstreamRelay {
 public:
  // `keepalive`: the longest silence a streaming client sees while the provider thinks
  // (0: none).
  UpstreamRelay(EdgeMetrics& metrics, std::chrono::milliseconds keepalive);

  // One attempt at `cand` with the request `up` (its body set). On success or a relayed error
  // the answer has been written to `w` (Attempt::sent); otherwise nothing reached the client
  // and the caller may try another. Records status/error of what the client saw on `rec`.
  // When the client's stream was begun by an earlier attempt (mid-stream failover), this one
  // continues it: no second head, and a failure it cannot pass on is told in-band. A cut that
  // the adapter can continue and `can_move_on(kStreamCut)` allows ends the attempt with
  // Attempt::cut_continues and the client stream left open. `may_switch_mode`: a 400 that says
  // the provider takes only the other answer mode ends the attempt with Attempt::stream_refusal
  // instead of reaching the client.
  net::asio::awaitable<Attempt> Try(net::UpstreamPool& pool, net::ResponseWriter& w,
                                    const routing::Candidate& cand, UpstreamMessage& up,
                                    const MoveOnFn& can_move_on, ResponseAdapter& adapter,
                                    admin::v1::RequestLog& rec, const AnswerEndsFn& answer_ends,
                                    bool may_switch_mode = false);

  // One small request answered whole (at most 1 MiB, decoded): the status and body, or nothing
  // when the provider could not be reached or answered outside the rules. For side requests
  // like count_tokens.
  net::asio::awaitable<std::optional<std::pair<int, std::string>>> Fetch(
      net::UpstreamPool& pool, const routing::Candidate& cand, UpstreamMessage& up);

 private:
  // Relays the answer whose head `parser` holds (a status the rules allow) to the client.
  net::asio::awaitable<Attempt> Relay(
      net::UpstreamConnection& conn, http::response_parser<http::buffer_body>& parser,
      net::ResponseWriter& w, const net::ClientWatch& watch, const routing::Candidate& cand,
      std::chrono::steady_clock::time_point started, std::chrono::steady_clock::time_point deadline,
      const MoveOnFn& can_move_on, ResponseAdapter& adapter, admin::v1::RequestLog& rec,
      const AnswerEndsFn& answer_ends, bool may_switch_mode);

  EdgeMetrics& metrics_;
  const std::chrono::milliseconds keepalive_;
};

// The request line and fixed headers of every request to a provider: Accept-Encoding identity
// (the relay decodes gzip/deflate anyway, and refuses other codings).
void SetUpstreamDefaults(UpstreamMessage& up);

// "Retry-After: 30" in ms (0 when absent, a date, or malformed); at most a day.
int64_t ParseRetryAfterMs(std::string_view v);

}  // namespace agentgate::edge
