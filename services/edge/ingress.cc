#include "services/edge/ingress.h"

#include <algorithm>
#include <cctype>

#include "services/common/strings.h"
#include "services/net/target.h"

namespace agentgate::edge {
namespace {

namespace http = net::http;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Listed(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& v) { return Lower(v) == value; });
}

}  // namespace

std::string HostName(std::string_view v) {
  v = StripSpace(v);
  std::string_view host;
  if (!v.empty() && v.front() == '[') {
    size_t close = v.find(']');
    if (close == std::string_view::npos) return {};
    host = v.substr(1, close - 1);
    std::string_view rest = v.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return {};
  } else {
    size_t colon = v.find(':');
    host = v.substr(0, colon);
    if (colon != std::string_view::npos) {
      for (char c : v.substr(colon + 1)) {
        if (c < '0' || c > '9') return {};
      }
    }
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '/' || c == '@' || c == '\\') return {};
  }
  return Lower(host);
}

bool IsLoopbackName(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  constexpr std::string_view kLocalhost = ".localhost";
  if (host.size() > kLocalhost.size() &&
      host.substr(host.size() - kLocalhost.size()) == kLocalhost) {
    return true;
  }
  // 127.0.0.0/8 as a dotted quad of digits only.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

IngressCheck CheckHost(const IngressPolicy& policy, const http::fields& headers, unsigned version) {
  auto it = headers.find(http::field::host);
  if (it == headers.end()) {
    if (version >= 11) return {400, "an HTTP/1.1 request needs a Host header", "bad_request"};
    return {};  // HTTP/1.0 without Host: no browser sends that
  }
  std::string host = HostName(it->value());
  if (host.empty()) return {400, "malformed Host header", "bad_request"};
  if (Listed(policy.allowed_hosts, host)) return {};
  if (!policy.allowed_hosts.empty() || policy.loopback_listener) {
    if (policy.allowed_hosts.empty() && IsLoopbackName(host)) return {};
    return {421,
            "this gateway does not serve the host '" + ShortText(host, 100) +
                "': it answers only to " +
                (policy.loopback_listener ? "localhost and loopback addresses" : "its own names") +
                " (add a name with the edge's --allowed-host)",
            "misdirected_request"};
  }
  return {};
}

IngressCheck CheckOrigin(const IngressPolicy& policy, const http::fields& headers) {
  auto it = headers.find(http::field::origin);
  if (it == headers.end()) return {};
  std::string origin = Lower(StripSpace(it->value()));
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  if (Listed(policy.allowed_origins, origin)) return {};
  return {403,
          "requests from web pages (Origin '" + ShortText(origin, 100) +
              "') are refused: the gateway serves coding agents, not browsers (allow an origin "
              "with the edge's --allowed-origin)",
          "forbidden_origin"};
}

IngressCheck CheckBodyEncoding(const http::fields& headers) {
  auto it = headers.find(http::field::content_encoding);
  if (it == headers.end()) return {};
  std::string coding = Lower(StripSpace(it->value()));
  if (coding.empty() || coding == "identity") return {};
  return {415,
          "request bodies with Content-Encoding '" + ShortText(coding, 40) +
              "' are not accepted: send the JSON body uncompressed",
          "unsupported_media_type"};
}

std::string_view ClientCredential(const http::fields& headers, std::string_view query) {
  std::string_view auth = headers[http::field::authorization];
  if (auth.size() > 7 && StartsWithIgnoreCase(auth, "Bearer ")) {
    return StripSpace(auth.substr(7));
  }
  if (auto v = headers["x-api-key"]; !v.empty()) return v;
  if (auto v = headers["x-goog-api-key"]; !v.empty()) return v;
  return net::QueryParam(query, "key");
}

}  // namespace agentgate::edge
