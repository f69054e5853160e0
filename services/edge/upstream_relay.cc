#include "services/edge/upstream_relay.h"

#include <charconv>

#include "services/common/clock.h"
#include "services/common/strings.h"
#include "services/edge/live_events.h"
#include "services/edge/record.h"
#include "services/net/client_watch.h"
#include "services/net/upstream_response.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/sse.h"

namespace agentgate::edge {
namespace {

using Clock = std::chrono::steady_clock;
using net::kUse;
using net::UpstreamStatus;

// A non-streaming upstream body larger than this (decoded) is refused rather than held.
constexpr size_t kMaxUpstreamBody = 64 * 1024 * 1024;
constexpr size_t kMaxFetchBody = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxConnectTimeout{10000};

int64_t MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

template <typename Op>
auto OnStream(net::UpstreamConnection& c, Op&& op) {
  return std::visit(std::forward<Op>(op), c.stream);
}

// What a streaming client is sent during a provider's silence: Messages has its own ping event;
// Gemini CLI's reader (@google/genai) only skips whitespace before "data:", so it gets a bare
// newline (a comment line would wedge it); the others an SSE comment line, which their readers
// skip.
std::string KeepAliveFor(admin::v1::ClientProtocol protocol) {
  switch (protocol) {
    case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return protocol::SseFrame("ping", R"({"type": "ping"})");
    case admin::v1::CLIENT_PROTOCOL_GEMINI:
      return "\n";
    default:
      return ": keep-alive\n\n";
  }
}

// Whether the bytes written to a streaming client so far end between two events (a blank line
// ends an event: "\n\n", "\r\n\r\n" or "\r\r"), where a keep-alive may go.
class EventBoundary {
 public:
  void Wrote(std::string_view bytes) {
    for (char c : bytes.size() > 4 ? bytes.substr(bytes.size() - 4) : bytes) {
      last_ = (last_ << 8) | static_cast<unsigned char>(c);
      ++seen_;
    }
  }
  bool at_boundary() const {
    if (seen_ == 0) return true;
    return (last_ & 0xFFFF) == 0x0A0A || (seen_ >= 4 && last_ == 0x0D0A0D0A) ||
           (last_ & 0xFFFF) == 0x0D0D;
  }

