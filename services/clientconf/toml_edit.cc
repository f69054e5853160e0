#include "services/clientconf/toml_edit.h"

#include <boost/json.hpp>
#include <cstdio>

namespace agentgate::clientconf {
namespace {

bool IsBareKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// A cursor over the text that knows its line number, for error messages.
class Scanner {
 public:
  explicit Scanner(const std::string& t) : t_(t) {}

  size_t pos = 0;

  bool AtEnd() const { return pos >= t_.size(); }
  char Peek(size_t ahead = 0) const { return pos + ahead < t_.size() ? t_[pos + ahead] : '\0'; }
  bool AtNewline() const { return Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'); }
  void SkipBlanks() {
    while (IsBlank(Peek())) ++pos;
  }
  // To the '\n' that ends the line (or the end).
  void SkipToEol() {
    while (!AtEnd() && Peek() != '\n') ++pos;
  }
  // Past the '\n' (or at the end).
  void ConsumeNewline() {
    if (Peek() == '\r' && Peek(1) == '\n')
      pos += 2;
    else if (Peek() == '\n')
      ++pos;
  }
  int Line() const {
    int line = 1;
    for (size_t i = 0; i < pos && i < t_.size(); ++i) line += t_[i] == '\n';
    return line;
  }
  absl::Status Error(const std::string& what) const {
    return absl::InvalidArgumentError("line " + std::to_string(Line()) + ": " + what);
  }

  // A basic or literal string, single-line or multi-line; `out` gets the decoded text when given.
  absl::Status String(std::string* out) {
    char q = Peek();
    bool multi = Peek(1) == q && Peek(2) == q;
    if (multi) {
      pos += 3;
      // A newline right after the opening delimiter is not part of the string.
      if (Peek() == '\n')
        ++pos;
      else if (Peek() == '\r' && Peek(1) == '\n')
        pos += 2;
      for (;;) {
        if (AtEnd()) return Error("unterminated multi-line string");
        char c = Peek();
        if (q == '"' && c == '\\') {
          // A backslash at the end of a line trims the newline and following whitespace.
          size_t p = pos + 1;
          while (p < t_.size() && IsBlank(t_[p])) ++p;
          if (p < t_.size() && (t_[p] == '\n' || t_[p] == '\r')) {
            pos = p;
            while (!AtEnd() && (IsBlank(Peek()) || Peek() == '\n' || Peek() == '\r')) ++pos;
            continue;
          }
          if (auto st = Escape(out); !st.ok()) return st;
          continue;
        }
        if (c == q && Peek(1) == q && Peek(2) == q) {
          size_t run = 3;
          while (run < 5 && Peek(run) == q) ++run;
          if (out != nullptr) out->append(run - 3, q);
          pos += run;
          return absl::OkStatus();
        }
        if (out != nullptr) out->push_back(c);
        ++pos;
      }
    }
    ++pos;
    for (;;) {
      if (AtEnd() || Peek() == '\n') return Error("unterminated string");
      char c = Peek();
      if (c == q) {
        ++pos;
        return absl::OkStatus();
      }
      if (q == '"' && c == '\\') {
        if (auto st = Escape(out); !st.ok()) return st;
        continue;
      }
      if (out != nullptr) out->push_back(c);
      ++pos;
    }
  }

  // A key path: bare or quoted segments separated by dots.
  absl::Status Key(TomlDoc::Path* out) {
    for (;;) {
      SkipBlanks();
      std::string seg;
      char c = Peek();
      if (c == '"' || c == '\'') {
        if (Peek(1) == c && Peek(2) == c) return Error("a key cannot be a multi-line string");
        if (auto st = String(&seg); !st.ok()) return st;
      } else if (IsBareKeyChar(c)) {
        while (IsBareKeyChar(Peek())) seg.push_back(t_[pos++]);
      } else {
        return Error("expected a key");
      }
      out->push_back(std::move(seg));
      SkipBlanks();
      if (Peek() != '.') return absl::OkStatus();
      ++pos;
    }
  }

  // A value: scans to its end (the end of the line it ends on, outside strings, arrays and
  // inline tables). Returns where its last byte ends (before blanks and a trailing comment).
  absl::StatusOr<size_t> Value() {
    int depth = 0;
    size_t last = pos;
    for (;;) {
      if (AtEnd()) {
        if (depth > 0) return Error("unterminated array or inline table");
        return last;
      }
      char c = Peek();
      if (c == '"' || c == '\'') {
        if (auto st = String(nullptr); !st.ok()) return st;
        last = pos;
        continue;
      }
      if (c == '#') {
        SkipToEol();
        continue;
      }
      if (c == '\n') {
        if (depth == 0) return last;
        ++pos;
        continue;
      }
      if (c == '[' || c == '{') ++depth;
      if (c == ']' || c == '}') {
        if (depth == 0) return Error("unbalanced '" + std::string(1, c) + "'");
        --depth;
      }
      ++pos;
      if (!IsBlank(c) && c != '\r') last = pos;
    }
  }

 private:
  absl::Status Escape(std::string* out) {
    char e = Peek(1);
    pos += 2;
    auto put = [&](char c) {
      if (out != nullptr) out->push_back(c);
    };
    switch (e) {
      case 'b':
        put('\b');
        return absl::OkStatus();
      case 't':
        put('\t');
        return absl::OkStatus();
      case 'n':
        put('\n');
        return absl::OkStatus();
      case 'f':
        put('\f');
        return absl::OkStatus();
      case 'r':
        put('\r');
        return absl::OkStatus();
      case 'e':
        put('\x1b');
        return absl::OkStatus();
      case '"':
        put('"');
        return absl::OkStatus();
      case '\\':
        put('\\');
        return absl::OkStatus();
      case 'u':
      case 'U': {
        size_t n = e == 'u' ? 4 : 8;
        unsigned long cp = 0;
        for (size_t i = 0; i < n; ++i) {
          char h = Peek();
          int v = (h >= '0' && h <= '9')   ? h - '0'
                  : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                           : -1;
          if (v < 0) return Error("bad \\" + std::string(1, e) + " escape");
          cp = cp * 16 + static_cast<unsigned long>(v);
          ++pos;
        }
        if (out != nullptr) AppendUtf8(cp, out);
        return absl::OkStatus();
      }
      default:
        return Error("unknown escape \\" + std::string(1, e));
    }
  }

  static void AppendUtf8(unsigned long cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  const std::string& t_;
};

bool StartsWithPath(const TomlDoc::Path& p, const TomlDoc::Path& prefix) {
  if (p.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (p[i] != prefix[i]) return false;
  }
  return true;
}

TomlDoc::Path Concat(const TomlDoc::Path& a, const TomlDoc::Path& b) {
  TomlDoc::Path out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::string JoinPath(const TomlDoc::Path& p) {
  std::string out;
  for (const auto& s : p) out += (out.empty() ? "" : ".") + TomlDoc::FormatKey(s);
  return out;
}

}  // namespace

absl::StatusOr<TomlDoc> TomlDoc::Parse(std::string text) {
  TomlDoc doc;
  doc.text_ = std::move(text);
  if (auto st = doc.Reparse(); !st.ok()) return st;
  return doc;
}

absl::Status TomlDoc::Reparse() {
  statements_.clear();
  Scanner s(text_);
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) s.pos = 3;  // a UTF-8 byte order mark
  Path table;
  while (!s.AtEnd()) {
    Statement st;
    st.begin = s.pos;
    s.SkipBlanks();
    if (s.AtEnd() || s.AtNewline()) {
      st.kind = Statement::kBlank;
    } else if (s.Peek() == '#') {
      st.kind = Statement::kComment;
      s.SkipToEol();
    } else if (s.Peek() == '[') {
      bool array = s.Peek(1) == '[';
      st.kind = array ? Statement::kArrayTable : Statement::kTable;
      s.pos += array ? 2 : 1;
      if (auto e = s.Key(&st.key); !e.ok()) return e;
      s.SkipBlanks();
      if (s.Peek() != ']' || (array && s.Peek(1) != ']')) return s.Error("malformed table header");
      s.pos += array ? 2 : 1;
      s.SkipBlanks();
      if (s.Peek() == '#') s.SkipToEol();
      if (!s.AtEnd() && !s.AtNewline()) return s.Error("unexpected text after a table header");
      table = st.key;
    } else {
      st.kind = Statement::kKeyValue;
      st.table = table;
      if (auto e = s.Key(&st.key); !e.ok()) return e;
      if (s.Peek() != '=') return s.Error("expected '=' after a key");
      ++s.pos;
      s.SkipBlanks();
      if (s.AtEnd() || s.AtNewline()) return s.Error("a key has no value");
      st.value_begin = s.pos;
      auto end = s.Value();
      if (!end.ok()) return end.status();
      st.value_end = *end;
    }
    if (!s.AtEnd() && !s.AtNewline()) {
      s.SkipToEol();  // only reached for a blank line with '\r' alone; keep going
    }
    s.ConsumeNewline();
    st.end = s.pos;
    statements_.push_back(std::move(st));
  }
  return absl::OkStatus();
}

const TomlDoc::Statement* TomlDoc::FindKey(const Path& table, const std::string& key) const {
  for (const auto& st : statements_) {
    if (st.kind == Statement::kKeyValue && st.table == table && st.key.size() == 1 &&
        st.key[0] == key) {
      return &st;
    }
  }
  return nullptr;
}

const TomlDoc::Statement* TomlDoc::FindHeader(const Path& table) const {
  for (const auto& st : statements_) {
    if (st.kind == Statement::kTable && st.key == table) return &st;
  }
  return nullptr;
}

absl::Status TomlDoc::CheckConflict(const Path& table, const std::string& key) const {
  Path full = Concat(table, {key});
  for (const auto& st : statements_) {
    if (st.kind == Statement::kArrayTable && StartsWithPath(full, st.key)) {
      return absl::FailedPreconditionError(JoinPath(st.key) +
                                           " is an array of tables ([[...]]); not changed");
    }
    if (st.kind != Statement::kKeyValue) continue;
    if (st.table == table && st.key.size() == 1) continue;  // a plain key of this table
    Path abs = Concat(st.table, st.key);
    // A value at the key or one of its parents (an inline table, dotted keys), keys under it,
    // or dotted keys from a parent table reaching into this table.
    if (StartsWithPath(full, abs) || StartsWithPath(abs, full) ||
        (StartsWithPath(abs, table) && st.table.size() < table.size())) {
      return absl::FailedPreconditionError(
          JoinPath(full) + " is defined with dotted keys or an inline table (" + JoinPath(abs) +
          "); this editor only changes [table] sections — move it into a [" + JoinPath(table) +
          "] table or remove it, then try again");
    }
  }
  return absl::OkStatus();
}

std::string TomlDoc::Newline() const {
  size_t nl = text_.find('\n');
  return nl != std::string::npos && nl > 0 && text_[nl - 1] == '\r' ? "\r\n" : "\n";
}

absl::Status TomlDoc::Splice(size_t begin, size_t end, const std::string& with) {
  std::string before = text_;
  text_.replace(begin, end - begin, with);
  if (auto st = Reparse(); !st.ok()) {
    text_ = std::move(before);
    (void)Reparse();
    return absl::InternalError("an edit broke the TOML document (" +
                               std::string(st.message().data(), st.message().size()) + ")");
  }
  return absl::OkStatus();
}

std::optional<std::string> TomlDoc::GetRaw(const Path& table, const std::string& key) const {
  const Statement* st = FindKey(table, key);
  if (st == nullptr) return std::nullopt;
  return text_.substr(st->value_begin, st->value_end - st->value_begin);
}

std::optional<std::string> TomlDoc::GetString(const Path& table, const std::string& key) const {
  auto raw = GetRaw(table, key);
  if (!raw || raw->empty() || ((*raw)[0] != '"' && (*raw)[0] != '\'')) return std::nullopt;
  Scanner s(*raw);
  std::string out;
  if (!s.String(&out).ok() || !s.AtEnd()) return std::nullopt;
  return out;
}

absl::Status TomlDoc::SetRaw(const Path& table, const std::string& key, const std::string& raw) {
  if (auto st = CheckConflict(table, key); !st.ok()) return st;
  const std::string nl = Newline();
  const std::string line = FormatKey(key) + " = " + raw;
  if (const Statement* st = FindKey(table, key)) {
    return Splice(st->value_begin, st->value_end, raw);
  }
  // Where the table's last key/value ends, if it has one.
  auto after_last_key = [&](size_t from) -> std::optional<size_t> {
    std::optional<size_t> at;
    for (size_t i = from; i < statements_.size(); ++i) {
      const auto& st = statements_[i];
      if (st.kind == Statement::kTable || st.kind == Statement::kArrayTable) break;
      if (st.kind == Statement::kKeyValue) at = i;
    }
    if (!at) return std::nullopt;
    return *at;
  };
  auto insert_after = [&](const Statement& st) {
    bool has_nl = st.end > 0 && text_[st.end - 1] == '\n';
    return Splice(st.end, st.end, (has_nl ? "" : nl) + line + nl);
  };
  if (table.empty()) {
    if (auto i = after_last_key(0)) return insert_after(statements_[*i]);
    // No root keys: before the first table (and the comments right above it), else at the end.
    for (size_t i = 0; i < statements_.size(); ++i) {
      if (statements_[i].kind != Statement::kTable && statements_[i].kind != Statement::kArrayTable)
        continue;
      size_t j = i;
      while (j > 0 && statements_[j - 1].kind == Statement::kComment) --j;
      return Splice(statements_[j].begin, statements_[j].begin, line + nl + nl);
    }
    bool ends_nl = !text_.empty() && text_.back() == '\n';
    return Splice(text_.size(), text_.size(), (text_.empty() || ends_nl ? "" : nl) + line + nl);
  }
  for (size_t i = 0; i < statements_.size(); ++i) {
    if (statements_[i].kind != Statement::kTable || statements_[i].key != table) continue;
    if (auto last = after_last_key(i + 1)) return insert_after(statements_[*last]);
    return insert_after(statements_[i]);
  }
  // A new table at the end, after a blank line.
  std::string add;
  if (!statements_.empty()) {
    const Statement& last = statements_.back();
    bool ends_nl = text_.back() == '\n';
    if (!ends_nl)
      add += nl + nl;
    else if (last.kind != Statement::kBlank)
      add += nl;
  }
  add += "[" + JoinPath(table) + "]" + nl + line + nl;
  return Splice(text_.size(), text_.size(), add);
}

absl::Status TomlDoc::SetString(const Path& table, const std::string& key,
                                const std::string& value) {
  return SetRaw(table, key, Quote(value));
}

absl::Status TomlDoc::Remove(const Path& table, const std::string& key) {
  const Statement* st = FindKey(table, key);
  if (st == nullptr) return absl::OkStatus();
  size_t begin = st->begin, end = st->end;
  // A key alone between blank lines (or at the top) takes one of them along, so "a\n\nK\n\nb"
  // becomes "a\n\nb" — how SetRaw adds a root key to a file without any.
  size_t i = static_cast<size_t>(st - statements_.data());
  bool alone_before = i == 0 || statements_[i - 1].kind == Statement::kBlank;
  if (alone_before && i + 1 < statements_.size() && statements_[i + 1].kind == Statement::kBlank) {
    end = statements_[i + 1].end;
  }
  // The last line without a newline: take the newline before it instead.
  if (end == text_.size() && (end == 0 || text_[end - 1] != '\n') && begin > 0) {
    begin -= (begin >= 2 && text_[begin - 2] == '\r') ? 2 : 1;
  }
  return Splice(begin, end, "");
}

std::vector<TomlDoc::Path> TomlDoc::Tables() const {
  std::vector<Path> out;
  for (const auto& st : statements_) {
    if (st.kind == Statement::kTable) out.push_back(st.key);
  }
  return out;
}

std::vector<std::string> TomlDoc::Keys(const Path& table) const {
  std::vector<std::string> out;
  for (const auto& st : statements_) {
    if (st.kind == Statement::kKeyValue && st.table == table && st.key.size() == 1) {
      out.push_back(st.key[0]);
    }
  }
  return out;
}

namespace {

// Blanks, newlines and comments, as arrays allow between their values.
void SkipSpaceAndComments(Scanner& s) {
  for (;;) {
    s.SkipBlanks();
    if (s.Peek() == '#') s.SkipToEol();
    if (s.AtNewline()) {
      s.ConsumeNewline();
      continue;
    }
    return;
  }
}

std::optional<boost::json::value> ReadValue(Scanner& s, int depth) {
  if (depth > 32) return std::nullopt;
  const char c = s.Peek();
  if (c == '"' || c == '\'') {
    std::string out;
    if (!s.String(&out).ok()) return std::nullopt;
    return boost::json::value(out);
  }
  if (c == '[') {
    ++s.pos;
    boost::json::array a;
    for (;;) {
      SkipSpaceAndComments(s);
      if (s.Peek() == ']') {
        ++s.pos;
        return boost::json::value(std::move(a));
      }
      auto v = ReadValue(s, depth + 1);
      if (!v) return std::nullopt;
      a.push_back(std::move(*v));
      SkipSpaceAndComments(s);
      if (s.Peek() == ',') {
        ++s.pos;
      } else if (s.Peek() != ']') {
        return std::nullopt;
      }
    }
  }
  if (c == '{') {
    ++s.pos;
    boost::json::object o;
    s.SkipBlanks();
    if (s.Peek() == '}') {
      ++s.pos;
      return boost::json::value(std::move(o));
    }
    for (;;) {
      TomlDoc::Path key;
      if (!s.Key(&key).ok() || key.size() != 1 || s.Peek() != '=') return std::nullopt;
      ++s.pos;
      s.SkipBlanks();
      auto v = ReadValue(s, depth + 1);
      if (!v || o.contains(key[0])) return std::nullopt;
      o[key[0]] = std::move(*v);
      s.SkipBlanks();
      if (s.Peek() == '}') {
        ++s.pos;
        return boost::json::value(std::move(o));
      }
      if (s.Peek() != ',') return std::nullopt;
      ++s.pos;
    }
  }
  // A bare value: a boolean or a number, to the next delimiter.
  std::string word;
  while (!s.AtEnd() && !IsBlank(s.Peek()) && s.Peek() != ',' && s.Peek() != ']' &&
         s.Peek() != '}' && s.Peek() != '\n' && s.Peek() != '\r' && s.Peek() != '#') {
    word.push_back(s.Peek());
    ++s.pos;
  }
  if (word == "true") return boost::json::value(true);
  if (word == "false") return boost::json::value(false);
  std::string digits;
  for (char d : word) {
    if (d != '_') digits.push_back(d);
  }
  if (digits.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(digits[0] == '+' ? digits.substr(1) : digits, ec);
  if (ec || !v.is_number()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<boost::json::value> TomlDoc::ParseValue(const std::string& raw) {
  Scanner s(raw);
  s.SkipBlanks();
  auto v = ReadValue(s, 0);
  if (!v) return std::nullopt;
  SkipSpaceAndComments(s);
  if (!s.AtEnd()) return std::nullopt;
  return v;
}

bool TomlDoc::HasTable(const Path& table) const {
  if (table.empty()) return true;
  return FindHeader(table) != nullptr;
}

bool TomlDoc::TableIsEmpty(const Path& table) const {
  for (size_t i = 0; i < statements_.size(); ++i) {
    if (statements_[i].kind != Statement::kTable || statements_[i].key != table) continue;
    for (size_t j = i + 1; j < statements_.size(); ++j) {
      const auto& st = statements_[j];
      if (st.kind == Statement::kTable || st.kind == Statement::kArrayTable) break;
      if (st.kind != Statement::kBlank) return false;
    }
    return true;
  }
  return false;
}

absl::Status TomlDoc::RemoveEmptyTable(const Path& table) {
  if (!TableIsEmpty(table)) return absl::OkStatus();
  for (size_t i = 0; i < statements_.size(); ++i) {
    if (statements_[i].kind != Statement::kTable || statements_[i].key != table) continue;
    size_t j = i + 1;
    while (j < statements_.size() && statements_[j].kind == Statement::kBlank) ++j;
    size_t begin = statements_[i].begin;
    bool at_end = j == statements_.size();
    size_t end = at_end ? text_.size() : statements_[j].begin;
    bool blank_before = i > 0 && statements_[i - 1].kind == Statement::kBlank;
    if (at_end) {
      // The blank line that separated it from what came before goes with it.
      if (blank_before && i >= 2) begin = statements_[i - 1].begin;
    } else if (!blank_before && j > i + 1) {
      end = statements_[j - 1].begin;  // one blank line stays before the next table
    }
    return Splice(begin, end, "");
  }
  return absl::OkStatus();
}

std::string TomlDoc::Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", u);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

std::string TomlDoc::FormatKey(const std::string& key) {
  bool bare = !key.empty();
  for (char c : key) bare = bare && IsBareKeyChar(c);
  return bare ? key : Quote(key);
}

}  // namespace agentgate::clientconf
