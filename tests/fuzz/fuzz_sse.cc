// SseParser on arbitrary bytes: the events must not depend on how the bytes are chunked (the
// parser promises that an event may be split anywhere, even inside "\r\n"). And SseFrame round
// trip: a frame of any event name and data (no '\r'; no line break in the name) parses back to
// exactly that event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/protocol/sse.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using agentgate::protocol::SseEvent;
using agentgate::protocol::SseFrame;
using agentgate::protocol::SseParser;

struct Seen {
  std::string event, data, id;
  bool operator==(const Seen&) const = default;
};

struct Run {
  std::vector<Seen> events;
  bool ok = true;
  bool partial = false;
};

Run Parse(const std::vector<std::string_view>& chunks, size_t limit) {
  Run r;
  SseParser parser(limit);
  for (std::string_view c : chunks) {
    r.ok = parser.Feed(c, [&](const SseEvent& ev) {
      r.events.push_back({std::string(ev.event), std::string(ev.data), std::string(ev.id)});
    });
    if (!r.ok) break;
  }
  r.partial = parser.HasPartialEvent();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = agentgate::fuzz::Take(data, size);
  // A small event-size limit sometimes, to reach the failure path.
  size_t limit = (in.control & 0x80) ? 16 + in.control % 100 : 16 * 1024 * 1024;

  Run whole = Parse({in.rest}, limit);
  Run split = Parse(agentgate::fuzz::Split(in.rest, in.control), limit);
  FUZZ_CHECK(whole.events == split.events, "events differ between whole and split feeding");
  FUZZ_CHECK(whole.ok == split.ok, "size-limit failure differs between whole and split feeding");
  if (whole.ok) {
    FUZZ_CHECK(whole.partial == split.partial, "HasPartialEvent differs");
  }

  // Round trip. Event name: up to 31 bytes from the front, without line breaks; data: the rest,
  // without '\r' (SseFrame splits data on '\n' only).
  size_t name_len = std::min<size_t>(in.control % 32, in.rest.size());
  std::string event, body;
  for (char c : in.rest.substr(0, name_len)) {
    if (c != '\r' && c != '\n') event.push_back(c);
  }
  for (char c : in.rest.substr(name_len)) {
    if (c != '\r') body.push_back(c);
  }
  std::string frame = SseFrame(event, body);
  Run back =
      Parse(agentgate::fuzz::Split(frame, static_cast<uint8_t>(in.control * 7)), 16 * 1024 * 1024);
  FUZZ_CHECK(back.ok, frame);
  FUZZ_CHECK(back.events.size() == 1, frame);
  FUZZ_CHECK(back.events[0].data == body, frame);
  FUZZ_CHECK(back.events[0].event == event, frame);
  FUZZ_CHECK(!back.partial, frame);

  std::string comment = agentgate::protocol::SseComment(event);
  Run none = Parse({comment}, 16 * 1024 * 1024);
  FUZZ_CHECK(none.events.empty() && !none.partial, comment);
  return 0;
}
