// Small ASCII string helpers on std::string_view. (Debian's abseil is built with its own
// absl::string_view, which does not mix with std::string_view; these keep call sites simple.)
#pragma once

#include <string>
#include <string_view>

namespace agentgate {

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline std::string_view StripSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string AsciiToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

inline bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// At most `max` bytes of `s`, cut at a UTF-8 character boundary (proto strings must stay valid).
inline std::string ShortText(std::string_view s, size_t max = 300) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  // Back off continuation bytes (10xxxxxx) so the cut falls before a whole character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// `s` cut to at most about `max` bytes like ShortText, with a marker saying how much was cut
// ("…[+65300 bytes]"), for text that is stored: a path or a model a client chose.
inline std::string BoundedText(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  std::string out = ShortText(s, max);
  out += "\xE2\x80\xA6[+" + std::to_string(s.size() - out.size()) + " bytes]";
  return out;
}

// std::string from an absl::Status message (absl::string_view).
template <typename StatusLike>
std::string Message(const StatusLike& st) {
  return std::string(st.message().data(), st.message().size());
}

}  // namespace agentgate
