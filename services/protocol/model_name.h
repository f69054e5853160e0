// The rule a model name must meet before it is routed, priced, recorded or placed in a provider's
// URL. Pure.
//
// A model name travels into places a request body should never reach: the request line of a
// Gemini call (`/v1beta/models/{model}:generateContent`), log lines, records and metrics
// labels. So it is refused when it could split a line or hide in one (control characters) or
// is longer than any real model name, and it is always percent-encoded into a URL path segment
// (routing::PathSegment).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace agentgate::protocol {

inline constexpr size_t kMaxModelName = 256;

// OK for "" (no model: the provider's default answers) and for names of at most kMaxModelName
// bytes without control characters (U+0000–U+001F, U+007F); InvalidArgument naming the rule
// otherwise.
absl::Status CheckModelName(std::string_view model);

// `segment` (a model taken from a request path) with its %XX escapes decoded into *out; false
// when an escape is malformed.
bool PercentDecode(std::string_view segment, std::string* out);

}  // namespace agentgate::protocol
