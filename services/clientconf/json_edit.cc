#include "services/clientconf/json_edit.h"

#include <cctype>

namespace agentgate::clientconf {

struct JsonDoc::Node {
  enum Kind { kObject, kArray, kScalar };
  Kind kind = kScalar;
  size_t begin = 0;
  size_t end = 0;
  std::vector<Member> members;
  std::vector<Node> items;
};

struct JsonDoc::Member {
  std::string key;
  size_t key_begin = 0;
  size_t key_end = 0;
  Node value;
  size_t comma = std::string::npos;  // the comma after the value, if any
};

namespace {

constexpr size_t kNone = std::string::npos;

boost::json::parse_options JsoncOptions() {
  boost::json::parse_options o;
  o.allow_comments = true;
  o.allow_trailing_commas = true;
  return o;
}

// Spans of a JSONC text; the syntax itself is checked by Boost.JSON beforehand.
class Scanner {
 public:
  explicit Scanner(const std::string& t) : t_(t) {}
  size_t pos = 0;
  bool comments = false;

  char Peek(size_t ahead = 0) const { return pos + ahead < t_.size() ? t_[pos + ahead] : '\0'; }

  void SkipSpace() {
    for (;;) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos;
      } else if (c == '/' && Peek(1) == '/') {
        comments = true;
        while (pos < t_.size() && t_[pos] != '\n') ++pos;
      } else if (c == '/' && Peek(1) == '*') {
        comments = true;
        size_t end = t_.find("*/", pos + 2);
        pos = end == kNone ? t_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  absl::Status Value(JsonDoc::Node* n) {
    n->begin = pos;
    char c = Peek();
    if (c == '{') {
      n->kind = JsonDoc::Node::kObject;
      ++pos;
      for (;;) {
        SkipSpace();
        if (Peek() == '}') break;
        JsonDoc::Member m;
        m.key_begin = pos;
        if (Peek() != '"') return Bad();
        SkipString();
        m.key_end = pos;
        try {
          m.key = boost::json::value_to<std::string>(
              boost::json::parse(t_.substr(m.key_begin, m.key_end - m.key_begin)));
        } catch (...) {
          return Bad();
        }
        SkipSpace();
        if (Peek() != ':') return Bad();
        ++pos;
        SkipSpace();
        if (auto st = Value(&m.value); !st.ok()) return st;
        SkipSpace();
        bool more = Peek() == ',';
        if (more) {
          m.comma = pos;
          ++pos;
        }
        n->members.push_back(std::move(m));
        if (!more) {
          SkipSpace();
          if (Peek() != '}') return Bad();
          break;
        }
      }
      ++pos;
    } else if (c == '[') {
      n->kind = JsonDoc::Node::kArray;
      ++pos;
      for (;;) {
        SkipSpace();
        if (Peek() == ']') break;
        JsonDoc::Node item;
        if (auto st = Value(&item); !st.ok()) return st;
        n->items.push_back(std::move(item));
        SkipSpace();
        if (Peek() == ',') {
          ++pos;
          continue;
        }
        if (Peek() != ']') return Bad();
        break;
      }
      ++pos;
    } else if (c == '"') {
      SkipString();
    } else {
      while (pos < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[pos])) ||
                                 t_[pos] == '-' || t_[pos] == '+' || t_[pos] == '.')) {
        ++pos;
      }
      if (pos == n->begin) return Bad();
    }
    n->end = pos;
    return absl::OkStatus();
  }

 private:
  void SkipString() {
    ++pos;
    while (pos < t_.size() && t_[pos] != '"') pos += t_[pos] == '\\' ? 2 : 1;
    ++pos;
  }
  absl::Status Bad() const {
    return absl::InvalidArgumentError("unexpected JSON at byte " + std::to_string(pos));
  }
  const std::string& t_;
};

