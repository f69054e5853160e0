// Reading request bodies in the fake: a member, or nothing, whatever the body's shape.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace agentgate::fakes {

inline const boost::json::value* Get(const boost::json::value& v, std::string_view key) {
  return v.is_object() ? v.get_object().if_contains(key) : nullptr;
}

inline std::string GetString(const boost::json::value& v, std::string_view key) {
  const boost::json::value* f = Get(v, key);
  return f != nullptr && f->is_string() ? std::string(f->get_string()) : std::string();
}

// The member when it is an array, else an empty one.
inline const boost::json::array& GetArray(const boost::json::value& v, std::string_view key) {
  static const boost::json::array kEmpty;
  const boost::json::value* f = Get(v, key);
  return f != nullptr && f->is_array() ? f->get_array() : kEmpty;
}

}  // namespace agentgate::fakes
