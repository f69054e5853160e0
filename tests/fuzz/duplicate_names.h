// A reference for the duplicate-name rule, independent of json_scan: Boost.JSON's own
// basic_parser, which hands each member name over decoded, with one set of names per open
// object. Used by fuzz_json_scan's differential check and by the unit tests.
#pragma once

#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace agentgate::testing {

namespace detail {
struct DuplicateNamesHandler {
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);
  std::vector<std::set<std::string>> open;
  std::string key;
  bool duplicate = false;
  using ec_t = boost::system::error_code;
  using sv = boost::json::string_view;
  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    open.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    open.pop_back();
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    if (!open.back().insert(key).second) duplicate = true;
    key.clear();
    return true;
  }
  bool on_string_part(sv, std::size_t, ec_t&) { return true; }
  bool on_string(sv, std::size_t, ec_t&) { return true; }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec_t&) { return true; }
  bool on_double(double, sv, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};
}  // namespace detail

// 1: `text` is valid JSON (by Boost.JSON) with some object holding two members of one name;
// 0: valid without such an object; -1: not valid JSON.
inline int HasDuplicateNames(std::string_view text) {
  boost::json::basic_parser<detail::DuplicateNamesHandler> parser(boost::json::parse_options{});
  boost::system::error_code ec;
  std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || n != text.size() || !parser.done()) return -1;
  return parser.handler().duplicate ? 1 : 0;
}

}  // namespace agentgate::testing
