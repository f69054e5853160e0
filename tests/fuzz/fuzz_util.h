// Helpers shared by the protocol fuzzers: input splitting and checks of the promises the
// library makes (every byte chunking gives the same events, every body it writes is JSON), and
// the driving code of the *_stream fuzzers (a provider's answer converted for the clients).
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "services/protocol/gemini_codec.h"
#include "services/protocol/ir.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::fuzz {

// A broken promise: print it and abort, so libFuzzer keeps the input as a crash.
[[noreturn]] inline void Fail(const char* what, const char* file, int line,
                              std::string_view detail) {
  std::fprintf(stderr, "FUZZ CHECK FAILED at %s:%d: %s\n", file, line, what);
  if (!detail.empty()) {
    std::fprintf(stderr, "  detail (first 500 bytes): %.*s\n",
                 static_cast<int>(std::min<size_t>(detail.size(), 500)), detail.data());
  }
  std::abort();
}

#define FUZZ_CHECK(cond, detail)                                               \
  do {                                                                         \
    if (!(cond)) ::agentgate::fuzz::Fail(#cond, __FILE__, __LINE__, (detail)); \
  } while (0)

// The input after its first byte, which steers the harness (splits, options).
struct Input {
  uint8_t control = 0;
  std::string_view rest;
};

inline Input Take(const uint8_t* data, size_t size) {
  Input in;
  if (size == 0) return in;
  in.control = data[0];
  in.rest = std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  return in;
}

// `in` cut into 1..16 pieces (possibly empty) at positions derived from `control`; 0xff means
// one byte at a time (the first `bytewise_limit` bytes, then the rest in one piece, to keep
// slow targets fast). Concatenated, the pieces are `in`.
inline std::vector<std::string_view> Split(std::string_view in, uint8_t control,
                                           size_t bytewise_limit = SIZE_MAX) {
  std::vector<std::string_view> out;
  if (control == 0xff) {
    size_t n = std::min(in.size(), bytewise_limit);
    for (size_t i = 0; i < n; ++i) out.push_back(in.substr(i, 1));
    if (n < in.size() || out.empty()) out.push_back(in.substr(n));
    return out;
  }
  size_t pieces = 1 + control % 16;
  uint32_t state = control * 2654435761u + 1;
  std::vector<size_t> cuts;
  for (size_t k = 1; k < pieces; ++k) {
    state = state * 1664525u + 1013904223u;
    cuts.push_back((state >> 8) % (in.size() + 1));
  }
  std::sort(cuts.begin(), cuts.end());
  size_t pos = 0;
  for (size_t cut : cuts) {
    out.push_back(in.substr(pos, cut - pos));
    pos = cut;
  }
  out.push_back(in.substr(pos));
  return out;
}

// True when `s` is one JSON text. Nesting is not limited: what the library writes may nest a
// little deeper than what it read.
inline bool IsJson(std::string_view s) {
  boost::json::parse_options opt;
  opt.max_depth = 100000;
  boost::system::error_code ec;
  boost::json::parse(s, ec, {}, opt);
  return !ec;
}

// `s` with the tokens Boost.JSON 1.81 writes for non-finite doubles (Infinity, -Infinity, NaN;
// a number like 1e400 in a request parses as infinity) replaced by JSON numbers.
inline std::string WithoutNonFinite(std::string_view s) {
  std::string out;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      out.push_back(c);
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (s.substr(i, 8) == "Infinity") {
      out.append("1e999");
      i += 7;
    } else if (s.substr(i, 3) == "NaN") {
      out.push_back('0');
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// What the library writes for a client or a provider must be JSON.
inline void CheckJson(std::string_view s, const char* file, int line) {
  if (IsJson(s)) return;
  if (IsJson(WithoutNonFinite(s))) {
    Fail("non-finite number written as Infinity or NaN: not JSON", file, line, s);
  }
  Fail("the library wrote something that is not JSON", file, line, s);
}
#define FUZZ_CHECK_JSON(s) ::agentgate::fuzz::CheckJson((s), __FILE__, __LINE__)

// Every event of an SSE body the library wrote carries JSON data (or is Chat's closing
// "[DONE]"), and the body ends on a frame boundary.
inline void CheckSseOfJson(std::string_view sse, const char* file, int line) {
  protocol::SseParser parser;
  bool fed = parser.Feed(sse, [&](const protocol::SseEvent& ev) {
    if (ev.data != "[DONE]") CheckJson(ev.data, file, line);
  });
  if (!fed) Fail("the SSE body has an event over 16 MiB", file, line, sse);
  if (parser.HasPartialEvent()) Fail("the SSE body ends inside an event", file, line, sse);
}
#define FUZZ_CHECK_SSE_OF_JSON(s) ::agentgate::fuzz::CheckSseOfJson((s), __FILE__, __LINE__)

// ---- a provider's answer converted for the clients (the *_stream fuzzers) -------------------

// `chunks` of a provider stream through StreamConverter(decoder, encoder), then End() (Fail() when
// `fail_at_end`): every piece written is SSE of JSON, and nothing comes after the end.
inline void CheckConvertedStream(const std::vector<std::string_view>& chunks,
                                 std::unique_ptr<protocol::StreamDecoder> decoder,
                                 std::unique_ptr<protocol::StreamEncoder> encoder,
                                 bool fail_at_end) {
  protocol::StreamConverter conv(std::move(decoder), std::move(encoder));
  std::string out;
  for (std::string_view c : chunks) {
    std::string piece = conv.Feed(c);
    FUZZ_CHECK_SSE_OF_JSON(piece);
    out += piece;
  }
  std::string last = fail_at_end ? conv.Fail("the provider went away") : conv.End();
  FUZZ_CHECK_SSE_OF_JSON(last);
  // Nothing more after the end.
  FUZZ_CHECK(conv.End().empty(), out);
  (void)conv.usage();
}

// The provider stream converted for the Messages, Responses and Gemini clients, each with a fresh
// decoder from `make_decoder()`. `control` steers the Messages input-token estimate.
template <class MakeDecoder>
void CheckStreamForClients(const std::vector<std::string_view>& chunks, uint8_t control,
                           bool fail_at_end, const MakeDecoder& make_decoder) {
  CheckConvertedStream(
      chunks, make_decoder(),
      std::make_unique<protocol::MessagesStreamEncoder>("claude-sonnet-4-5", control * 1000),
      fail_at_end);
  CheckConvertedStream(chunks, make_decoder(),
                       std::make_unique<protocol::ResponsesStreamEncoder>(
                           "gpt-5-codex", protocol::ResponsesIds{"resp_fuzz", 1700000000},
                           protocol::ResponsesTools{{"apply_patch"}, {}}),
                       fail_at_end);
  CheckConvertedStream(chunks, make_decoder(),
                       std::make_unique<protocol::GeminiStreamEncoder>("gemini-2.5-pro"),
                       fail_at_end);
}

// A whole provider answer encoded for the Messages, Responses and Gemini clients: each is JSON.
inline void CheckResponseForClients(const protocol::ir::Response& r) {
  std::string m = protocol::EncodeMessagesResponse(r, "claude-sonnet-4-5");
  FUZZ_CHECK_JSON(m);
  std::string o =
      protocol::EncodeResponsesResponse(r, "gpt-5-codex", protocol::ResponsesIds{"resp_fuzz", 1},
                                        protocol::ResponsesTools{{"apply_patch"}, {}});
  FUZZ_CHECK_JSON(o);
  std::string g = protocol::EncodeGeminiResponse(r, "gemini-2.5-pro");
  FUZZ_CHECK_JSON(g);
}

// A provider's answer for the *_provider_stream fuzzers: `in` as a stream in chunks (decoded by
// fresh decoders from `make_decoder()`, converted for each client, failed at the end when
// `control` says so), and as a whole answer read by `decode_response`.
template <class MakeDecoder, class DecodeResponse>
void CheckProviderAnswer(const Input& in, const MakeDecoder& make_decoder,
                         const DecodeResponse& decode_response) {
  auto chunks = Split(in.rest, in.control, /*bytewise_limit=*/256);
  bool fail_at_end = (in.control & 0x30) == 0x30;
  CheckStreamForClients(chunks, in.control, fail_at_end, make_decoder);
  auto r = decode_response(in.rest);
  if (r.ok()) CheckResponseForClients(*r);
}

}  // namespace agentgate::fuzz