// Line and column of a byte offset, for error messages.
std::string Where(const std::string& t, size_t pos) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < pos && i < t.size(); ++i) {
    if (t[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

const JsonDoc::Member* FindMember(const JsonDoc::Node& obj, const std::string& key) {
  const JsonDoc::Member* found = nullptr;
  for (const auto& m : obj.members) {
    if (m.key == key) found = &m;  // the last one wins, as in most parsers
  }
  return found;
}

std::string JoinPath(const JsonDoc::Path& p, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < p.size(); ++i) out += (i ? "." : "") + p[i];
  return out;
}

std::string Quote(const std::string& s) { return boost::json::serialize(boost::json::value(s)); }

}  // namespace

absl::StatusOr<JsonDoc> JsonDoc::Parse(std::string text) {
  JsonDoc doc;
  doc.text_ = std::move(text);
  if (auto st = doc.Reparse(); !st.ok()) return st;
  return doc;
}

absl::Status JsonDoc::Reparse() {
  root_.reset();
  Scanner s(text_);
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) s.pos = 3;
  s.SkipSpace();
  has_comments_ = s.comments;
  if (s.pos >= text_.size()) return absl::OkStatus();  // no root yet
  size_t start = s.pos;
  boost::system::error_code ec;
  boost::json::stream_parser p({}, JsoncOptions());
  size_t used = p.write(text_.data() + start, text_.size() - start, ec);
  if (!ec) p.finish(ec);
  if (ec) {
    return absl::InvalidArgumentError("not valid JSON at " + Where(text_, start + used) + ": " +
                                      ec.message());
  }
  if (!p.release().is_object()) {
    return absl::InvalidArgumentError("the top level is not a JSON object");
  }
  auto root = std::make_shared<Node>();
  if (auto st = s.Value(root.get()); !st.ok()) return st;
  s.SkipSpace();
  has_comments_ = s.comments;
  root_ = std::move(root);
  unit_ = "  ";
  if (!root_->members.empty() && IsMultiline(*root_)) {
    std::string indent = LineIndent(root_->members[0].key_begin);
    if (!indent.empty()) unit_ = indent;
  }
  return absl::OkStatus();
}

absl::Status JsonDoc::Splice(size_t begin, size_t end, const std::string& with) {
  std::string before = text_;
  text_.replace(begin, end - begin, with);
  if (auto st = Reparse(); !st.ok()) {
    text_ = std::move(before);
    (void)Reparse();
    return absl::InternalError("an edit broke the JSON document (" +
                               std::string(st.message().data(), st.message().size()) + ")");
  }
  return absl::OkStatus();
}

std::string JsonDoc::Newline() const {
  size_t nl = text_.find('\n');
  return nl != kNone && nl > 0 && text_[nl - 1] == '\r' ? "\r\n" : "\n";
}

size_t JsonDoc::LineStart(size_t pos) const {
  size_t nl = pos == 0 ? kNone : text_.rfind('\n', pos - 1);
  size_t start = nl == kNone ? 0 : nl + 1;
  if (start == 0 && pos >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
  return start;
}

std::string JsonDoc::LineIndent(size_t pos) const {
  size_t start = LineStart(pos);
  size_t end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return text_.substr(start, end - start);
}

bool JsonDoc::IsMultiline(const Node& obj) const {
  size_t to = obj.members.empty() ? obj.end : obj.members[0].key_begin;
  return text_.find('\n', obj.begin) < to;
}

std::optional<std::string> JsonDoc::GetRaw(const Path& path) const {
  if (!root_) return std::nullopt;
  const Node* node = root_.get();
  for (const auto& key : path) {
    if (node->kind != Node::kObject) return std::nullopt;
    const Member* m = FindMember(*node, key);
    if (m == nullptr) return std::nullopt;
    node = &m->value;
  }
  return text_.substr(node->begin, node->end - node->begin);
}

std::optional<boost::json::value> JsonDoc::Get(const Path& path) const {
  auto raw = GetRaw(path);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*raw, ec, {}, JsoncOptions());
  if (ec) return std::nullopt;
  return v;
}

