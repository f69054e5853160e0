// Small readers over Boost.JSON values that tolerate missing and mistyped fields.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

inline std::optional<int64_t> Int(const boost::json::value& v, std::string_view key) {
  const auto* f = Field(v, key);
  if (f == nullptr) return std::nullopt;
  if (f->is_int64()) return f->get_int64();
  if (f->is_uint64()) return static_cast<int64_t>(f->get_uint64());
  if (f->is_double()) return static_cast<int64_t>(f->get_double());
  return std::nullopt;
}

inline std::optional<double> Double(const boost::json::value& v, std::string_view key) {
  const auto* f = Field(v, key);
  if (f == nullptr) return std::nullopt;
  if (f->is_double()) return f->get_double();
  if (f->is_int64()) return static_cast<double>(f->get_int64());
  if (f->is_uint64()) return static_cast<double>(f->get_uint64());
  return std::nullopt;
}

inline const boost::json::array* Array(const boost::json::value& v, std::string_view key) {
  const auto* f = Field(v, key);
  return f != nullptr && f->is_array() ? &f->get_array() : nullptr;
}

// Parses `text`; nullopt when it is not JSON.
inline std::optional<boost::json::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

// `body` with its top-level "model" set to `model` (for pass-through); the body unchanged when
// it is not a JSON object.
inline std::string ReplaceModel(std::string_view body, std::string_view model) {
  auto v = Parse(body);
  if (!v || !v->is_object()) return std::string(body);
  v->get_object()["model"] = model;
  return boost::json::serialize(*v);
}

}  // namespace agentgate::protocol::json
