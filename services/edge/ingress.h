// The ingress stage: what the edge checks on a request's header, before it reads the body.
// Pure: the edge's Admit applies these to each request and answers a refusal in the client's
// protocol, with the connection closed and the body never read.
//
//   - Host: an edge listening on loopback serves only loopback names (localhost, *.localhost,
//     127.0.0.0/8, ::1) and the names given with --allowed-host, so a web page cannot reach it
//     through DNS rebinding (a browser sends the attacker's name as Host): 421 otherwise.
//     --allowed-host also restricts an edge listening on other addresses.
//   - Origin: a request a browser sends from a web page carries Origin; unless that origin is
//     listed with --allowed-origin it gets 403, and no CORS header is ever sent. Coding agents
//     do not send Origin.
//   - Body: a Content-Encoding other than identity is refused (415): the gateway reads bodies as
//     JSON and would otherwise parse compressed bytes.
//   - Credentials: the client key as Authorization: Bearer, x-api-key, x-goog-api-key or ?key=.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/net/asio.h"

namespace agentgate::edge {

struct IngressPolicy {
  bool loopback_listener = true;             // the edge listens on a loopback address
  std::vector<std::string> allowed_hosts;    // host names (any case, no port)
  std::vector<std::string> allowed_origins;  // "scheme://host[:port]"
  bool metrics_public = false;               // GET /metrics without the token
};

// What a check decided: status 0 admits; otherwise the status and a message for the client.
struct IngressCheck {
  int status = 0;
  std::string message;
  std::string code;
  explicit operator bool() const { return status != 0; }
};

// The host of a Host header value, lower-cased, without port and IPv6 brackets, and without
// one trailing dot. "" when the value is malformed.
std::string HostName(std::string_view host_header);
// localhost, *.localhost, 127.0.0.0/8, ::1.
bool IsLoopbackName(std::string_view host);

IngressCheck CheckHost(const IngressPolicy& policy, const net::http::fields& headers,
                       unsigned version);
IngressCheck CheckOrigin(const IngressPolicy& policy, const net::http::fields& headers);
// A request body the gateway cannot read as it is: Content-Encoding other than identity (415).
IngressCheck CheckBodyEncoding(const net::http::fields& headers);

// The client key as the client presented it: Authorization: Bearer, x-api-key, x-goog-api-key
// or the query's key=.
std::string_view ClientCredential(const net::http::fields& headers, std::string_view query);

}  // namespace agentgate::edge
