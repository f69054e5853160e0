#include "services/protocol/json_scan.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace agentgate::protocol::json {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr int kMaxDepth = 32;  // as boost::json::parse allows by default

// A one-pass validating scanner: strict RFC 8259 JSON, valid UTF-8, numbers a double can carry,
// nesting at most kMaxDepth, as json::Parse accepts; records the top-level object's members
// when asked. Plain ASCII inside strings is skipped sixteen bytes at a time (SSE2; eight
// without it).
class Scanner {
 public:
  explicit Scanner(std::string_view t)
      : p_(reinterpret_cast<const unsigned char*>(t.data())), n_(t.size()) {}

  // The whole text is one value (with members recorded into *top when it is an object).
  bool Document(std::vector<Member>* top, Kind* kind) {
    SkipSpace();
    if (!Value(top, kind)) return false;
    SkipSpace();
    if (i_ != n_) return Fail("unexpected data after the JSON value");
    return true;
  }
  const char* error() const { return error_; }
  bool too_large() const { return too_large_; }
  // The repeated member name (decoded) when the text failed for one.
  const std::string& duplicate() const { return duplicate_; }

  // The elements of the array at the start of the text (which must be a valid array), up to
  // `limit` of them: only those are scanned.
  bool Elements(size_t limit, std::vector<Member>* out) {
    SkipSpace();
    if (i_ >= n_ || p_[i_] != '[') return Fail("not an array");
    ++i_;
    ++depth_;
    SkipSpace();
    while (out->size() < limit && i_ < n_ && p_[i_] != ']') {
      Member m;
      m.value_begin = i_;
      if (!Value(nullptr, &m.kind)) return false;
      m.value_end = i_;
      out->push_back(m);
      SkipSpace();
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        SkipSpace();
      }
    }
    return true;
  }

 private:
  bool Fail(const char* why) {
    if (error_ == nullptr) error_ = why;
    return false;
  }
  void SkipSpace() {
    while (i_ < n_ && IsSpace(static_cast<char>(p_[i_]))) ++i_;
  }

  bool Value(std::vector<Member>* top, Kind* kind) {
    if (i_ >= n_) return Fail("unexpected end of the JSON text");
    switch (p_[i_]) {
      case '{':
        *kind = Kind::kObject;
        return Object(top);
      case '[':
        *kind = Kind::kArray;
        return Array();
      case '"':
        *kind = Kind::kString;
        return String();
      case 't':
        *kind = Kind::kBool;
        return Word("true");
      case 'f':
        *kind = Kind::kBool;
        return Word("false");
      case 'n':
        *kind = Kind::kNull;
        return Word("null");
      default:
        *kind = Kind::kNumber;
        return Number();
    }
  }

  bool Word(std::string_view w) {
    if (n_ - i_ < w.size() ||
        std::string_view(reinterpret_cast<const char*>(p_ + i_), w.size()) != w) {
      return Fail("invalid literal");
    }
    i_ += w.size();
    return true;
  }

  bool Object(std::vector<Member>* top) {
    if (++depth_ > kMaxDepth) return Fail("the JSON nests too deeply");
    ++i_;
    SkipSpace();
    if (i_ < n_ && p_[i_] == '}') {
      ++i_;
      --depth_;
      return true;
    }
    const size_t first_key = keys_.size();
    for (;;) {
      if (i_ >= n_ || p_[i_] != '"') return Fail("expected a member name");
      size_t key_begin = i_;
      escaped_ = false;
      if (!String()) return false;
      size_t key_end = i_;  // one past the closing quote
      if (!NewKey(first_key, Key{key_begin + 1, key_end - 1, escaped_})) return false;
      SkipSpace();
      if (i_ >= n_ || p_[i_] != ':') return Fail("expected ':'");
      ++i_;
      SkipSpace();
      Member m;
      m.value_begin = i_;
      if (!Value(nullptr, &m.kind)) return false;
      if (top != nullptr) {
        m.key = std::string_view(reinterpret_cast<const char*>(p_) + key_begin + 1,
                                 key_end - key_begin - 2);
        m.value_end = i_;
        top->push_back(m);
      }
      SkipSpace();
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        SkipSpace();
        continue;
      }
      if (i_ < n_ && p_[i_] == '}') {
        ++i_;
        --depth_;
        bool unique = keys_.size() - first_key <= kLinearKeys || UniqueKeys(first_key);
        keys_.resize(first_key);
        return unique;
      }
      return Fail("expected ',' or '}'");
    }
  }

  // A member name of the object being read: its bytes between the quotes, and whether they
  // hold an escape (then they are compared decoded).
  struct Key {
    size_t begin;
    size_t end;
    bool escaped;
  };
  // Up to this many members an object's names are compared one by one as they come; a larger
  // object is checked once more, sorted, when it closes.
  static constexpr size_t kLinearKeys = 32;

  std::string_view Raw(const Key& k) const {
    return std::string_view(reinterpret_cast<const char*>(p_) + k.begin, k.end - k.begin);
  }
  // The name as its JSON string means it (the bytes were validated by String()).
  std::string Decoded(const Key& k) const {
    std::string out;
    std::string_view raw = Raw(k);
    if (!k.escaped) return std::string(raw);
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = raw[++i];
      switch (e) {
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          auto hex = [&](size_t at) {
            unsigned v = 0;
            for (size_t j = at; j < at + 4; ++j) {
              char h = raw[j];
              v = v * 16 + static_cast<unsigned>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            return v;
          };
          unsigned cp = hex(i + 1);
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a pair: String() checked the trailing half
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex(i + 3) - 0xDC00);
            i += 6;
          }
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default:
          out.push_back(e);
          break;  // '"', '\\', '/'
      }
    }
    return out;
  }
  bool SameName(const Key& a, const Key& b) const {
    if (!a.escaped && !b.escaped) return Raw(a) == Raw(b);
    return Decoded(a) == Decoded(b);
  }
  bool Duplicate(std::string name) {
    duplicate_ = std::move(name);
    return Fail("duplicate member name");
  }
  // Adds the next member name of the object whose names start at keys_[first]; false when an
  // earlier member of it has the same name (compared while the object is small).
  bool NewKey(size_t first, Key k) {
    if (keys_.size() - first < kLinearKeys) {
      for (size_t j = first; j < keys_.size(); ++j) {
        if (SameName(keys_[j], k)) return Duplicate(Decoded(k));
      }
    }
    keys_.push_back(k);
    return true;
  }
  // Every name of a large object, sorted: false on the first repeat.
  bool UniqueKeys(size_t first) {
    std::vector<std::string> names;
    names.reserve(keys_.size() - first);
    for (size_t j = first; j < keys_.size(); ++j) names.push_back(Decoded(keys_[j]));
    std::sort(names.begin(), names.end());
    auto dup = std::adjacent_find(names.begin(), names.end());
    if (dup != names.end()) return Duplicate(*dup);
    return true;
  }

  bool Array() {
    if (++depth_ > kMaxDepth) return Fail("the JSON nests too deeply");
    ++i_;
    SkipSpace();
    if (i_ < n_ && p_[i_] == ']') {
      ++i_;
      --depth_;
      return true;
    }
    for (;;) {
      Kind k;
      if (!Value(nullptr, &k)) return false;
      SkipSpace();
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        SkipSpace();
        continue;
      }
      if (i_ < n_ && p_[i_] == ']') {
        ++i_;
        --depth_;
        return true;
      }
      return Fail("expected ',' or ']'");
    }
  }

  // Bit 8k+7 set for each of the eight bytes of `x` (little-endian) that needs a closer look: a
  // control character, a quote, a backslash or a byte of a multi-byte UTF-8 sequence. Bits above
  // the first such byte may be spurious (borrows), the lowest set bit is exact.
  static uint64_t Special(uint64_t x) {
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    return ((x - 0x2020202020202020ull) & ~x & kHigh) | (x & kHigh) | has_zero(x ^ (kOnes * '"')) |
           has_zero(x ^ (kOnes * '\\'));
  }

  // Moves i_ to the first byte at or after it that Special would flag, or to the last few bytes
  // of the text (fewer than a block), which the caller looks at one by one.
  void SkipPlain() {
    size_t i = i_;  // a local: stores through p_ (a char pointer) would otherwise alias it
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    for (; n_ - i >= 16; i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_ + i));
      // Signed compare: below 0x20, and 0x80..0xFF (negative), in one instruction.
      __m128i special =
          _mm_or_si128(_mm_cmplt_epi8(v, space),
                       _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
      if (int mask = _mm_movemask_epi8(special)) {
        i_ = i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        return;
      }
    }
