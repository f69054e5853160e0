// Parsing of provider base URLs and building of upstream request paths. Pure.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace agentgate::routing {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  int port = 0;        // explicit or the scheme's default
  std::string path;    // without a trailing '/'; "" for the root
  bool tls() const { return scheme == "https"; }
  // "host:port" as a pool key and the Host header ("host" alone for default ports).
  std::string HostHeader() const;
  std::string Origin() const;  // "https://host:port"
};

// Accepts http:// and https:// URLs with an optional port and path; rejects user-info,
// query strings and fragments, which have no place in a base URL.
absl::StatusOr<Url> ParseUrl(std::string_view text);

// The upstream path for an OpenAI-style endpoint (`suffix` like "/chat/completions"):
// a base without a path gets "/v1" first, a base with a path ("/v1", "/api/paas/v4",
// "/v1beta/openai") is used as it is. So "http://h" and "http://h/v1" both give
// "/v1/chat/completions".
std::string OpenAiPath(const Url& base, std::string_view suffix);

// `text` as one URL path segment: every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~)
// percent-encoded, so a model name can add neither a segment ('/'), a query ('?'), a fragment
// ('#'), a method suffix (':') nor a line break to the path it is placed in.
std::string PathSegment(std::string_view text);

}  // namespace agentgate::routing
