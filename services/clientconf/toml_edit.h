// A TOML document edited in place, one statement at a time: set, read or remove one key of one
// table, add a table, drop an empty one. Everything else — comments, blank lines, key order,
// other tables, line endings, a missing final newline — stays byte for byte as it was. No TOML
// library is used: the document is split into statements (blank, comment, [table], [[array
// table]], key = value, where a value may span lines: multi-line strings and arrays), and an
// edit replaces the bytes of one value or inserts or removes whole lines.
//
// Paths: a table is its header's key path ({} is the root table); keys are one segment. A key
// defined some other way — by dotted keys from a parent table, or inside an inline table — is
// reported as a conflict rather than edited.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace agentgate::clientconf {

class TomlDoc {
 public:
  using Path = std::vector<std::string>;

  // Fails with InvalidArgument ("line N: ...") when the text cannot be split into statements
  // (an unterminated string or array, a key without '=', a malformed header).
  static absl::StatusOr<TomlDoc> Parse(std::string text);

  const std::string& text() const { return text_; }

  // The value's bytes as written (`"x"`, `{ a = 1 }`, a multi-line array), without a trailing
  // comment.
  std::optional<std::string> GetRaw(const Path& table, const std::string& key) const;
  // The value when it is a string (basic, literal or multi-line), decoded.
  std::optional<std::string> GetString(const Path& table, const std::string& key) const;

  // Replaces the value's bytes, or adds `key = raw` at the end of the table (creating the table
  // at the end of the document when it has no header yet; root keys go after the last root key,
  // before the first table).
  absl::Status SetRaw(const Path& table, const std::string& key, const std::string& raw);
  absl::Status SetString(const Path& table, const std::string& key, const std::string& value);
  // Removes the key's statement (its whole lines). Absent: nothing to do.
  absl::Status Remove(const Path& table, const std::string& key);

  bool HasTable(const Path& table) const;
  // The [table] headers, in document order.
  std::vector<Path> Tables() const;
  // The keys set by one-segment `key = value` lines under the table's header (or at the root).
  std::vector<std::string> Keys(const Path& table) const;
  // A value's bytes (as GetRaw gives them) read as JSON: strings, booleans, integers, floats,
  // arrays and inline tables. nullopt for anything else (dates, a malformed value).
  static std::optional<boost::json::value> ParseValue(const std::string& raw);
  // True when the table has a header and nothing but blank lines under it.
  bool TableIsEmpty(const Path& table) const;
  // Removes an empty table's header (and the blank lines under and before it).
  absl::Status RemoveEmptyTable(const Path& table);

  // `"..."` with TOML basic-string escapes.
  static std::string Quote(const std::string& s);
  // A key segment: bare when it can be, else quoted.
  static std::string FormatKey(const std::string& key);

 private:
  struct Statement {
    enum Kind { kBlank, kComment, kTable, kArrayTable, kKeyValue };
    Kind kind = kBlank;
    size_t begin = 0;  // first byte of its first line
    size_t end = 0;    // past its last line's newline (or the end of the text)
    Path key;          // header path, or the key's (dotted) path
    Path table;        // for a key/value: the header it is under
    size_t value_begin = 0;
    size_t value_end = 0;
  };

  TomlDoc() = default;
  absl::Status Reparse();
  const Statement* FindKey(const Path& table, const std::string& key) const;
  // A header that is exactly `table`, or nullptr.
  const Statement* FindHeader(const Path& table) const;
  absl::Status CheckConflict(const Path& table, const std::string& key) const;
  std::string Newline() const;
  absl::Status Splice(size_t begin, size_t end, const std::string& with);

  std::string text_;
  std::vector<Statement> statements_;
};

}  // namespace agentgate::clientconf
