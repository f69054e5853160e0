// Small readers over Boost.JSON values that tolerate missing and mistyped fields.
#pragma once

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "services/protocol/json_scan.h"

namespace agentgate::protocol::json {

inline const boost::json::value* Field(const boost::json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}

inline std::string String(const boost::json::value& v, std::string_view key,
                          std::string_view def = "") {
  const auto* f = Field(v, key);
  if (f == nullptr || !f->is_string()) return std::string(def);
  return std::string(f->get_string());
}

// An integer field; a double is accepted when it is finite and fits (no undefined casts on
// hostile input); anything else is nullopt.
inline std::optional<int64_t> AsInt(const boost::json::value* f) {
  if (f == nullptr) return std::nullopt;
  if (f->is_int64()) return f->get_int64();
  if (f->is_uint64()) {
    return f->get_uint64() > static_cast<uint64_t>(INT64_MAX)
               ? INT64_MAX
               : static_cast<int64_t>(f->get_uint64());
  }
  if (f->is_double()) {
    double d = f->get_double();
    if (!std::isfinite(d) || d > 9.0e18 || d < -9.0e18) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

inline std::optional<int64_t> Int(const boost::json::value& v, std::string_view key) {
  return AsInt(Field(v, key));
}

// A token count: the integer clamped to [0, 10^12], so sums and differences of counts cannot
// overflow; 0 when absent.
inline int64_t AsCount(const boost::json::value* f) {
  int64_t n = AsInt(f).value_or(0);
  return n < 0 ? 0 : n > 1000000000000 ? 1000000000000 : n;
}
inline int64_t Count(const boost::json::value& v, std::string_view key) {
  return AsCount(Field(v, key));
}

// A number field; non-finite values (1e999 parses as infinity) are nullopt, since they cannot
// be written back as JSON.
inline std::optional<double> Double(const boost::json::value& v, std::string_view key) {
  const auto* f = Field(v, key);
  if (f == nullptr) return std::nullopt;
  if (f->is_double()) {
    return std::isfinite(f->get_double()) ? std::optional<double>(f->get_double()) : std::nullopt;
  }
  if (f->is_int64()) return static_cast<double>(f->get_int64());
  if (f->is_uint64()) return static_cast<double>(f->get_uint64());
  return std::nullopt;
}

inline const boost::json::array* Array(const boost::json::value& v, std::string_view key) {
  const auto* f = Field(v, key);
  return f != nullptr && f->is_array() ? &f->get_array() : nullptr;
}

// True when `v` holds a number too large for a double (1e400 parses as infinity), which could
// not be written back as JSON.
inline bool HasNonFinite(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return !std::isfinite(v.get_double());
    case boost::json::kind::array:
      for (const auto& e : v.get_array()) {
        if (HasNonFinite(e)) return true;
      }
      return false;
    case boost::json::kind::object:
      for (const auto& [k, e] : v.get_object()) {
        if (HasNonFinite(e)) return true;
      }
      return false;
    default:
      return false;
  }
}

// Builds the DOM of a text that already passed Validate (or ValidateObject); nullopt if it
// did not after all. With a `storage` (a monotonic_resource for a request body parsed only to
// be read), the DOM is allocated there: the values must not outlive it; copying or assigning one
// into a value of another storage copies it into that storage.
inline std::optional<boost::json::value> ParseValidated(std::string_view text,
                                                        boost::json::storage_ptr storage = {}) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, std::move(storage));
  if (ec || HasNonFinite(v)) return std::nullopt;
  return v;
}

// Parses `text` by Validate's rules (duplicate member names refused at every level): the DOM,
// or InvalidArgument with the reason for the client.
inline absl::StatusOr<boost::json::value> ParseStrict(std::string_view text,
                                                      boost::json::storage_ptr storage = {}) {
  if (absl::Status st = Validate(text); !st.ok()) return st;
  auto v = ParseValidated(text, std::move(storage));
  if (!v) return absl::InvalidArgumentError("request body is not valid JSON");
  return *std::move(v);
}

// Parses `text` by Validate's rules; nullopt when it is not JSON, holds a number no double can
// carry or an object with a repeated member name. For what a provider sends.
inline std::optional<boost::json::value> Parse(std::string_view text,
                                               boost::json::storage_ptr storage = {}) {
  if (!Validate(text).ok()) return std::nullopt;
  return ParseValidated(text, std::move(storage));
}

// An edit of a pass-through request's assistant turns (what a provider wants back and the client
// dropped): `edit` sees each assistant message of "messages" and says whether it changed it. The
// body with "model" set to `model` when any did; nullopt when none did, when thinking is turned
// off in the body ("thinking": {"type": "disabled"}), or when it is no object with messages.
inline std::optional<std::string> EditAssistantTurns(
    std::string_view body, std::string_view model,
    const std::function<bool(boost::json::object& message)>& edit) {
  auto v = Parse(body);
  if (!v || !v->is_object()) return std::nullopt;
  boost::json::object& root = v->as_object();
  if (const auto* t = root.if_contains("thinking"); t && String(*t, "type") == "disabled") {
    return std::nullopt;
  }
  boost::json::value* messages = root.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return std::nullopt;
  bool changed = false;
  for (auto& m : messages->as_array()) {
    if (m.is_object() && String(m, "role") == "assistant") changed |= edit(m.as_object());
  }
  if (!changed) return std::nullopt;
  root["model"] = model;
  return boost::json::serialize(*v);
}

// `body` with its top-level "model" set to `model` (for pass-through), spliced without building
// the body; the body unchanged when it is not a valid JSON object.
inline std::string ReplaceModel(std::string_view body, std::string_view model) {
  auto members = TopLevelMembers(body);
  if (!members) return std::string(body);
  return SetTopLevelString(body, *members, "model", model);
}

}  // namespace agentgate::protocol::json
