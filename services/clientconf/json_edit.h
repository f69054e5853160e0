// A JSON (or JSONC: // and /* */ comments, trailing commas) document edited in place: set,
// read or remove one member at a path of object keys. Only the bytes of that member change;
// comments, formatting, key order and every other member stay exactly as they were. A new member
// goes after the object's last one, indented like its siblings (or compact, in a one-line
// object). Boost.JSON checks the document; the spans come from a small scanner here.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace agentgate::clientconf {

class JsonDoc {
 public:
  using Path = std::vector<std::string>;

  // Empty text (or only whitespace and comments) is a document without a root object yet.
  // Fails with InvalidArgument for anything that is not JSON/JSONC or whose root is not an
  // object.
  static absl::StatusOr<JsonDoc> Parse(std::string text);

  const std::string& text() const { return text_; }
  // Whether the text has // or /* */ comments (outside strings).
  bool has_comments() const { return has_comments_; }

  // The member's value as written.
  std::optional<std::string> GetRaw(const Path& path) const;
  // The member's value, parsed (comments inside it are allowed).
  std::optional<boost::json::value> Get(const Path& path) const;
  std::optional<std::string> GetString(const Path& path) const;
  // The number of members when the value at `path` is an object ({} is the root).
  std::optional<size_t> ObjectSize(const Path& path) const;

  // Sets the member, creating the objects on the way. Fails when a value on the way is not an
  // object.
  absl::Status Set(const Path& path, const boost::json::value& v);
  // Sets the member to `raw`, JSON text as written (e.g. copied from another document); an
  // empty path replaces the root object.
  absl::Status SetRaw(const Path& path, const std::string& raw);
  // Removes the member; absent: nothing to do.
  absl::Status Remove(const Path& path);

  // `v` as JSON text: objects and arrays one member a line, indented by `unit` under `indent`.
  static std::string Format(const boost::json::value& v, const std::string& indent,
                            const std::string& unit, const std::string& nl);

  struct Node;
  struct Member;

 private:
  JsonDoc() = default;
  absl::Status Reparse();
  absl::Status Splice(size_t begin, size_t end, const std::string& with);
  std::string Newline() const;
  size_t LineStart(size_t pos) const;
  std::string LineIndent(size_t pos) const;
  // One of v (formatted to fit) or raw (as is) is the value.
  absl::Status SetImpl(const Path& path, const boost::json::value* v, const std::string* raw);
  absl::Status InsertMember(const Node& obj, const Path& rest, const boost::json::value* v,
                            const std::string* raw);
  std::string ValueText(const Path& rest, const boost::json::value* v, const std::string* raw,
                        const std::string& indent, bool multiline) const;
  bool IsMultiline(const Node& obj) const;

  std::string text_;
  bool has_comments_ = false;
  std::string unit_ = "  ";
  std::shared_ptr<Node> root_;  // null: no root object yet
};

}  // namespace agentgate::clientconf
