#include "services/protocol/json_scan.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <cmath>

namespace agentgate::protocol::json {
namespace {

namespace bj = boost::json;
using ec_t = boost::system::error_code;

// A handler that keeps nothing: the parser's own checks are the validation. Numbers a double
// cannot carry (1e999) are refused, as json::Parse refuses them.
struct NullHandler {
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;
  bool non_finite = false;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(std::size_t, ec_t&) { return true; }
  bool on_string_part(bj::string_view, std::size_t, ec_t&) { return true; }
  bool on_string(bj::string_view, std::size_t, ec_t&) { return true; }
  bool on_key_part(bj::string_view, std::size_t, ec_t&) { return true; }
  bool on_key(bj::string_view, std::size_t, ec_t&) { return true; }
  bool on_number_part(bj::string_view, ec_t&) { return true; }
  bool on_int64(int64_t, bj::string_view, ec_t&) { return true; }
  bool on_uint64(uint64_t, bj::string_view, ec_t&) { return true; }
  bool on_double(double d, bj::string_view, ec_t& ec) {
    if (std::isfinite(d)) return true;
    non_finite = true;
    ec = bj::error::exception;  // any error stops the parser; the flag says which
    return false;
  }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(bj::string_view, ec_t&) { return true; }
  bool on_comment(bj::string_view, ec_t&) { return true; }
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view t, size_t i) {
  while (i < t.size() && IsSpace(t[i])) ++i;
  return i;
}

// One past the closing quote of the string opening at t[i] == '"', or npos.
size_t SkipString(std::string_view t, size_t i) {
  for (++i; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++i;
    } else if (t[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// One past the value starting at t[i], and its kind; npos when it is not JSON-shaped.
size_t SkipValue(std::string_view t, size_t i, Kind* kind) {
  if (i >= t.size()) return std::string_view::npos;
  char c = t[i];
  if (c == '"') {
    *kind = Kind::kString;
    return SkipString(t, i);
  }
  if (c == '{' || c == '[') {
    *kind = c == '{' ? Kind::kObject : Kind::kArray;
    int depth = 0;
    for (; i < t.size(); ++i) {
      char d = t[i];
      if (d == '"') {
        i = SkipString(t, i);
        if (i == std::string_view::npos) return i;
        --i;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  *kind = c == 't' || c == 'f' ? Kind::kBool : c == 'n' ? Kind::kNull : Kind::kNumber;
  size_t end = i;
  while (end < t.size() && !IsSpace(t[end]) && t[end] != ',' && t[end] != '}' && t[end] != ']') {
    ++end;
  }
  return end == i ? std::string_view::npos : end;
}

}  // namespace

absl::Status Validate(std::string_view text) {
  bj::basic_parser<NullHandler> parser{bj::parse_options{}};
  ec_t ec;
  size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (parser.handler().non_finite) {
    return absl::InvalidArgumentError("request body has a number too large to represent");
  }
  if (!ec && n != text.size()) ec = bj::error::extra_data;
  if (ec) return absl::InvalidArgumentError("request body is not valid JSON: " + ec.message());
  return absl::OkStatus();
}

std::optional<std::vector<Member>> TopLevelMembers(std::string_view t) {
  size_t i = SkipSpace(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  std::vector<Member> out;
  i = SkipSpace(t, i + 1);
  if (i < t.size() && t[i] == '}') return out;
  while (i < t.size() && t[i] == '"') {
    size_t key_end = SkipString(t, i);
    if (key_end == std::string_view::npos) return std::nullopt;
    Member m;
    m.key = t.substr(i + 1, key_end - i - 2);
    i = SkipSpace(t, key_end);
    if (i >= t.size() || t[i] != ':') return std::nullopt;
    m.value_begin = SkipSpace(t, i + 1);
    m.value_end = SkipValue(t, m.value_begin, &m.kind);
    if (m.value_end == std::string_view::npos) return std::nullopt;
    out.push_back(m);
    i = SkipSpace(t, m.value_end);
    if (i < t.size() && t[i] == ',') {
      i = SkipSpace(t, i + 1);
      continue;
    }
    if (i < t.size() && t[i] == '}') return out;
    return std::nullopt;
  }
  return std::nullopt;
}

const Member* FindMember(const std::vector<Member>& members, std::string_view key) {
  const Member* found = nullptr;
  for (const auto& m : members) {
    if (m.key == key) found = &m;
  }
  return found;
}

std::string Quote(std::string_view s) { return bj::serialize(bj::string_view(s.data(), s.size())); }

std::string SetTopLevelString(std::string_view object, const std::vector<Member>& members,
                              std::string_view key, std::string_view value) {
  std::string quoted = Quote(value);
  std::string out;
  out.reserve(object.size() + quoted.size() + key.size() + 4);
  size_t copied = 0;
  for (const auto& m : members) {
    if (m.key != key) continue;
    out.append(object.substr(copied, m.value_begin - copied));
    out.append(quoted);
    copied = m.value_end;
  }
  if (copied == 0) {  // not there: add it first
    size_t brace = object.find('{');
    out.append(object.substr(0, brace + 1));
    out.append(Quote(key));
    out.push_back(':');
    out.append(quoted);
    if (!members.empty()) out.push_back(',');
    copied = brace + 1;
  }
  out.append(object.substr(copied));
  return out;
}

}  // namespace agentgate::protocol::json