#endif
    for (; n_ - i >= 8; i += 8) {
      uint64_t x;
      std::memcpy(&x, p_ + i, 8);
      if (uint64_t m = Special(x)) {
        i_ = i + static_cast<size_t>(__builtin_ctzll(m) / 8);
        return;
      }
    }
    i_ = i;
  }

  int Hex4(size_t at) {  // the value of 4 hex digits at p_[at], or -1
    if (n_ - at < 4 || at > n_) return -1;
    int v = 0;
    for (size_t k = at; k < at + 4; ++k) {
      unsigned char c = p_[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  bool String() {
    ++i_;
    for (;;) {
      SkipPlain();
      if (i_ >= n_) return Fail("unterminated string");
      unsigned char c = p_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        escaped_ = true;
        if (i_ + 1 >= n_) return Fail("unterminated string");
        unsigned char e = p_[i_ + 1];
        if (e == 'u') {
          int u = Hex4(i_ + 2);
          if (u < 0) return Fail("invalid \\u escape");
          i_ += 6;
          if (u >= 0xDC00 && u <= 0xDFFF) return Fail("lone trailing surrogate");
          if (u >= 0xD800 && u <= 0xDBFF) {
            if (n_ - i_ < 6 || p_[i_] != '\\' || p_[i_ + 1] != 'u') {
              return Fail("expected a trailing surrogate");
            }
            int lo = Hex4(i_ + 2);
            if (lo < 0xDC00 || lo > 0xDFFF) return Fail("expected a trailing surrogate");
            i_ += 6;
          }
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
            e != 't') {
          return Fail("invalid escape");
        }
        i_ += 2;
        continue;
      }
      if (c < 0x20) return Fail("control character in a string");
      if (c < 0x80) {
        ++i_;
        continue;
      }
      if (!Utf8()) return Fail("invalid UTF-8 in a string");
    }
  }

  // One multi-byte UTF-8 sequence at p_[i_] (RFC 3629: no overlongs, surrogates or > U+10FFFF).
  bool Utf8() {
    unsigned char c = p_[i_];
    int more;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c == 0xE0) {
      more = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      more = 2;
    } else if (c == 0xED) {
      more = 2, hi = 0x9F;
    } else if (c == 0xF0) {
      more = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      more = 3;
    } else if (c == 0xF4) {
      more = 3, hi = 0x8F;
    } else {
      return false;
    }
    if (n_ - i_ <= static_cast<size_t>(more)) return false;
    if (p_[i_ + 1] < lo || p_[i_ + 1] > hi) return false;
    for (int k = 2; k <= more; ++k) {
      if (p_[i_ + k] < 0x80 || p_[i_ + k] > 0xBF) return false;
    }
    i_ += static_cast<size_t>(more) + 1;
    return true;
  }

  bool Number() {
    size_t begin = i_;
    auto digit = [&](size_t k) { return k < n_ && p_[k] >= '0' && p_[k] <= '9'; };
    if (i_ < n_ && p_[i_] == '-') ++i_;
    if (!digit(i_)) return Fail("invalid number");
    if (p_[i_] == '0') {
      ++i_;
    } else {
      while (digit(i_)) ++i_;
    }
    bool plain = true;
    if (i_ < n_ && p_[i_] == '.') {
      plain = false;
      ++i_;
      if (!digit(i_)) return Fail("invalid number");
      while (digit(i_)) ++i_;
    }
    if (i_ < n_ && (p_[i_] == 'e' || p_[i_] == 'E')) {
      plain = false;
      ++i_;
      if (i_ < n_ && (p_[i_] == '+' || p_[i_] == '-')) ++i_;
      if (!digit(i_)) return Fail("invalid number");
      while (digit(i_)) ++i_;
    }
    // Short integers are exact; anything else must come out finite from Boost.JSON's number
    // conversion, which json::Parse uses (1e999, and 0e400 too, do not).
    if (plain && i_ - begin <= 18) return true;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(
        std::string_view(reinterpret_cast<const char*>(p_) + begin, i_ - begin), ec);
    if (ec || (v.is_double() && !std::isfinite(v.get_double()))) {
      too_large_ = true;
      return Fail("a number too large to represent");
    }
    return true;
  }

  const unsigned char* p_;
  size_t n_;
  size_t i_ = 0;
  int depth_ = 0;
  const char* error_ = nullptr;
  bool too_large_ = false;
  bool escaped_ = false;   // the last string read held an escape
  std::vector<Key> keys_;  // the names of the objects open at i_, outermost first
  std::string duplicate_;  // the first repeated name, decoded
};

