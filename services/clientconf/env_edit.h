// A dotenv file (KEY=VALUE lines, `export KEY=VALUE`, # comments, quoted values that may span
// lines) edited in place: one key's line is replaced, added at the end or removed; every other
// byte stays as it was.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace agentgate::clientconf {

class EnvDoc {
 public:
  explicit EnvDoc(std::string text);

  const std::string& text() const { return text_; }

  // The value as written after '=' (quotes and all), of the key's last line.
  std::optional<std::string> GetRaw(const std::string& key) const;
  // The value without its quotes (and \n escapes in double quotes decoded).
  std::optional<std::string> Get(const std::string& key) const;

  // Replaces the value on the key's last line (the one dotenv uses), or adds KEY=VALUE at the
  // end.
  void SetRaw(const std::string& key, const std::string& raw);
  void Set(const std::string& key, const std::string& value);
  // Removes every line of the key.
  void Remove(const std::string& key);

  // The value as dotenv text: bare when it is plain, else double-quoted.
  static std::string Quote(const std::string& value);

 private:
  struct Line {
    size_t begin = 0, end = 0;  // with its newline
    std::string key;            // empty: blank or comment
    size_t value_begin = 0, value_end = 0;
  };
  void Reparse();
  std::string Newline() const;

  std::string text_;
  std::vector<Line> lines_;
};

}  // namespace agentgate::clientconf
