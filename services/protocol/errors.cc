#include "services/protocol/errors.h"

#include <boost/json.hpp>

namespace agentgate::protocol {

std::string OpenAiErrorBody(std::string_view message, std::string_view type,
                            std::string_view code) {
  boost::json::object err;
  err["message"] = message;
  err["type"] = type;
  err["param"] = nullptr;
  if (code.empty()) {
    err["code"] = nullptr;
  } else {
    err["code"] = code;
  }
  boost::json::object root;
  root["error"] = std::move(err);
  return boost::json::serialize(root);
}

std::string_view OpenAiErrorTypeForStatus(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 405:
      return "invalid_request_error";
    case 408:
      return "timeout_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 502:
    case 504:
      return "upstream_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace agentgate::protocol
