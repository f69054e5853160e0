// Error bodies in each client protocol's own shape. Pure.
#pragma once

#include <string>
#include <string_view>

namespace agentgate::protocol {

// {"error":{"message":…,"type":…,"param":null,"code":…}} — OpenAI Chat and Responses.
// `code` may be empty (then null).
std::string OpenAiErrorBody(std::string_view message, std::string_view type,
                            std::string_view code = {});

// The OpenAI error type for an HTTP status: 400 invalid_request_error, 401
// authentication_error, 403 permission_error, 404 not_found_error, 408 timeout_error,
// 413 request_too_large, 429 rate_limit_error, 5xx api_error / upstream_error.
std::string_view OpenAiErrorTypeForStatus(int status);

}  // namespace agentgate::protocol
