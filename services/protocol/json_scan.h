// JSON read without building it, for the pass-through path, where a 45 KB agent request only
// needs checking and its top-level "model" replaced: a validating pass that allocates nothing,
// a scan for the top-level members' positions, and a splice. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace agentgate::protocol::json {

// What a top-level member holds, as far as pass-through cares.
enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

// Checks that `text` is one well-formed JSON value, by the rules json::Parse applies (strict
// JSON, valid UTF-8, no number a double cannot carry, and no object with two members of the same
// name, compared after unescaping: "model" and "mod\u0065l" are one name), without building
// it. InvalidArgument with a message for the client otherwise.
//
// Duplicate names are refused because readers disagree about them: Boost.JSON keeps the last,
// a scan that stops at the first match sees the first, and a provider may see either. A body
// that means one thing to the gateway's routing and another to the provider is an attack.
absl::Status Validate(std::string_view text);

struct Member {
  std::string_view key;  // raw, between the quotes (escapes are not decoded)
  size_t value_begin = 0;
  size_t value_end = 0;  // one past the value
  Kind kind = Kind::kNull;
  std::string_view value(std::string_view text) const {
    return text.substr(value_begin, value_end - value_begin);
  }
};

// Validate, for a body that must be an object, and its top-level members, in order, in the
// same pass.
absl::StatusOr<std::vector<Member>> ValidateObject(std::string_view text);

// The top-level members of `text`, in order; nullopt when it is not a valid JSON object.
std::optional<std::vector<Member>> TopLevelMembers(std::string_view text);

// The elements of `array` (a valid JSON array text), the first `limit` of them (only those are
// scanned); key is empty, value ranges are into `array`. Empty when it is not an array.
std::vector<Member> ArrayElements(std::string_view array, size_t limit = SIZE_MAX);

// The member named `key` (raw comparison), or nullptr. The members of a validated object have
// unique names (an escaped spelling of `key` is not found, and is not a second `key` either).
const Member* FindMember(const std::vector<Member>& members, std::string_view key);

// The value of the top-level string member `key` (escapes decoded); nullopt when absent, and
// InvalidArgument("'key' must be a string") when it is something else.
absl::StatusOr<std::optional<std::string>> StringMember(std::string_view text,
                                                        const std::vector<Member>& members,
                                                        std::string_view key);

// The top-level boolean member `key`: `absent` when missing or null, InvalidArgument("'key' must
// be a boolean") when it is something else.
absl::StatusOr<bool> BoolMember(std::string_view text, const std::vector<Member>& members,
                                std::string_view key, bool absent = false);

// A text made of another text's bytes around a few bytes of its own: what a splice makes, kept
// in pieces so that the unchanged bytes (a 45 KB agent request around a new model name) are
// sent from where they are instead of copied. `head` and `tail` view the original text.
struct Spliced {
  std::string_view head;
  std::string middle;
  std::string_view tail;
  // `text` unchanged, sent from where it is.
  static Spliced Of(std::string_view text) {
    Spliced s;
    s.head = text;
    return s;
  }
  size_t size() const { return head.size() + middle.size() + tail.size(); }
  std::string Join() const;
};

// `object` (a valid JSON object text) with its top-level string member `key` set to `value`:
// the value spliced in place, or the member added first. The rest of the text is unchanged,
// byte for byte.
Spliced SpliceTopLevelString(std::string_view object, const std::vector<Member>& members,
                             std::string_view key, std::string_view value);
// The same, joined.
std::string SetTopLevelString(std::string_view object, const std::vector<Member>& members,
                              std::string_view key, std::string_view value);

// A JSON string literal (with quotes) for `s`.
std::string Quote(std::string_view s);

}  // namespace agentgate::protocol::json
