// Helpers shared by the protocol tests: JSON literals, ir builders, and ways to cut a stream into
// chunks, run it through a StreamConverter and read the SSE that comes out. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/protocol/ir.h"
#include "services/protocol/sse.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol::test_util {

inline boost::json::value J(std::string_view s) { return boost::json::parse(s); }

// ---- ir builders ------------------------------------------------------------------------------

inline ir::Part Text(std::string text) {
  ir::Part p;
  p.text = std::move(text);
  return p;
}

inline ir::Part Image(std::string media_type, std::string data, std::string url = "") {
  ir::Part p;
  p.kind = ir::Part::Kind::kImage;
  p.image.media_type = std::move(media_type);
  p.image.data = std::move(data);
  p.image.url = std::move(url);
  return p;
}

inline ir::Part ToolCall(std::string id, std::string name, std::string args, bool custom = false) {
  ir::Part p;
  p.kind = ir::Part::Kind::kToolCall;
  p.call_id = std::move(id);
  p.name = std::move(name);
  p.arguments = std::move(args);
  p.custom = custom;
  return p;
}

inline ir::Part ToolResult(std::string id, std::vector<ir::Part> content, bool is_error = false) {
  ir::Part p;
  p.kind = ir::Part::Kind::kToolResult;
  p.call_id = std::move(id);
  p.content = std::move(content);
  p.is_error = is_error;
  return p;
}

inline ir::Part Reasoning(std::string text, std::string signature) {
  ir::Part p;
  p.kind = ir::Part::Kind::kReasoning;
  p.text = std::move(text);
  p.signature = std::move(signature);
  return p;
}

inline ir::Message Msg(ir::Role role, std::vector<ir::Part> parts) {
  ir::Message m;
  m.role = role;
  m.parts = std::move(parts);
  return m;
}

// ---- cutting a stream into chunks -------------------------------------------------------------

inline std::vector<std::string> ByteByByte(std::string_view s) {
  std::vector<std::string> out;
  for (char c : s) out.emplace_back(1, c);
  return out;
}

// `s` in consecutive pieces of random length in [min_len, max_len] (empty ones too when min_len
// is 0); the last piece may be shorter.
inline std::vector<std::string> RandomSplits(std::string_view s, std::mt19937& rng, size_t max_len,
                                             size_t min_len = 0) {
  std::vector<std::string> out;
  std::uniform_int_distribution<size_t> len(min_len, max_len);
  for (size_t i = 0; i < s.size();) {
    size_t n = len(rng);
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// `s` cut at up to `cuts` random places strictly inside it (never an empty piece). `s` must be
// at least two bytes long.
inline std::vector<std::string> SplitAtRandomCuts(std::string_view s, std::mt19937& rng, int cuts) {
  std::uniform_int_distribution<size_t> at(1, s.size() - 1);
  std::vector<size_t> positions;
  for (int i = 0; i < cuts; ++i) positions.push_back(at(rng));
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t cut : positions) {
    out.emplace_back(s.substr(pos, cut - pos));
    pos = cut;
  }
  out.emplace_back(s.substr(pos));
  return out;
}

// ---- streams in and out -----------------------------------------------------------------------

// `chunks` fed to `conv` in order, then End(): everything it wrote.
inline std::string ConvertChunks(StreamConverter& conv, const std::vector<std::string>& chunks) {
  std::string out;
  for (const auto& c : chunks) out += conv.Feed(c);
  return out + conv.End();
}

// A data-only SSE stream (Chat Completions style): one frame for each of `datas`.
inline std::string DataOnlySse(const std::vector<std::string>& datas) {
  std::string s;
  for (const auto& d : datas) s += SseFrame("", d);
  return s;
}

// The data of every frame of a data-only SSE stream, which must end on a frame boundary.
inline std::vector<std::string> Datas(std::string_view sse) {
  std::vector<std::string> out;
  SseParser p;
  p.Feed(sse, [&](const SseEvent& e) {
    EXPECT_EQ(e.event, "");  // data-only frames
    out.emplace_back(e.data);
  });
  EXPECT_FALSE(p.HasPartialEvent());
  return out;
}

// An SSE event with a name (Messages, Responses) and JSON data.
struct JsonEvent {
  std::string name;
  boost::json::value data;
};

inline std::vector<JsonEvent> JsonEvents(std::string_view sse) {
  std::vector<JsonEvent> out;
  SseParser p;
  p.Feed(sse, [&](const SseEvent& e) {
    out.push_back({std::string(e.event), boost::json::parse(e.data)});
  });
  return out;
}

}  // namespace agentgate::protocol::test_util
