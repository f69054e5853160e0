#include "services/protocol/sse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

using test_util::ByteByByte;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// An owned copy of an SseEvent (the parser's views die with the callback).
struct Ev {
  std::string event, data, id;
  bool operator==(const Ev&) const = default;
};

void PrintTo(const Ev& e, std::ostream* os) {
  *os << "{event=\"" << e.event << "\" data=\"" << e.data << "\" id=\"" << e.id << "\"}";
}

// Feeds `chunks` in order; returns every event.
std::vector<Ev> FeedAll(SseParser& p, const std::vector<std::string>& chunks, bool* ok = nullptr) {
  std::vector<Ev> out;
  bool all_ok = true;
  for (const auto& c : chunks) {
    all_ok = p.Feed(c, [&](const SseEvent& e) {
      out.push_back({std::string(e.event), std::string(e.data), std::string(e.id)});
    }) && all_ok;
  }
  if (ok != nullptr) *ok = all_ok;
  return out;
}

std::vector<Ev> Parse(const std::vector<std::string>& chunks) {
  SseParser p;
  return FeedAll(p, chunks);
}

// Splits `s` at random points (some empty chunks included, and one at the end).
std::vector<std::string> RandomSplit(const std::string& s, std::mt19937& rng) {
  std::vector<std::string> out = test_util::RandomSplits(s, rng, 12);
  out.emplace_back();
  return out;
}

const std::string kStream =
    ": keep-alive comment\n"
    "\n"
    "data: {\"id\":1}\n"
    "\n"
    "event: message_start\n"
    "id: 42\n"
    "data: first line\n"
    "data: second line\n"
    "\n"
    ": another comment\n"
    "data:no-space\n"
    "\n"
    "data:  two spaces\n"
    "\n"
    "event: ping\n"
    "\n"  // no data: not emitted
    "data\n"
    "\n"  // a field name without a colon: data is ""
    "data: [DONE]\n"
    "\n";

const std::vector<Ev> kExpected = {
    {"", "{\"id\":1}", ""}, {"message_start", "first line\nsecond line", "42"},
    {"", "no-space", "42"}, {"", " two spaces", "42"},
    {"", "", "42"},         {"", "[DONE]", "42"},
};

TEST(SseParserTest, WholeStream) { EXPECT_EQ(Parse({kStream}), kExpected); }

TEST(SseParserTest, ByteByByte) { EXPECT_EQ(Parse(ByteByByte(kStream)), kExpected); }

TEST(SseParserTest, RandomSplits) {
  std::mt19937 rng(20240601);
  for (int round = 0; round < 500; ++round) {
    auto chunks = RandomSplit(kStream, rng);
    ASSERT_EQ(Parse(chunks), kExpected) << "round " << round;
  }
}

std::string WithLineEnding(const std::string& s, const std::string& eol) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += eol;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TEST(SseParserTest, CrLfLineEndings) {
  std::string crlf = WithLineEnding(kStream, "\r\n");
  EXPECT_EQ(Parse({crlf}), kExpected);
  EXPECT_EQ(Parse(ByteByByte(crlf)), kExpected);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    ASSERT_EQ(Parse(RandomSplit(crlf, rng)), kExpected) << "round " << round;
  }
}

TEST(SseParserTest, CrLineEndings) {
  std::string cr = WithLineEnding(kStream, "\r");
  EXPECT_EQ(Parse({cr}), kExpected);
  EXPECT_EQ(Parse(ByteByByte(cr)), kExpected);
  std::mt19937 rng(8);
  for (int round = 0; round < 300; ++round) {
    ASSERT_EQ(Parse(RandomSplit(cr, rng)), kExpected) << "round " << round;
  }
}

TEST(SseParserTest, MixedLineEndings) {
  std::string mixed = "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r";
  std::vector<Ev> want = {{"", "a\nb\nc", ""}, {"", "d", ""}};
  EXPECT_EQ(Parse({mixed}), want);
  EXPECT_EQ(Parse(ByteByByte(mixed)), want);
}

TEST(SseParserTest, CrLfSplitAcrossChunks) {
  // The '\r' ends one chunk, the '\n' starts the next: one line break, not two.
  std::vector<Ev> want = {{"", "a\nb", ""}};
  EXPECT_EQ(Parse({"data: a\r", "\ndata: b\r", "\n\r", "\n"}), want);
  // An empty chunk between the halves changes nothing.
  EXPECT_EQ(Parse({"data: a\r", "", "\ndata: b\r\n\r", "", "\n"}), want);
  // A lone '\r' at the end of a chunk followed by a non-'\n' byte is a line break on its own.
  EXPECT_EQ(Parse({"data: a\r", "data: b\r", "\r"}), want);
}

TEST(SseParserTest, CommentsIgnored) {
  EXPECT_THAT(Parse({": only a comment\n\n"}), IsEmpty());
  EXPECT_EQ(Parse({":c1\ndata: x\n:c2\n\n"}), (std::vector<Ev>{{"", "x", ""}}));
}

