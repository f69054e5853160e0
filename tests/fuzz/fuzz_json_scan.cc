// The pass-through path's JSON scanner against Boost.JSON, the parser everything else uses:
// json::Validate accepts what json::Parse accepts (and refuses a too-large number even under a
// repeated key); on an object, the members the scan
// reports are the object's, each value text parses to the member's value, and the model
// splice gives the object with only "model" changed.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/json_scan.h"
#include "services/protocol/json_util.h"
#include "tests/fuzz/fuzz_util.h"

namespace bj = boost::json;
using namespace agentgate::protocol;

namespace {

// Equal, but doubles within a few units in the last place: Boost.JSON's default (not "precise")
// number parsing can round a long mantissa differently when the number ends the text than when
// a '}' follows it ({"model":81.5888…8} parsed whole vs its value text alone).
bool Same(const bj::value& a, const bj::value& b) {
  if (a.is_double() && b.is_double()) {
    double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array() && b.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (!Same(p[i], q[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& [k, v] : p) {
      const bj::value* w = q.if_contains(k);
      if (w == nullptr || !Same(v, *w)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto dom = json::Parse(in);
  absl::Status st = json::Validate(in);
  if (st.ok()) FUZZ_CHECK(dom.has_value(), in);
  // Stricter in one way only: a number no double carries is refused even where a repeated key
  // hides it from the parsed object.
  if (dom && !st.ok()) FUZZ_CHECK(st.message().find("too large") != std::string_view::npos, in);
  if (!st.ok()) return 0;
  if (!dom || !dom->is_object()) {
    FUZZ_CHECK(!json::TopLevelMembers(in).has_value(), in);
    return 0;
  }
  auto members = json::TopLevelMembers(in);
  FUZZ_CHECK(members.has_value(), in);
  const bj::object& obj = dom->get_object();
  FUZZ_CHECK(members->size() >= obj.size(), in);
  for (const auto& m : *members) {
    auto v = json::Parse(m.value(in));
    FUZZ_CHECK(v.has_value(), m.value(in));
    if (m.key.find('\\') != std::string_view::npos) continue;  // raw key: escapes not decoded
    const bj::value* want = obj.if_contains(m.key);
    FUZZ_CHECK(want != nullptr, m.key);
    if (json::FindMember(*members, m.key) == &m) FUZZ_CHECK(Same(*v, *want), m.value(in));
  }
  bool escaped_model_key = false;
  for (const auto& m : *members) escaped_model_key |= m.key.find('\\') != std::string_view::npos;
  if (!escaped_model_key) {
    std::string out = json::SetTopLevelString(in, *members, "model", "up\"stream");
    auto got = json::Parse(out);
    FUZZ_CHECK(got.has_value(), out);
    bj::value want = *dom;
    want.as_object()["model"] = "up\"stream";
    FUZZ_CHECK(Same(*got, want), out);
  }
  return 0;
}
