// A small blocking HTTP/1.1 client for talking to the gateway from agentgatectl and the desktop
// app: one request, one connection, a deadline for the whole exchange. Plain http:// only (the
// gateway listens on loopback).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace agentgate::clientconf {

struct HttpResult {
  int status = 0;  // 0: no answer (see error)
  std::string body;
  std::string error;  // why there was no answer
  int64_t elapsed_ms = 0;
};

// `base_url` is "http://host:port" with an optional path prefix, which goes before `target`.
HttpResult HttpCall(const std::string& base_url, const std::string& method,
                    const std::string& target, const std::string& body = "",
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace agentgate::clientconf