// The client-facing error for a text the scanner refused.
absl::Status ScanError(const Scanner& s) {
  if (s.too_large()) {
    return absl::InvalidArgumentError("request body has a number too large to represent");
  }
  if (!s.duplicate().empty() || std::string_view(s.error()) == "duplicate member name") {
    std::string name =
        s.duplicate().size() > 64 ? s.duplicate().substr(0, 64) + "..." : s.duplicate();
    return absl::InvalidArgumentError("request body has a duplicate member name " + Quote(name) +
                                      ": each name may appear only once in a JSON object");
  }
  return absl::InvalidArgumentError(std::string("request body is not valid JSON: ") + s.error());
}

}  // namespace

absl::Status Validate(std::string_view text) {
  Scanner s(text);
  Kind kind;
  if (s.Document(nullptr, &kind)) return absl::OkStatus();
  return ScanError(s);
}

absl::StatusOr<std::vector<Member>> ValidateObject(std::string_view text) {
  Scanner s(text);
  std::vector<Member> members;
  Kind kind;
  if (!s.Document(&members, &kind)) return ScanError(s);
  if (kind != Kind::kObject) {
    return absl::InvalidArgumentError("request body must be a JSON object");
  }
  return members;
}

std::vector<Member> ArrayElements(std::string_view array, size_t limit) {
  Scanner s(array);
  std::vector<Member> out;
  if (!s.Elements(limit, &out)) out.clear();
  return out;
}

