#include "services/clientconf/env_edit.h"

namespace agentgate::clientconf {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

EnvDoc::EnvDoc(std::string text) : text_(std::move(text)) { Reparse(); }

void EnvDoc::Reparse() {
  lines_.clear();
  size_t pos = 0;
  while (pos < text_.size()) {
    Line line;
    line.begin = pos;
    size_t eol = text_.find('\n', pos);
    size_t next = eol == std::string::npos ? text_.size() : eol + 1;
    size_t p = pos;
    while (p < next && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (text_.compare(p, 7, "export ") == 0) {
      p += 7;
      while (p < next && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    }
    size_t key_begin = p;
    while (p < next && IsKeyChar(text_[p])) ++p;
    size_t key_end = p;
    while (p < next && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (key_end > key_begin && p < next && text_[p] == '=') {
      line.key = text_.substr(key_begin, key_end - key_begin);
      ++p;
      while (p < next && (text_[p] == ' ' || text_[p] == '\t')) ++p;
      line.value_begin = p;
      char q = p < text_.size() ? text_[p] : '\0';
      size_t close = std::string::npos;
      if (q == '"' || q == '\'' || q == '`') {
        // A quoted value may go on over several lines.
        size_t i = p + 1;
        while (i < text_.size() && text_[i] != q) i += (q == '"' && text_[i] == '\\') ? 2 : 1;
        if (i < text_.size()) close = i;
      }
      if (close != std::string::npos) {
        line.value_end = close + 1;
        size_t eol2 = text_.find('\n', close);
        next = eol2 == std::string::npos ? text_.size() : eol2 + 1;
      } else {
        size_t end = eol == std::string::npos ? text_.size() : eol;
        // An unquoted value ends before a '#' (a comment, as dotenv reads it) and blanks.
        size_t hash = text_.find('#', p);
        if (hash != std::string::npos && hash < end) end = hash;
        while (end > p &&
               (text_[end - 1] == ' ' || text_[end - 1] == '\t' || text_[end - 1] == '\r')) {
          --end;
        }
        line.value_end = end;
      }
    }
    line.end = next;
    lines_.push_back(std::move(line));
    pos = next;
  }
}

std::string EnvDoc::Newline() const {
  size_t nl = text_.find('\n');
  return nl != std::string::npos && nl > 0 && text_[nl - 1] == '\r' ? "\r\n" : "\n";
}

std::optional<std::string> EnvDoc::GetRaw(const std::string& key) const {
  std::optional<std::string> out;
  for (const auto& l : lines_) {
    if (l.key == key) out = text_.substr(l.value_begin, l.value_end - l.value_begin);
  }
  return out;
}

std::optional<std::string> EnvDoc::Get(const std::string& key) const {
  auto raw = GetRaw(key);
  if (!raw || raw->size() < 2) return raw;
  char q = raw->front();
  if ((q != '"' && q != '\'' && q != '`') || raw->back() != q) return raw;
  std::string inner = raw->substr(1, raw->size() - 2);
  if (q != '"') return inner;
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) {
      char e = inner[++i];
      out.push_back(e == 'n' ? '\n' : e == 'r' ? '\r' : e);
    } else {
      out.push_back(inner[i]);
    }
  }
  return out;
}

void EnvDoc::SetRaw(const std::string& key, const std::string& raw) {
  const Line* last = nullptr;
  for (const auto& l : lines_) {
    if (l.key == key) last = &l;
  }
  if (last == nullptr) {
    std::string nl = Newline();
    bool ends_nl = text_.empty() || text_.back() == '\n';
    text_ += (ends_nl ? "" : nl) + key + "=" + raw + nl;
    Reparse();
    return;
  }
  // The last line wins when dotenv reads the file: it keeps its place (and any `export `);
  // earlier lines of the key are left as they are.
  text_.replace(last->value_begin, last->value_end - last->value_begin, raw);
  Reparse();
}

void EnvDoc::Set(const std::string& key, const std::string& value) { SetRaw(key, Quote(value)); }

void EnvDoc::Remove(const std::string& key) {
  std::string out;
  bool removed = false;
  for (const auto& l : lines_) {
    if (l.key == key) {
      removed = true;
      // The last line without a newline: the newline before it goes instead.
      if (l.end == text_.size() && (text_.empty() || text_.back() != '\n') && !out.empty() &&
          out.back() == '\n') {
        out.pop_back();
        if (!out.empty() && out.back() == '\r') out.pop_back();
      }
      continue;
    }
    out += text_.substr(l.begin, l.end - l.begin);
  }
  if (!removed) return;
  text_ = std::move(out);
  Reparse();
}

std::string EnvDoc::Quote(const std::string& value) {
  bool plain = !value.empty();
  for (char c : value) {
    plain = plain && (IsKeyChar(c) || c == '/' || c == ':' || c == '@' || c == '+' || c == '=' ||
                      c == ',' || c == '~');
  }
  if (plain) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace agentgate::clientconf
