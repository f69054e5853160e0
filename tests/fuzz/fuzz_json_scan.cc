// The pass-through path's JSON scanner against Boost.JSON: json::Validate accepts exactly what
// Boost.JSON accepts, minus numbers no double carries and minus objects with a repeated member
// name (decided by a reference of its own, tests/fuzz/duplicate_names.h, which sees names
// decoded); on an object, the members the scan reports are the object's, each value text parses
// to the member's value, and the model splice gives the object with only "model" changed.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/protocol/json_scan.h"
#include "services/protocol/json_util.h"
#include "tests/fuzz/duplicate_names.h"
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
  auto dom = json::ParseValidated(in);  // Boost.JSON alone
  absl::Status st = json::Validate(in);
  const int duplicate = agentgate::testing::HasDuplicateNames(in);
  if (st.ok()) {
    FUZZ_CHECK(dom.has_value(), in);
    FUZZ_CHECK(duplicate == 0, in);
  }
  if (dom && !st.ok()) {
    // Stricter in two ways only: a repeated name, or a number no double carries (even where a
    // repeated name hides it from the parsed object).
    bool named = st.message().find("duplicate member name") != std::string_view::npos;
    FUZZ_CHECK(named ? duplicate == 1 : st.message().find("too large") != std::string_view::npos,
               in);
  }
  if (dom && duplicate == 1) FUZZ_CHECK(!st.ok(), in);
  FUZZ_CHECK(json::Parse(in).has_value() == st.ok(), in);
  if (!st.ok()) return 0;
  if (!dom || !dom->is_object()) {
    FUZZ_CHECK(!json::TopLevelMembers(in).has_value(), in);
    return 0;
  }
  auto members = json::TopLevelMembers(in);
  FUZZ_CHECK(members.has_value(), in);
  const bj::object& obj = dom->get_object();
  FUZZ_CHECK(members->size() == obj.size(), in);
  for (const auto& m : *members) {
    auto v = json::Parse(m.value(in));
    FUZZ_CHECK(v.has_value(), m.value(in));
    if (m.key.find('\\') != std::string_view::npos) continue;  // raw key: escapes not decoded
    const bj::value* want = obj.if_contains(m.key);
    FUZZ_CHECK(want != nullptr, m.key);
    FUZZ_CHECK(json::FindMember(*members, m.key) == &m, m.key);
    FUZZ_CHECK(Same(*v, *want), m.value(in));
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