std::optional<std::vector<Member>> TopLevelMembers(std::string_view t) {
  Scanner s(t);
  std::vector<Member> members;
  Kind kind;
  if (!s.Document(&members, &kind) || kind != Kind::kObject) return std::nullopt;
  return members;
}

const Member* FindMember(const std::vector<Member>& members, std::string_view key) {
  for (const auto& m : members) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

absl::StatusOr<std::optional<std::string>> StringMember(std::string_view text,
                                                        const std::vector<Member>& members,
                                                        std::string_view key) {
  const Member* m = FindMember(members, key);
  if (m == nullptr) return std::optional<std::string>();
  if (m->kind != Kind::kString) {
    return absl::InvalidArgumentError("'" + std::string(key) + "' must be a string");
  }
  std::string_view raw = m->value(text);
  if (raw.find('\\') == std::string_view::npos) {
    return std::optional<std::string>(raw.substr(1, raw.size() - 2));
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(raw, ec);
  if (ec || !v.is_string())
    return absl::InvalidArgumentError("'" + std::string(key) + "' must be a string");
  return std::optional<std::string>(std::string(v.get_string()));
}

absl::StatusOr<bool> BoolMember(std::string_view text, const std::vector<Member>& members,
                                std::string_view key, bool absent) {
  const Member* m = FindMember(members, key);
  if (m == nullptr || m->kind == Kind::kNull) return absent;
  if (m->kind != Kind::kBool) {
    return absl::InvalidArgumentError("'" + std::string(key) + "' must be a boolean");
  }
  return m->value(text) == "true";
}

std::string Quote(std::string_view s) {
  return boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

std::string Spliced::Join() const {
  std::string out;
  out.reserve(size());
  out.append(head).append(middle).append(tail);
  return out;
}

Spliced SpliceTopLevelString(std::string_view object, const std::vector<Member>& members,
                             std::string_view key, std::string_view value) {
  Spliced out;
  if (const Member* m = FindMember(members, key)) {
    out.head = object.substr(0, m->value_begin);
    out.middle = Quote(value);
    out.tail = object.substr(m->value_end);
    return out;
  }
  // Not there: add it first.
  size_t brace = object.find('{');
  out.head = object.substr(0, brace + 1);
  out.middle = Quote(key);
  out.middle.push_back(':');
  out.middle += Quote(value);
  if (!members.empty()) out.middle.push_back(',');
  out.tail = object.substr(brace + 1);
  return out;
}

std::string SetTopLevelString(std::string_view object, const std::vector<Member>& members,
                              std::string_view key, std::string_view value) {
  return SpliceTopLevelString(object, members, key, value).Join();
}

}  // namespace agentgate::protocol::json