TEST(SseParserTest, EventWithoutDataIsNotEmitted) {
  EXPECT_THAT(Parse({"event: ping\n\n", "id: 5\n\n", "retry: 1000\n\n"}), IsEmpty());
}

TEST(SseParserTest, EventNameResetsBetweenEventsIdPersists) {
  auto evs = Parse({"event: a\nid: 1\ndata: x\n\ndata: y\n\nid: 2\ndata: z\n\n"});
  EXPECT_EQ(evs, (std::vector<Ev>{{"a", "x", "1"}, {"", "y", "1"}, {"", "z", "2"}}));
}

TEST(SseParserTest, UnknownFieldsIgnored) {
  EXPECT_EQ(Parse({"foo: bar\nretry: 10\ndata: x\n\n"}), (std::vector<Ev>{{"", "x", ""}}));
}

TEST(SseParserTest, LastFieldValueWins) {
  EXPECT_EQ(Parse({"event: a\nevent: b\ndata: x\n\n"}), (std::vector<Ev>{{"b", "x", ""}}));
}

TEST(SseParserTest, ValueMayContainColons) {
  EXPECT_EQ(Parse({"data: {\"a\":\"b:c\"}\n\n"}), (std::vector<Ev>{{"", "{\"a\":\"b:c\"}", ""}}));
}

TEST(SseParserTest, UnterminatedEventIsNotEmitted) {
  SseParser p;
  EXPECT_FALSE(p.HasPartialEvent());
  auto evs = FeedAll(p, {"data: x\n"});
  EXPECT_THAT(evs, IsEmpty());
  EXPECT_TRUE(p.HasPartialEvent());
  evs = FeedAll(p, {"\n"});
  EXPECT_EQ(evs, (std::vector<Ev>{{"", "x", ""}}));
  EXPECT_FALSE(p.HasPartialEvent());
  FeedAll(p, {"dat"});
  EXPECT_TRUE(p.HasPartialEvent());
}

TEST(SseParserTest, SizeLimitMakesFeedFail) {
  SseParser p(64);
  bool ok = true;
  auto evs = FeedAll(p, {"data: small\n\n"}, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(evs.size(), 1u);
  // One long line without a newline.
  evs = FeedAll(p, {"data: " + std::string(100, 'x')}, &ok);
  EXPECT_FALSE(ok);
  EXPECT_THAT(evs, IsEmpty());
  // The parser is dead afterwards.
  evs = FeedAll(p, {"\n\ndata: ok\n\n"}, &ok);
  EXPECT_FALSE(ok);
  EXPECT_THAT(evs, IsEmpty());
}

TEST(SseParserTest, SizeLimitCountsManyLinesOfOneEvent) {
  SseParser p(64);
  bool ok = true;
  std::string many;
  for (int i = 0; i < 20; ++i) many += "data: 12345\n";
  FeedAll(p, {many}, &ok);
  EXPECT_FALSE(ok);
}

TEST(SseParserTest, SizeLimitIsPerEvent) {
  SseParser p(64);
  bool ok = true;
  std::vector<std::string> chunks;
  for (int i = 0; i < 100; ++i) chunks.push_back("data: 0123456789012345678901234567890\n\n");
  auto evs = FeedAll(p, chunks, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(evs.size(), 100u);
}

TEST(SseParserTest, SizeLimitWhenFedByteByByte) {
  SseParser p(32);
  bool ok = true;
  FeedAll(p, ByteByByte("data: " + std::string(100, 'y') + "\n\n"), &ok);
  EXPECT_FALSE(ok);
}

TEST(SseFrameTest, SingleLine) {
  EXPECT_EQ(SseFrame("", "{\"a\":1}"), "data: {\"a\":1}\n\n");
  EXPECT_EQ(SseFrame("message_start", "x"), "event: message_start\ndata: x\n\n");
}

TEST(SseFrameTest, MultiLineDataSplitsIntoDataLines) {
  EXPECT_EQ(SseFrame("e", "a\nb\nc"), "event: e\ndata: a\ndata: b\ndata: c\n\n");
  EXPECT_EQ(SseFrame("", "a\n"), "data: a\ndata: \n\n");
}

TEST(SseFrameTest, EmptyData) { EXPECT_EQ(SseFrame("", ""), "data: \n\n"); }

TEST(SseFrameTest, RoundTripsThroughParser) {
  std::vector<Ev> in = {{"", "plain", ""},
                        {"delta", "line 1\nline 2\n\nline 4", ""},
                        {"x", " leading space", ""},
                        {"", "", ""}};
  std::string stream;
  for (const auto& e : in) stream += SseFrame(e.event, e.data);
  stream += SseComment("keep-alive");
  EXPECT_EQ(Parse({stream}), in);
  EXPECT_EQ(Parse(ByteByByte(stream)), in);
}

TEST(SseCommentTest, Format) {
  EXPECT_EQ(SseComment("ping"), ": ping\n\n");
  EXPECT_THAT(Parse({SseComment("ping")}), IsEmpty());
}

}  // namespace
}  // namespace agentgate::protocol