std::optional<std::string> JsonDoc::GetString(const Path& path) const {
  auto v = Get(path);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<size_t> JsonDoc::ObjectSize(const Path& path) const {
  if (!root_) return std::nullopt;
  const Node* node = root_.get();
  for (const auto& key : path) {
    if (node->kind != Node::kObject) return std::nullopt;
    const Member* m = FindMember(*node, key);
    if (m == nullptr) return std::nullopt;
    node = &m->value;
  }
  if (node->kind != Node::kObject) return std::nullopt;
  return node->members.size();
}

absl::Status JsonDoc::Set(const Path& path, const boost::json::value& v) {
  return SetImpl(path, &v, nullptr);
}

absl::Status JsonDoc::SetRaw(const Path& path, const std::string& raw) {
  return SetImpl(path, nullptr, &raw);
}

std::string JsonDoc::ValueText(const Path& rest, const boost::json::value* v,
                               const std::string* raw, const std::string& indent,
                               bool multiline) const {
  const std::string nl = Newline();
  if (rest.empty()) {
    if (raw != nullptr) return *raw;
    return multiline ? Format(*v, indent, unit_, nl) : boost::json::serialize(*v);
  }
  Path tail(rest.begin() + 1, rest.end());
  if (!multiline) return "{" + Quote(rest[0]) + ": " + ValueText(tail, v, raw, indent, false) + "}";
  std::string inner = indent + unit_;
  return "{" + nl + inner + Quote(rest[0]) + ": " + ValueText(tail, v, raw, inner, true) + nl +
         indent + "}";
}

absl::Status JsonDoc::SetImpl(const Path& path, const boost::json::value* v,
                              const std::string* raw) {
  if (path.empty()) {
    if (!root_ || raw == nullptr) return absl::InvalidArgumentError("an empty path");
    return Splice(root_->begin, root_->end, *raw);  // the whole root, as written
  }
  const std::string nl = Newline();
  if (!root_) {
    // A new root object after whatever whitespace and comments are there.
    std::string root = ValueText(path, v, raw, "", true);
    bool blank = text_.find_first_not_of(" \t\r\n") == kNone;
    if (blank) return Splice(0, text_.size(), root + nl);
    bool ends_nl = text_.back() == '\n';
    return Splice(text_.size(), text_.size(), (ends_nl ? "" : nl) + root + nl);
  }
  const Node* node = root_.get();
  for (size_t i = 0; i < path.size(); ++i) {
    if (node->kind != Node::kObject) {
      return absl::FailedPreconditionError("'" + JoinPath(path, i) +
                                           "' is not an object; not changing it");
    }
    const Member* m = FindMember(*node, path[i]);
    if (m == nullptr) return InsertMember(*node, Path(path.begin() + i, path.end()), v, raw);
    if (i + 1 == path.size()) {
      bool multi = IsMultiline(*node);
      std::string text = ValueText({}, v, raw, LineIndent(m->key_begin), multi);
      return Splice(m->value.begin, m->value.end, text);
    }
    node = &m->value;
  }
  return absl::OkStatus();
}

absl::Status JsonDoc::InsertMember(const Node& obj, const Path& rest, const boost::json::value* v,
                                   const std::string* raw) {
  const std::string nl = Newline();
  bool is_root = &obj == root_.get();
  bool multi = obj.members.empty() ? (is_root || text_.find('\n') != kNone) : IsMultiline(obj);
  Path tail(rest.begin() + 1, rest.end());
  if (obj.members.empty()) {
    std::string indent = LineIndent(obj.begin) + unit_;
    std::string member = Quote(rest[0]) + ": " + ValueText(tail, v, raw, indent, multi);
    size_t inner_begin = obj.begin + 1, inner_end = obj.end - 1;
    std::string inner = text_.substr(inner_begin, inner_end - inner_begin);
    bool blank = inner.find_first_not_of(" \t\r\n") == kNone;
    if (!multi) return Splice(inner_begin, blank ? inner_end : inner_begin, member);
    if (blank) {
      return Splice(inner_begin, inner_end, nl + indent + member + nl + LineIndent(obj.begin));
    }
    return Splice(inner_begin, inner_begin, nl + indent + member);
  }
  const Member& last = obj.members.back();
  if (!multi) {
    std::string member = Quote(rest[0]) + ": " + ValueText(tail, v, raw, "", false);
    return Splice(last.value.end, last.value.end, ", " + member);
  }
  // Indented like the last member when it starts its line.
  std::string indent = LineIndent(last.key_begin);
  if (LineStart(last.key_begin) + indent.size() != last.key_begin) {
    indent = LineIndent(obj.begin) + unit_;
  }
  std::string member = Quote(rest[0]) + ": " + ValueText(tail, v, raw, indent, true);
  // After the rest of the last member's line (its comma and a trailing comment), when nothing
  // else follows on it; else right after its value (or comma).
  size_t after = last.comma != kNone ? last.comma + 1 : last.value.end;
  size_t p = after;
  while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
  if (text_.compare(p, 2, "//") == 0) {
    p = text_.find('\n', p);
    if (p == kNone) p = text_.size();
  } else if (text_.compare(p, 2, "/*") == 0) {
    size_t close = text_.find("*/", p);
    if (close != kNone && text_.find('\n', p) > close) {
      p = close + 2;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    }
  }
  size_t at = after;
  if (p >= text_.size() || text_[p] == '\n') {
    at = p;
  } else if (text_[p] == '\r' && p + 1 < text_.size() && text_[p + 1] == '\n') {
    at = p;
  }
  if (at > after && text_[at - 1] == '\r') --at;
  std::string out = text_.substr(0, last.value.end);
  if (last.comma == kNone) out += ",";
  out += text_.substr(last.value.end, at - last.value.end);
  // A trailing comma after the last member is the file's style: the new last member has one.
  out += nl + indent + member + (last.comma != kNone ? "," : "");
  out += text_.substr(at);
  return Splice(0, text_.size(), out);
}

absl::Status JsonDoc::Remove(const Path& path) {
  if (path.empty() || !root_) return absl::OkStatus();
  const Node* obj = root_.get();
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (obj->kind != Node::kObject) return absl::OkStatus();
    const Member* m = FindMember(*obj, path[i]);
    if (m == nullptr) return absl::OkStatus();
    obj = &m->value;
  }
  if (obj->kind != Node::kObject) return absl::OkStatus();
  const Member* m = FindMember(*obj, path.back());
  if (m == nullptr) return absl::OkStatus();
  size_t k = static_cast<size_t>(m - obj->members.data());
  bool is_last = k + 1 == obj->members.size();
  const Member* prev = k > 0 ? &obj->members[k - 1] : nullptr;
  size_t end_m = m->comma != kNone ? m->comma + 1 : m->value.end;

  // Whole lines, when the member has its lines to itself.
  size_t line_start = LineStart(m->key_begin);
  bool starts_line = text_.find_first_not_of(" \t", line_start) == m->key_begin;
  size_t p = end_m;
  while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
  if (text_.compare(p, 2, "//") == 0) {
    p = text_.find('\n', p);
    if (p == kNone) p = text_.size();
  }
  bool ends_line = p >= text_.size() || text_[p] == '\n';
  if (IsMultiline(*obj) && starts_line && ends_line) {
    size_t end = p >= text_.size() ? p : p + 1;
    std::string out = text_.substr(0, line_start) + text_.substr(end);
    if (is_last && m->comma == kNone && prev != nullptr && prev->comma != kNone) {
      out.erase(prev->comma, 1);
    }
    return Splice(0, text_.size(), out);
  }
  if (!is_last) return Splice(m->key_begin, obj->members[k + 1].key_begin, "");
  // The last one: from the previous value on, so a trailing comma stays the previous one's.
  if (prev != nullptr) return Splice(prev->value.end, m->value.end, "");
  return Splice(m->key_begin, end_m, "");
}

std::string JsonDoc::Format(const boost::json::value& v, const std::string& indent,
                            const std::string& unit, const std::string& nl) {
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.empty()) return "{}";
    std::string out = "{";
    size_t i = 0;
    for (const auto& kv : o) {
      out += nl + indent + unit + Quote(std::string(kv.key())) + ": " +
             Format(kv.value(), indent + unit, unit, nl);
      if (++i < o.size()) out += ",";
    }
    return out + nl + indent + "}";
  }
  if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) return "[]";
    std::string out = "[";
    for (size_t i = 0; i < a.size(); ++i) {
      out += nl + indent + unit + Format(a[i], indent + unit, unit, nl);
      if (i + 1 < a.size()) out += ",";
    }
    return out + nl + indent + "]";
  }
  return boost::json::serialize(v);
}

}  // namespace agentgate::clientconf
