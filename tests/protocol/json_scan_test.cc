#include "services/protocol/json_scan.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/protocol/json_util.h"
#include "tests/fuzz/duplicate_names.h"

namespace agentgate::protocol::json {
namespace {

namespace bj = boost::json;

TEST(ValidateTest, AcceptsWhatParseAccepts) {
  for (std::string_view ok :
       {"{}", "[]", "0", "\"x\"", "null", R"({"a":[1,2.5e3,-0,true,false,null,{"b":"\u00e9"}]})",
        " \n{ \"a\" : 1 }\t", R"("é世😀")"}) {
    EXPECT_TRUE(Validate(ok).ok()) << ok;
    EXPECT_TRUE(Parse(ok).has_value()) << ok;
  }
}

TEST(ValidateTest, RefusesWhatParseRefuses) {
  const std::string bad_utf8 = "\"\xff\"";
  const std::string deep(40, '[');
  for (std::string_view bad :
       {std::string_view(""), std::string_view("{"), std::string_view("{} x"),
        std::string_view("{'a':1}"), std::string_view("[1,]"), std::string_view("{\"a\":1e999}"),
        std::string_view("[1e400]"), std::string_view("nul"), std::string_view("\"a\nb\""),
        std::string_view("// c\n{}"), std::string_view(bad_utf8), std::string_view(deep)}) {
    EXPECT_FALSE(Validate(bad).ok()) << bad;
    EXPECT_FALSE(Parse(bad).has_value()) << bad;
  }
  EXPECT_NE(Validate("[1e999]").message().find("too large"), std::string_view::npos);
}

// Strings are skipped a block at a time (16 bytes with SSE2, 8 without): a byte that needs a
// closer look must be found at every position in a block, and in the short tail after the last.
TEST(ValidateTest, FindsSpecialBytesAtEveryPositionOfABlock) {
  const std::string specials[] = {"\\n", "\\u00e9", "\\\"", "\xc3\xa9", "\xe4\xb8\x96",
                                  "\n",  "\x01",    "\xff", "\xc3",     "\\x"};
  for (const std::string& special : specials) {
    for (size_t before = 0; before < 40; ++before) {
      for (size_t after : {0, 1, 7, 8, 15, 16, 17}) {
        std::string text =
            "\"" + std::string(before, 'a') + special + std::string(after, 'b') + "\"";
        EXPECT_EQ(Validate(text).ok(), Parse(text).has_value()) << text;
        std::string unterminated = text.substr(0, text.size() - 1);
        EXPECT_FALSE(Validate(unterminated).ok()) << unterminated;
      }
    }
  }
}

TEST(TopLevelMembersTest, FindsMembersPastTrickyValues) {
  const std::string t =
      R"( { "a" : "x\"}{[" , "b":{"c":[1,{"d":"]"}]},"e":[],"f":-1.5e3,"g":true,"h":null } )";
  auto m = TopLevelMembers(t);
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), 6u);
  EXPECT_EQ((*m)[0].key, "a");
  EXPECT_EQ((*m)[0].value(t), R"("x\"}{[")");
  EXPECT_EQ((*m)[0].kind, Kind::kString);
  EXPECT_EQ((*m)[1].value(t), R"({"c":[1,{"d":"]"}]})");
  EXPECT_EQ((*m)[1].kind, Kind::kObject);
  EXPECT_EQ((*m)[2].kind, Kind::kArray);
  EXPECT_EQ((*m)[3].value(t), "-1.5e3");
  EXPECT_EQ((*m)[3].kind, Kind::kNumber);
  EXPECT_EQ((*m)[4].kind, Kind::kBool);
  EXPECT_EQ((*m)[5].kind, Kind::kNull);
  EXPECT_EQ(TopLevelMembers("{}")->size(), 0u);
}

TEST(TopLevelMembersTest, NotAnObjectOrBrokenIsNullopt) {
  for (std::string_view t : {"[]", "\"{}\"", "", "{", "{\"a\"", "{\"a\":", "{\"a\":1,", "{\"a\" 1}",
                             "{\"a\":\"unterminated}", "{\"a\":[1,2}"}) {
    EXPECT_FALSE(TopLevelMembers(t).has_value()) << t;
  }
}

TEST(SetTopLevelStringTest, ReplacesTheTopLevelMemberOrAddsItFirst) {
  std::string t = R"({"model":"a","x":{"model":"inner"},"y":1})";
  auto m = TopLevelMembers(t);
  EXPECT_EQ(SetTopLevelString(t, *m, "model", "z"), R"({"model":"z","x":{"model":"inner"},"y":1})");
  std::string none = R"({"x":1})";
  EXPECT_EQ(SetTopLevelString(none, *TopLevelMembers(none), "model", "q\"\n"),
            R"({"model":"q\"\n","x":1})");
  std::string empty = " {} ";
  EXPECT_EQ(SetTopLevelString(empty, *TopLevelMembers(empty), "model", "m"), R"( {"model":"m"} )");
}

