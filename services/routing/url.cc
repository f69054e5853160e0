#include "services/routing/url.h"

#include <charconv>

#include "services/common/strings.h"

namespace agentgate::routing {

std::string Url::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  if (!default_port) h += ":" + std::to_string(port);
  return h;
}

std::string Url::Origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port);
}

absl::StatusOr<Url> ParseUrl(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError("invalid URL '" + std::string(text) +
                                      "': " + std::string(why));
  };
  std::string_view s = StripSpace(text);
  Url url;
  if (StartsWithIgnoreCase(s, "https://")) {
    url.scheme = "https";
    url.port = 443;
    s.remove_prefix(8);
  } else if (StartsWithIgnoreCase(s, "http://")) {
    url.scheme = "http";
    url.port = 80;
    s.remove_prefix(7);
  } else {
    return bad("it must start with http:// or https://");
  }
  if (s.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment allowed");
  size_t slash = s.find('/');
  std::string_view authority = s.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : s.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad("no user-info allowed");
  if (authority.empty()) return bad("no host");
  std::string_view port_text;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed '['");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("junk after ']'");
      port_text = rest.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      authority = authority.substr(0, colon);
    }
    if (authority.find(':') != std::string_view::npos) {
      return bad("IPv6 addresses need brackets: http://[::1]:8080");
    }
    url.host = AsciiToLower(authority);
  }
  if (url.host.empty()) return bad("no host");
  for (char c : url.host) {
    if (!(IsAsciiAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':')) {
      return bad("bad character in host");
    }
  }
  if (!port_text.empty()) {
    int port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return bad("bad port");
    }
    url.port = port;
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (char c : path) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\') {
      return bad("bad character in path");
    }
  }
  url.path = std::string(path);
  return url;
}

std::string OpenAiPath(const Url& base, std::string_view suffix) {
  std::string p = base.path.empty() ? "/v1" : base.path;
  p.append(suffix);
  return p;
}

std::string PathSegment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace agentgate::routing