 private:
  uint32_t last_ = 0;
  size_t seen_ = 0;
};

// Why an answer head cannot be relayed (empty when it can): statuses and codings outside the
// rules of net/upstream_response.h.
std::string RefusedHead(const std::string& provider, int status, std::string_view location,
                        std::string_view content_encoding) {
  switch (net::ClassifyStatus(status)) {
    case UpstreamStatus::kSwitching:
      return provider +
             " answered 101 Switching Protocols; the gateway speaks HTTP/1.1 to providers";
    case UpstreamStatus::kRedirect:
      return provider + " answered HTTP " + std::to_string(status) + " (a redirect to '" +
             ShortText(location, 200) +
             "'); the gateway does not follow redirects: check the provider's base URL";
    case UpstreamStatus::kEmpty:
      return provider + " answered HTTP " + std::to_string(status) + " without an answer";
    case UpstreamStatus::kInvalid:
      return provider + " answered with the invalid status " + std::to_string(status);
    default:
      break;
  }
  if (net::ParseCoding(content_encoding) == net::Coding::kUnsupported) {
    return provider + " answered with Content-Encoding '" + ShortText(content_encoding, 40) +
           "', which the gateway cannot decode (it asks for identity)";
  }
  return {};
}

// Reads the head of the final answer into *parser, skipping interim 1xx answers. Errors: the
// read's, or http::error::bad_status when there were too many interim answers.
template <typename Body>
net::asio::awaitable<net::error_code> ReadFinalHead(
    net::UpstreamConnection& conn, std::optional<http::response_parser<Body>>* parser,
    bool* got_some) {
  *got_some = false;
  for (int interim = 0;; ++interim) {
    parser->emplace();
    if constexpr (std::is_same_v<Body, http::buffer_body>) (*parser)->body_limit(boost::none);
    auto [ec, n] = co_await OnStream(
        conn, [&](auto& s) { return http::async_read_header(s, conn.buffer, **parser, kUse); });
    *got_some = *got_some || (*parser)->got_some();
    if (ec) co_return ec;
    if (net::ClassifyStatus((*parser)->get().result_int()) != UpstreamStatus::kInterim) {
      co_return net::error_code{};
    }
    if (interim + 1 >= net::kMaxInterimResponses) co_return http::error::bad_status;
  }
}

// What is left of a small answer's body, at most `max` bytes (the rest is left unread; the
// connection is not reused after it).
net::asio::awaitable<std::string> ReadSmallBody(net::UpstreamConnection& conn,
                                                http::response_parser<http::buffer_body>& parser,
                                                size_t max) {
  std::string body;
  char buf[4096];
  while (!parser.is_done() && body.size() < max) {
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    auto [ec, n] = co_await OnStream(
        conn, [&](auto& s) { return http::async_read_some(s, conn.buffer, parser, kUse); });
    body.append(buf, sizeof buf - parser.get().body().size);
    if (ec && ec != http::error::need_buffer) break;
  }
  co_return body;
}

// A usage-limit answer is small; more is not read.
constexpr size_t kMaxLimitBody = 64 * 1024;

}  // namespace

void SetUpstreamDefaults(UpstreamMessage& up) { up.set(http::field::accept_encoding, "identity"); }

int64_t ParseRetryAfterMs(std::string_view v) {
  v = StripSpace(v);
  int64_t secs = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (ec != std::errc() || p != v.data() + v.size() || secs < 0) return 0;
  return std::min<int64_t>(secs, 24 * 3600) * 1000;
}

UpstreamRelay::UpstreamRelay(EdgeMetrics& metrics, std::chrono::milliseconds keepalive)
    : metrics_(metrics), keepalive_(keepalive) {}

net::asio::awaitable<Attempt> UpstreamRelay::Try(
    net::UpstreamPool& pool, net::ResponseWriter& w, const routing::Candidate& cand,
    UpstreamMessage& up, const MoveOnFn& can_move_on, ResponseAdapter& adapter,
    admin::v1::RequestLog& rec, const AnswerEndsFn& answer_ends, bool may_switch_mode) {
  namespace asio = net::asio;
  const routing::ProviderEntry& p = *cand.provider;
  const auto started = Clock::now();
  // A whole non-streaming answer, and the head of a streaming one, within the provider's timeout.
  const auto deadline = started + p.timeout;
  Attempt a;
  auto fail = [&](control::v1::OutcomeKind kind, std::string error) {
    a.kind = kind;
    a.error = std::move(error);
    a.latency_ms = MsBetween(started, Clock::now());
    return a;
  };
  // An answer outside the rules: a provider failure (502), never relayed.
  auto refuse = [&](std::string why) {
    a.status = 502;
    a.no_retry = true;
    return fail(control::v1::OUTCOME_KIND_HTTP_ERROR, std::move(why));
  };
  auto client_left = [&] {
    a.sent = true;  // nobody to answer, and nothing more to try
    a.client_gone = true;
    rec.set_status(499);
    rec.set_error("client went away");
    return fail(control::v1::OUTCOME_KIND_UNSPECIFIED, "client went away");
  };

  // A pooled connection may have been closed by the provider while idle: when the first write
  // or read on a reused connection fails, try once more on a fresh one.
  for (int round = 0; round < 2; ++round) {
    auto conn_or = co_await pool.Acquire(*cand.base, std::min(p.timeout, kMaxConnectTimeout));
    if (!conn_or.ok()) {
      co_return fail(absl::IsDeadlineExceeded(conn_or.status())
                         ? control::v1::OUTCOME_KIND_TIMEOUT
                         : control::v1::OUTCOME_KIND_CONNECT_ERROR,
                     Message(conn_or.status()));
    }
    std::unique_ptr<net::UpstreamConnection> conn = *std::move(conn_or);
    const bool reused = conn->reused;
    bool reusable = false;
    Attempt result;
    {
      // A client that leaves closes the provider's connection at once: the pending write or
      // read ends, and so does the generation.
      net::ClientWatch watch(w.socket(), [c = conn.get()] { c->tcp().close(); });

      conn->tcp().expires_at(deadline);
      auto [wec, wn] =
          co_await OnStream(*conn, [&](auto& s) { return http::async_write(s, up, kUse); });
      if (watch.gone()) co_return client_left();
      if (wec) {
        if (reused) continue;
        co_return fail(wec == beast::error::timeout ? control::v1::OUTCOME_KIND_TIMEOUT
                                                    : control::v1::OUTCOME_KIND_CONNECT_ERROR,
                       "sending to " + p.name + " failed: " + wec.message());
      }

      std::optional<http::response_parser<http::buffer_body>> parser;
      bool got_some = false;
      conn->tcp().expires_at(deadline);
      net::error_code hec = co_await ReadFinalHead(*conn, &parser, &got_some);
      if (watch.gone()) co_return client_left();
      if (hec) {
        if (reused && !got_some && hec != beast::error::timeout) continue;
        if (hec == beast::error::timeout) {
          co_return fail(
              control::v1::OUTCOME_KIND_TIMEOUT,
              p.name + " did not answer within " + std::to_string(p.timeout.count()) + " ms");
        }
        if (hec == http::error::bad_status) {
          co_return refuse(p.name + " sent more than " + std::to_string(net::kMaxInterimResponses) +
                           " interim responses");
        }
        co_return fail(control::v1::OUTCOME_KIND_CONNECT_ERROR,
                       p.name + " closed the connection: " + hec.message());
      }
      const auto& head = parser->get();
      a.status = head.result_int();
      a.retry_after_ms = ParseRetryAfterMs(head[http::field::retry_after]);
      if (!p.key_accounts.empty()) {
        a.quota = accounts::QuotaFromHeaders([&head](std::string_view name) { return head[name]; });
      }
      if (std::string why = RefusedHead(p.name, a.status, head[http::field::location],
                                        head[http::field::content_encoding]);
          !why.empty()) {
        co_return refuse(std::move(why));
      }
      routing::Failure f = routing::FailureFromStatus(a.status);
      if (routing::MovesOn(f) && can_move_on(f, a.retry_after_ms)) {
        // Fail over before anything reached the client. The connection is not reused.
        std::string error = p.name + " answered HTTP " + std::to_string(a.status);
        // An official account's 429 says in its body whether a quota window is spent, and
        // until when: the account rests until then (another 429 is an ordinary rate limit).
        if (a.status == 429 && !p.key_accounts.empty() &&
            net::ParseCoding(head[http::field::content_encoding]) == net::Coding::kIdentity) {
          const std::string body = co_await ReadSmallBody(*conn, *parser, kMaxLimitBody);
          const int64_t now = NowMs();
          if (auto reset = accounts::UsageLimitResetMs(body, now)) {
            a.retry_after_ms = std::max<int64_t>(*reset - now, 1000);
            error = p.name + ": the account's usage limit is reached, resets in " +
                    accounts::DescribeIn(*reset, now);
          }
        }
        co_return fail(control::v1::OUTCOME_KIND_HTTP_ERROR, std::move(error));
      }
      std::optional<accounts::Quota> quota = std::move(a.quota);
      result = co_await Relay(*conn, *parser, w, watch, cand, started, deadline, can_move_on,
                              adapter, rec, answer_ends, may_switch_mode);
      if (!result.quota) result.quota = std::move(quota);  // else: a stream event's, newer
      reusable = result.sent && !result.client_gone &&
                 result.kind != control::v1::OUTCOME_KIND_STREAM_CUT && parser->is_done() &&
                 parser->keep_alive() && conn->buffer.size() == 0 && !watch.gone();
    }
    result.latency_ms = MsBetween(started, Clock::now());
    if (reusable) {
      conn->tcp().expires_never();
      pool.Release(std::move(conn));
    }
    co_return result;
  }
  co_return fail(control::v1::OUTCOME_KIND_CONNECT_ERROR,
                 p.name + " closed the connection before answering");
}

net::asio::awaitable<Attempt> UpstreamRelay::Relay(
    net::UpstreamConnection& conn, http::response_parser<http::buffer_body>& parser,
    net::ResponseWriter& w, const net::ClientWatch& watch, const routing::Candidate& cand,
    Clock::time_point started, Clock::time_point deadline, const MoveOnFn& can_move_on,
    ResponseAdapter& adapter, admin::v1::RequestLog& rec, const AnswerEndsFn& answer_ends,
    bool may_switch_mode) {
  namespace asio = net::asio;
  const routing::ProviderEntry& p = *cand.provider;
  // An earlier attempt began the client's stream and was cut: this one continues it.
  const bool continuing = w.started();
  Attempt a;
  a.status = parser.get().result_int();
  a.retry_after_ms = ParseRetryAfterMs(parser.get()[http::field::retry_after]);
  a.kind =
      a.status < 400 ? control::v1::OUTCOME_KIND_SUCCESS : control::v1::OUTCOME_KIND_HTTP_ERROR;
  std::string content_type(parser.get()[http::field::content_type]);
  bool sse = net::ClassifyStatus(a.status) == UpstreamStatus::kAnswer &&
             StartsWithIgnoreCase(content_type, "text/event-stream");
  net::Coding coding = net::ParseCoding(parser.get()[http::field::content_encoding]);
  std::optional<net::Inflater> inflater;
  if (coding != net::Coding::kIdentity) inflater.emplace(coding);
  std::vector<std::pair<std::string, std::string>> headers;
  headers.emplace_back("x-agentgate-request-id", rec.request_id());
  headers.emplace_back("x-agentgate-provider", p.name);
  if (auto ra = parser.get()[http::field::retry_after]; !ra.empty()) {
    headers.emplace_back("Retry-After", std::string(ShortText(ra, 64)));
  }
  auto client_left = [&] {
    a.sent = true;
    a.client_gone = true;
    rec.set_status(499);
    rec.set_error("client went away");
    return a;
  };
  // The answer's end is about to go out: the attempt (as it stands), usage and then the whole
  // record are settled first.
  // (A whole answer's Send runs the writer's callback itself, once its status is set.)
  auto ending = [&](std::optional<uint64_t> pending) {
    SetUsage(&rec, adapter.usage());
    Attempt now = a;
    now.sent = true;
    now.latency_ms = MsBetween(started, Clock::now());
    if (answer_ends) answer_ends(now);
    if (pending) w.BeforeLastWrite(*pending);
  };

  char buf[16 * 1024];
  // Reads the next piece of the body into buf; returns its size, or an error.
  auto read_piece = [&]() -> asio::awaitable<std::pair<net::error_code, size_t>> {
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    auto [ec, n] = co_await OnStream(
        conn, [&](auto& s) { return http::async_read_some(s, conn.buffer, parser, kUse); });
    if (ec == http::error::need_buffer) ec = {};
    co_return std::make_pair(ec, sizeof buf - parser.get().body().size);
  };

  // A stream to a client that asked for a whole answer is read whole and converted.
  const bool whole_stream = sse && adapter.WholeFromStream();
  if (!sse || whole_stream) {
    std::string body;
    conn.tcp().expires_at(deadline);  // the whole answer, however it trickles
    while (!parser.is_done()) {
      if (whole_stream) conn.tcp().expires_after(p.timeout);  // a stream's longest silence
      auto [ec, n] = co_await read_piece();
      if (watch.gone()) co_return client_left();
      if (ec) {
        a.kind = ec == beast::error::timeout ? control::v1::OUTCOME_KIND_TIMEOUT
                                             : control::v1::OUTCOME_KIND_CONNECT_ERROR;
        a.error = ec == beast::error::timeout ? p.name + " did not finish its answer within " +
                                                    std::to_string(p.timeout.count()) + " ms"
                                              : p.name + " broke off its answer: " + ec.message();
        co_return a;  // nothing sent yet: the caller may fail over or answer 502
      }
      absl::Status st = inflater ? inflater->Feed(std::string_view(buf, n), &body, kMaxUpstreamBody)
                                 : absl::OkStatus();
      if (!inflater) body.append(buf, n);
      if (st.ok() && body.size() > kMaxUpstreamBody) {
        st = absl::ResourceExhaustedError("a body over 64 MiB");
      }
      if (!st.ok()) {
        a.kind = control::v1::OUTCOME_KIND_HTTP_ERROR;
        a.status = 502;
        a.error = p.name + " answered with " + std::string(Message(st));
        co_return a;
      }
    }
    if (a.status >= 400 && may_switch_mode && !continuing) {
      a.stream_refusal = protocol::DetectStreamRefusal(a.status, body);
      if (a.stream_refusal != protocol::StreamRefusal::kNone) {
        a.error = p.name + " refused the answer mode: " +
                  std::string(ShortText(protocol::UpstreamErrorMessage(body), 200));
        co_return a;  // nothing sent: the caller asks again in the other mode
      }
    }
    ResponseAdapter::Converted out =
        whole_stream     ? adapter.BodyFromStream(a.status, std::move(body))
        : a.status < 400 ? adapter.Body(a.status, content_type, std::move(body))
                         : adapter.Error(a.status, content_type, std::move(body));
    if (a.status >= 400) {
      a.error = p.name + " answered HTTP " + std::to_string(a.status);
      rec.set_error(a.error);
    } else if (out.status >= 400) {
      a.error = p.name + "'s answer could not be converted";
      rec.set_error(a.error);
    }
    if (continuing) {
      // The rest of an answer whose stream is open: the same stream goes on, or says in-band
      // why it cannot.
      std::string rest = a.error.empty() ? std::move(out.body) : adapter.StreamFail(a.error);
      if (!a.error.empty()) rec.set_status(502);
      ending(rest.size());
      a.sent = true;
      if (co_await w.WriteChunk(rest)) {
        rec.set_status(499);
        co_return a;
      }
      co_await w.FinishStream();
      co_return a;
    }
    ending(std::nullopt);  // recorded (in Send) before the answer goes out
    co_await w.Send(out.status, out.content_type, std::move(out.body), headers);
    a.sent = true;
    if (w.failed()) rec.set_status(499);
    co_return a;
  }

  // Server-sent events: forward (converted) each piece the moment it arrives.
  a.sent = true;
  if (!continuing && co_await w.BeginStream(a.status, adapter.stream_content_type(), headers)) {
    rec.set_status(499);
    rec.set_error("client went away");
    co_return a;
  }
  metrics_.StreamOpened();
  struct StreamClose {
    EdgeMetrics& m;
    ~StreamClose() { m.StreamClosed(); }
  } stream_close{metrics_};
  // While the provider is silent (a long think before the first token), the client gets a
  // keep-alive every keepalive_ so that it, and any proxy between, does not give up — only
  // between two events, never inside one. The read stays pending meanwhile; only this coroutine
  // writes to the client.
  bool client_gone = false;
  EventBoundary boundary;
  const std::string keepalive = KeepAliveFor(rec.client_protocol());
  auto read_piece_alive = [&]() -> asio::awaitable<std::pair<net::error_code, size_t>> {
    conn.tcp().expires_after(p.timeout);  // the longest silence mid-stream
    if (keepalive_.count() <= 0) co_return co_await read_piece();
    parser.get().body().data = buf;
    parser.get().body().size = sizeof buf;
    bool done = false;
    net::error_code read_ec;
    asio::steady_timer wake(co_await asio::this_coro::executor);
    OnStream(conn, [&](auto& s) {
      http::async_read_some(s, conn.buffer, parser, [&](net::error_code ec, size_t) {
        done = true;
        read_ec = ec;
        wake.cancel();
      });
    });
    while (!done) {
      wake.expires_after(keepalive_);
      auto [wec] = co_await wake.async_wait(kUse);
      if (done || wec || client_gone || !boundary.at_boundary()) continue;
      if (co_await w.WriteChunk(keepalive)) {
        client_gone = true;
        conn.tcp().close();  // ends the pending read
      }
    }
    if (read_ec == http::error::need_buffer) read_ec = {};
    co_return std::make_pair(read_ec, sizeof buf - parser.get().body().size);
  };
  std::string decoded;
  bool ended = false;
  // An official account's stream tells its quota in codex.rate_limits events too: the newest
  // wins over the head's (events are at most 64 KiB here; a bigger one is not quota).
  std::optional<protocol::SseParser> limits;
  if (!p.key_accounts.empty()) limits.emplace(64 * 1024);
  while (!parser.is_done()) {
    auto [ec, n] = co_await read_piece_alive();
    if (client_gone || watch.gone()) {
      rec.set_status(499);
      rec.set_error("client went away mid-stream");
      a.client_gone = true;
      co_return a;
    }
    std::string out;
    if (n > 0) {
      std::string_view piece(buf, n);
      if (inflater) {
        decoded.clear();
        if (absl::Status st = inflater->Feed(piece, &decoded, SIZE_MAX); !st.ok()) {
          ec = http::error::bad_chunk;  // reported below as a cut stream
          n = 0;
        }
        piece = decoded;
      }
      if (n > 0) out = adapter.StreamChunk(piece);
      if (n > 0 && limits && !limits->Feed(piece, [&a](const protocol::SseEvent& ev) {
            if (ev.event != "codex.rate_limits" &&
                ev.data.find("codex.rate_limits") == std::string_view::npos) {
              return;
            }
            if (auto q = accounts::QuotaFromEvent(ev.data); q && q->known()) a.quota = *q;
          })) {
        limits.reset();  // an oversized event: no more quota from this stream
      }
    }
    // Cut: the connection failed, or the body ended before the provider finished its answer.
    const bool cut = ec || (parser.is_done() && !adapter.StreamDone());
    std::string why;
    if (cut) {
      why =
          !ec ? p.name + " ended the stream before finishing its answer"
          : ec == beast::error::timeout
              ? p.name + " went silent mid-stream for " + std::to_string(p.timeout.count()) + " ms"
          : ec == http::error::bad_chunk && inflater ? p.name + " sent a corrupt compressed stream"
                                                     : p.name + " cut the stream: " + ec.message();
    }
    // Mid-stream failover: the client's stream stays open for the next attempt to continue.
    const bool continues =
        cut && adapter.CanContinue() && can_move_on(routing::Failure::kStreamCut, 0);
    if (parser.is_done() && !ec && !continues) {
      // This piece ends the answer: its record goes to the spool before the client can read
      // the end.
      out += adapter.StreamEnd();
      ended = true;
      ending(out.size());
    }
    if (!out.empty()) {
      if (co_await w.WriteChunk(out)) {
        rec.set_status(499);
        rec.set_error("client went away mid-stream");
        a.client_gone = true;
        // The upstream connection is abandoned (closed), which cancels the generation.
        conn.tcp().close();
        co_return a;
      }
      boundary.Wrote(out);
    }
    if (continues) {
      a.kind = control::v1::OUTCOME_KIND_STREAM_CUT;
      a.error = std::move(why);
      a.sent = false;
      a.cut_continues = true;
      conn.tcp().close();
      co_return a;
    }
    if (ec) {
      a.kind = control::v1::OUTCOME_KIND_STREAM_CUT;
      a.error = std::move(why);
      rec.set_error(a.error);
      rec.set_status(502);
      // Tell the client in its own protocol, then end the stream cleanly.
      std::string fail = adapter.StreamFail(a.error);
      ending(fail.size());
      co_await w.WriteChunk(fail);
      co_await w.FinishStream();
      co_return a;
    }
  }
  if (!ended) {
    std::string end = adapter.StreamEnd();
    ending(end.size());
    co_await w.WriteChunk(end);
  }
  co_await w.FinishStream();
  if (w.failed() && rec.status() == 0) rec.set_status(499);
  co_return a;
}

net::asio::awaitable<std::optional<std::pair<int, std::string>>> UpstreamRelay::Fetch(
    net::UpstreamPool& pool, const routing::Candidate& cand, UpstreamMessage& up) {
  const routing::ProviderEntry& p = *cand.provider;
  auto conn_or = co_await pool.Acquire(*cand.base, std::min(p.timeout, kMaxConnectTimeout));
  if (!conn_or.ok()) co_return std::nullopt;
  std::unique_ptr<net::UpstreamConnection> conn = *std::move(conn_or);
  conn->tcp().expires_after(std::min(p.timeout, kMaxConnectTimeout));  // the whole exchange
  auto [wec, wn] =
      co_await OnStream(*conn, [&](auto& s) { return http::async_write(s, up, kUse); });
  if (wec) co_return std::nullopt;
  std::optional<http::response_parser<http::string_body>> parser;
  bool got_some = false;
  if (co_await ReadFinalHead(*conn, &parser, &got_some)) co_return std::nullopt;
  const auto& head = parser->get();
  if (!RefusedHead(p.name, head.result_int(), head[http::field::location],
                   head[http::field::content_encoding])
           .empty()) {
    co_return std::nullopt;
  }
  net::Coding coding = net::ParseCoding(head[http::field::content_encoding]);
  parser->body_limit(kMaxFetchBody);
  auto [rec_ec, rn] = co_await OnStream(
      *conn, [&](auto& s) { return http::async_read(s, conn->buffer, *parser, kUse); });
  if (rec_ec) co_return std::nullopt;
  std::string body = std::move(parser->get().body());
  if (coding != net::Coding::kIdentity) {
    net::Inflater inflater(coding);
    std::string decoded;
    if (!inflater.Feed(body, &decoded, kMaxFetchBody).ok()) co_return std::nullopt;
    body = std::move(decoded);
  }
  if (parser->keep_alive() && conn->buffer.size() == 0) {
    conn->tcp().expires_never();
    pool.Release(std::move(conn));
  }
  co_return std::make_pair(parser->get().result_int(), std::move(body));
}

}  // namespace agentgate::edge
