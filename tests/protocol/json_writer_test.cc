#include "services/protocol/json_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace agentgate::protocol::json {
namespace {

namespace bj = boost::json;

std::string Written(const bj::value& v) {
  std::string out;
  Writer(out).Value(v);
  return out;
}

std::string WrittenString(std::string_view s) {
  std::string out;
  Writer(out).String(s);
  return out;
}

TEST(JsonWriterTest, EscapesEveryByteAsBoostDoes) {
  for (int c = 0; c < 256; ++c) {
    std::string s(1, static_cast<char>(c));
    EXPECT_EQ(WrittenString(s), bj::serialize(bj::value(s))) << "byte " << c;
  }
  // And within longer strings, at every position of a 16-byte block, an 8-byte one and the tail
  // (16 + 8 + 3).
  for (int c = 0; c < 256; ++c) {
    for (size_t at = 0; at < 27; ++at) {
      std::string s(27, 'x');
      s[at] = static_cast<char>(c);
      ASSERT_EQ(WrittenString(s), bj::serialize(bj::value(bj::string(s))))
          << "byte " << c << " at " << at;
    }
  }
  EXPECT_EQ(WrittenString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(WrittenString(std::string("\0\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(WrittenString(R"(a"b\c/d)"), R"("a\"b\\c/d")");
  EXPECT_EQ(WrittenString("\x7f"), "\"\x7f\"");
  EXPECT_EQ(WrittenString(""), R"("")");
}

TEST(JsonWriterTest, PassesUtf8AndInvalidBytesThrough) {
  for (std::string_view s : {"é世😀", "caf\xc3\xa9 \xe2\x82\xac", "\xff\xfe bad \xc3"}) {
    EXPECT_EQ(WrittenString(s), "\"" + std::string(s) + "\"");
    EXPECT_EQ(WrittenString(s), bj::serialize(bj::value(bj::string(s))));
  }
}

// Plain bytes are skipped a block at a time (16 bytes with SSE2, then 8): a byte to escape must be
// found at every position of a block and of the tail after the last whole block.
TEST(JsonWriterTest, FindsEscapesAtEveryPositionOfABlock) {
  for (char special : {'"', '\\', '\n', '\0', '\x1f', '\x01'}) {
    for (size_t len = 1; len <= 40; ++len) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'x');
        s[at] = special;
        if (at + 1 < len) s[at + 1] = '\xc3';  // non-ASCII next to it changes nothing
        EXPECT_EQ(WrittenString(s), bj::serialize(bj::value(bj::string(s))))
            << "byte " << int(special) << " at " << at << " of " << len;
      }
    }
  }
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "line " + std::to_string(i) + "\t\"quoted\"\\\n";
  EXPECT_EQ(WrittenString(long_text), bj::serialize(bj::value(bj::string(long_text))));
}

TEST(JsonWriterTest, RandomBytesAsBoostDoes) {
  std::mt19937 rng(7);
  const std::string pool = std::string("ab \"\\/\n\t\x01\x1f\x7f\x80\xc3\xa9\xff\0", 16);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 70, ' ');
    for (char& c : s) c = rng() % 4 == 0 ? static_cast<char>(rng()) : pool[rng() % pool.size()];
    ASSERT_EQ(WrittenString(s), bj::serialize(bj::value(bj::string(s)))) << i;
  }
}

TEST(JsonWriterTest, StringPiecesAreOneString) {
  std::string out;
  Writer w(out);
  w.BeginArray();
  w.BeginString();
  w.StringPiece("a\n");
  w.StringPiece("");
  w.StringPiece("\"b\"");
  w.EndString();
  w.BeginString();
  w.EndString();
  w.EndArray();
  EXPECT_EQ(out, R"(["a\n\"b\"",""])");
}

TEST(JsonWriterTest, NestsWithCommasWhereBoostPutsThem) {
  std::string out;
  Writer w(out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.String("s");
  w.Null();
  w.Bool(true);
  w.Bool(false);
  w.EndArray();
  w.Key("b");
  w.BeginObject();
  w.Key("c");
  w.BeginObject();
  w.Key("d");
  w.Raw(R"({"e":[1,2]})");
  w.EndObject();
  w.Key("k\"ey\n");
  w.Uint(7);
  w.EndObject();
  w.Key("empty");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  bj::object expected{{"a", bj::array{1, bj::object{}, bj::array{}, "s", nullptr, true, false}},
                      {"b", bj::object{{"c", bj::object{{"d", bj::object{{"e", bj::array{1, 2}}}}}},
                                       {"k\"ey\n", 7u}}},
                      {"empty", bj::array{}}};
  EXPECT_EQ(out, bj::serialize(expected));
}

TEST(JsonWriterTest, WritesNumbersAsBoostDoes) {
  for (int64_t i : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{32000}, int64_t{-1234567890123},
                    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    std::string out;
    Writer(out).Int(i);
    EXPECT_EQ(out, bj::serialize(bj::value(i)));
    EXPECT_EQ(out, std::to_string(i));
  }
  for (uint64_t u : {uint64_t{0}, uint64_t{42}, std::numeric_limits<uint64_t>::max()}) {
    std::string out;
    Writer(out).Uint(u);
    EXPECT_EQ(out, bj::serialize(bj::value(u)));
  }
  for (double d : {0.7, 1e300, 1.0, 0.0, -0.0, -2.5, 0.1 + 0.2, 1e-7, 123456.789, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity()}) {
    std::string out;
    Writer(out).Double(d);
    EXPECT_EQ(out, bj::serialize(bj::value(d))) << d;
  }
  std::string out;
  Writer(out).Double(0.7);
  EXPECT_EQ(bj::parse(out).as_double(), 0.7);
}

TEST(JsonWriterTest, ValuesAreWrittenAsSerializeWritesThem) {
  const char* docs[] = {
      R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object",)"
      R"("properties":{"path":{"type":"string","description":"a/b \u00e9 \"q\" \n"},)"
      R"("n":{"type":"integer","minimum":-5,"maximum":18446744073709551615,"default":0.25}},)"
      R"("required":["path"],"additionalProperties":false,"x":null,"y":[[],{},[{}]]})",
      "[]",
      "{}",
      "null",
      "true",
      "-0",
      "1.5e300",
      R"("\u0000\u001f\u007f")",
  };
  for (const char* doc : docs) {
    bj::value v = bj::parse(doc);
    EXPECT_EQ(Written(v), bj::serialize(v)) << doc;
  }
  // A value as an array element and as a member's value gets its comma like any other.
  std::string out;
  Writer w(out);
  w.BeginArray();
  w.Value(bj::parse(R"({"a":1})"));
  w.Value(bj::parse("[2]"));
  w.EndArray();
  EXPECT_EQ(out, R"([{"a":1},[2]])");
}

}  // namespace
}  // namespace agentgate::protocol::json
