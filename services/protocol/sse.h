// Server-Sent Events framing (WHATWG "event stream" rules), incremental and allocation-light.
//
// SseParser is fed arbitrary byte chunks (an event may be split anywhere, even inside "\r\n")
// and calls back once per complete event. SseWriter frames events. Not thread-safe; one parser
// per stream. The same code serves all four client protocols.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace agentgate::protocol {

struct SseEvent {
  std::string_view event;  // "" when the frame had no `event:` line
  std::string_view data;   // `data:` lines joined with '\n'
  std::string_view id;
};

class SseParser {
 public:
  // An event larger than this (bytes buffered without a blank line) makes Feed fail.
  explicit SseParser(size_t max_event_bytes = 16 * 1024 * 1024)
      : max_event_bytes_(max_event_bytes) {}

  // Calls on_event for every event completed by `chunk`; the views are valid only during the
  // call. Returns false (and stops) if an event exceeds the size limit; the parser is then dead.
  bool Feed(std::string_view chunk, const std::function<void(const SseEvent&)>& on_event);

  // True when bytes of an unfinished event are buffered.
  bool HasPartialEvent() const { return !line_.empty() || has_fields_; }

 private:
  void ProcessLine(std::string_view line, const std::function<void(const SseEvent&)>& on_event);

  size_t max_event_bytes_;
  std::string line_;      // the current incomplete line
  bool skip_lf_ = false;  // the previous chunk ended with '\r'
  std::string event_;
  std::string data_;
  std::string id_;
  bool has_data_ = false;
  bool has_fields_ = false;
  size_t event_bytes_ = 0;
  bool failed_ = false;
};

// "event: NAME\ndata: DATA\n\n" (without the event line when name is empty). Multi-line data
// is split into several data lines, as the format requires.
std::string SseFrame(std::string_view event, std::string_view data);
// ": comment\n\n" — a keep-alive that clients ignore.
std::string SseComment(std::string_view text);

}  // namespace agentgate::protocol
