#include "services/protocol/think_tags.h"

#include <algorithm>

namespace agentgate::protocol {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// Length of the longest suffix of `s` that is a proper prefix of `tag`.
size_t PartialTagAtEnd(std::string_view s, std::string_view tag) {
  for (size_t n = std::min(s.size(), tag.size() - 1); n > 0; --n) {
    if (s.substr(s.size() - n) == tag.substr(0, n)) return n;
  }
  return 0;
}

}  // namespace

void ThinkTagSplitter::Feed(std::string_view piece, std::string* reasoning, std::string* text) {
  std::string buf = std::move(held_);
  held_.clear();
  buf.append(piece);
  std::string_view rest = buf;
  auto emit = [&](std::string_view part) {
    if (in_think_) {
      reasoning->append(part);
      return;
    }
    if (after_close_) {
      size_t start = part.find_first_not_of("\r\n");
      if (start == std::string_view::npos) return;
      part.remove_prefix(start);
      after_close_ = false;
    }
    text->append(part);
  };
  while (!rest.empty()) {
    std::string_view tag = in_think_ ? kClose : kOpen;
    size_t at = rest.find(tag);
    if (at == std::string_view::npos) {
      size_t partial = PartialTagAtEnd(rest, tag);
      emit(rest.substr(0, rest.size() - partial));
      held_ = std::string(rest.substr(rest.size() - partial));
      return;
    }
    emit(rest.substr(0, at));
    rest.remove_prefix(at + tag.size());
    after_close_ = in_think_;
    in_think_ = !in_think_;
  }
}

void ThinkTagSplitter::Flush(std::string* reasoning, std::string* text) {
  if (held_.empty()) return;
  (in_think_ ? reasoning : text)->append(held_);
  held_.clear();
}

void SplitThinkTags(std::string_view content, std::string* reasoning, std::string* text) {
  ThinkTagSplitter s;
  s.Feed(content, reasoning, text);
  s.Flush(reasoning, text);
}

}  // namespace agentgate::protocol
