#include "services/protocol/json_writer.h"

#include <array>
#include <bit>
#include <boost/json/serializer.hpp>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace agentgate::protocol::json {
namespace {

// For each byte, what follows the backslash when it must be escaped ('u' for \u00XX), or 0 when
// it is copied as it is: boost::json::serialize's table.
constexpr std::array<char, 256> kEscape = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

// The first byte of [p, end) that must be escaped (below 0x20, '"' or '\\'), or `end`: 16
// bytes at a time with SSE2, then 8 at a time with the usual word-at-a-time tests (one `& ~w`
// serves all three, as neither '"' nor '\\' has the high bit set; in a word the lowest flagged
// byte is exactly the first match, as a false flag can only follow a true one, so on a
// little-endian machine the count of trailing zero bits finds it), then byte by byte.
inline const char* FindEscape(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1f);
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return p + std::countr_zero(static_cast<unsigned>(mask));
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHigh = 0x8080808080808080ULL;
    for (; end - p >= 8; p += 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      const uint64_t quote = w ^ (kOnes * '"');
      const uint64_t backslash = w ^ (kOnes * '\\');
      const uint64_t flags =
          ((w - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes)) & ~w & kHigh;
      if (flags != 0) return p + std::countr_zero(flags) / 8;
    }
  }
  while (p < end && kEscape[static_cast<unsigned char>(*p)] == 0) ++p;
  return p;
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const char* const end = p + s.size();
  while (true) {
    // Plain bytes are copied in runs.
    const char* q = FindEscape(p, end);
    out.append(p, static_cast<size_t>(q - p));
    if (q == end) return;
    const auto c = static_cast<unsigned char>(*q);
    p = q + 1;
    const char e = kEscape[c];
    if (e != 'u') {
      const char esc[2] = {'\\', e};
      out.append(esc, 2);
    } else {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out.append(esc, 6);
    }
  }
}

void Writer::Int(int64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
  comma_ = true;
}

void Writer::Uint(uint64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, static_cast<size_t>(r.ptr - buf));
  comma_ = true;
}

void Writer::Double(double v) {
  Separate();
  // Through Boost.JSON's serializer, so that the digits are its own (it writes "7E-1" where
  // printf would write "0.7"). A number needs no allocation; it fits in the buffer in one read.
  boost::json::value jv(v);
  boost::json::serializer sr;
  sr.reset(&jv);
  char buf[64];
  auto text = sr.read(buf, sizeof buf);
  out_.append(text.data(), text.size());
  comma_ = true;
}

void Writer::Value(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      Null();
      return;
    case boost::json::kind::bool_:
      Bool(v.get_bool());
      return;
    case boost::json::kind::int64:
      Int(v.get_int64());
      return;
    case boost::json::kind::uint64:
      Uint(v.get_uint64());
      return;
    case boost::json::kind::double_:
      Double(v.get_double());
      return;
    case boost::json::kind::string:
      String(std::string_view(v.get_string()));
      return;
    case boost::json::kind::array:
      BeginArray();
      for (const auto& e : v.get_array()) Value(e);
      EndArray();
      return;
    case boost::json::kind::object:
      BeginObject();
      for (const auto& kv : v.get_object()) {
        Key(std::string_view(kv.key()));
        Value(kv.value());
      }
      EndObject();
      return;
  }
}

}  // namespace agentgate::protocol::json
