#include "services/protocol/sse.h"

namespace agentgate::protocol {

bool SseParser::Feed(std::string_view chunk, const std::function<void(const SseEvent&)>& on_event) {
  if (failed_) return false;
  size_t i = 0;
  if (skip_lf_ && !chunk.empty()) {
    skip_lf_ = false;
    if (chunk[0] == '\n') i = 1;
  }
  while (i < chunk.size()) {
    size_t end = chunk.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(chunk.substr(i));
      event_bytes_ += chunk.size() - i;
      if (event_bytes_ > max_event_bytes_) {
        failed_ = true;
        return false;
      }
      break;
    }
    std::string_view piece = chunk.substr(i, end - i);
    event_bytes_ += piece.size() + 1;
    if (event_bytes_ > max_event_bytes_) {
      failed_ = true;
      return false;
    }
    if (line_.empty()) {
      ProcessLine(piece, on_event);
    } else {
      line_.append(piece);
      std::string line = std::move(line_);
      line_.clear();
      ProcessLine(line, on_event);
    }
    if (chunk[end] == '\r') {
      if (end + 1 < chunk.size()) {
        i = chunk[end + 1] == '\n' ? end + 2 : end + 1;
      } else {
        skip_lf_ = true;
        i = end + 1;
      }
    } else {
      i = end + 1;
    }
  }
  return true;
}

void SseParser::ProcessLine(std::string_view line,
                            const std::function<void(const SseEvent&)>& on_event) {
  if (line.empty()) {
    if (has_data_) {
      if (!data_.empty() && data_.back() == '\n') data_.pop_back();
      on_event(SseEvent{event_, data_, id_});
    }
    event_.clear();
    data_.clear();
    has_data_ = false;
    has_fields_ = false;
    event_bytes_ = 0;
    return;
  }
  if (line[0] == ':') return;  // comment
  has_fields_ = true;
  std::string_view field = line;
  std::string_view value;
  if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  } else if (field == "id") {
    id_.assign(value);
  }
}

std::string SseFrame(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(data.size() + event.size() + 16);
  if (!event.empty()) {
    out.append("event: ").append(event).push_back('\n');
  }
  size_t start = 0;
  for (;;) {
    size_t nl = data.find('\n', start);
    out.append("data: ").append(data.substr(start, nl - start)).push_back('\n');
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out.push_back('\n');
  return out;
}

std::string SseComment(std::string_view text) {
  std::string out(": ");
  out.append(text).append("\n\n");
  return out;
}

}  // namespace agentgate::protocol