TEST(SpliceTopLevelStringTest, OneOccurrenceLeavesTheRestWhereItIs) {
  std::string t = R"({"stream":true,"model":"a","messages":[]})";
  Spliced s = SpliceTopLevelString(t, *TopLevelMembers(t), "model", "z");
  EXPECT_EQ(s.head.data(), t.data());  // views of the original, not copies
  EXPECT_EQ(s.head, R"({"stream":true,"model":)");
  EXPECT_EQ(s.middle, R"("z")");
  EXPECT_EQ(s.tail, R"(,"messages":[]})");
  EXPECT_EQ(s.tail.data() + s.tail.size(), t.data() + t.size());
  EXPECT_EQ(s.size(), s.Join().size());
  // Added first: the brace before, the member, the rest after.
  std::string none = R"({"x":1})";
  Spliced added = SpliceTopLevelString(none, *TopLevelMembers(none), "model", "m");
  EXPECT_EQ(added.head, "{");
  EXPECT_EQ(added.middle, R"("model":"m",)");
  EXPECT_EQ(added.tail, R"("x":1})");
}

TEST(SetTopLevelStringTest, SameResultAsRebuildingTheObject) {
  const char* bodies[] = {
      R"({"model":"gpt","messages":[{"role":"user","content":"a \\ b \" c"}],"stream":true})",
      R"({"messages":[],"tools":[{"type":"function","function":{"name":"f"}}]})",
      R"({ "model" : 42 , "n" : [ ] })",
  };
  for (const char* b : bodies) {
    std::string out = ReplaceModel(b, "upstream-model");
    bj::value want = bj::parse(b);
    want.as_object()["model"] = "upstream-model";
    EXPECT_EQ(bj::parse(out), want) << b;
  }
}

// Two members of one name in any object are refused, compared as the names decode: a reader
// that keeps the first and one that keeps the last would see two different requests.
TEST(DuplicateNamesTest, RefusedAtEveryLevelAfterUnescaping) {
  const std::string cases[] = {
      R"({"model":"a","model":"b"})",
      R"({"model":"cheap","mod\u0065l":"gpt-expensive"})",
      R"({"messages":[{"role":"user","content":"hi"}],"mess\u0061ges":0})",
      R"({"a":{"b":1,"\u0062":2}})",
      R"({"a":[{"x":1},{"y":1,"y":2}]})",
      R"([{"k":1,"k":1}])",
      R"({"\/":1,"/":2})",
      R"({"\ud83d\ude00":1,"😀":2})",
      R"({"":1,"":2})",
      R"({"é":1,"\u00e9":2})",
      R"({"a\nb":1,"a\u000ab":2})",
  };
  for (const std::string& t : cases) {
    absl::Status st = Validate(t);
    EXPECT_FALSE(st.ok()) << t;
    EXPECT_NE(st.message().find("duplicate member name"), std::string_view::npos) << t;
    EXPECT_FALSE(Parse(t).has_value()) << t;
    EXPECT_FALSE(ParseStrict(t).ok()) << t;
    EXPECT_EQ(testing::HasDuplicateNames(t), 1) << t;  // the reference agrees
  }
  EXPECT_EQ(ValidateObject(R"({"model":"cheap","mod\u0065l":"x"})").status().message(),
            "request body has a duplicate member name \"model\": each name may appear only once "
            "in a JSON object");
}

TEST(DuplicateNamesTest, DistinctNamesPass) {
  const std::string cases[] = {
      R"({"a":1,"A":2,"a ":3,"\u0061b":4})", R"({"x":{"k":1},"y":{"k":1},"k":[{"k":1},{"k":2}]})",
      R"({"\ud83d\ude00":1,"\ud83d\ude01":2})",
      R"({"e\u0301":1,"é":2})",  // different code points, however they look
  };
  for (const std::string& t : cases) {
    EXPECT_TRUE(Validate(t).ok()) << t << ": " << Validate(t).message();
    EXPECT_EQ(testing::HasDuplicateNames(t), 0) << t;
  }
}

// Objects with many members are checked too (sorted when they close), without quadratic work.
TEST(DuplicateNamesTest, LargeObjects) {
  std::string unique = "{", repeated = "{";
  for (int i = 0; i < 5000; ++i) {
    std::string member = "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    unique += member;
    repeated += member;
  }
  unique += "\"last\":0}";
  repeated += "\"k\\u0031234\":0}";  // "k1234" again, escaped, as the 5001st member
  EXPECT_TRUE(Validate(unique).ok());
  absl::Status st = Validate(repeated);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("\"k1234\""), std::string_view::npos) << st.message();
  // A nested object closes and its names are forgotten: the same names again are fine.
  EXPECT_TRUE(Validate(R"({"a":{"k":1,"j":2},"b":{"k":1,"j":2},"k":0,"j":0})").ok());
}

}  // namespace
}  // namespace agentgate::protocol::json
