#include "services/clientconf/json_edit.h"

#include <gtest/gtest.h>

namespace agentgate::clientconf {
namespace {

JsonDoc MustParse(const std::string& text) {
  auto doc = JsonDoc::Parse(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return *doc;
}

boost::json::value Str(const char* s) { return boost::json::value(s); }

TEST(JsonEdit, SetsAnExistingMemberInPlace) {
  JsonDoc doc = MustParse(
      "{\n"
      "  \"model\": \"opus\",\n"
      "  \"env\": {\n"
      "    \"ANTHROPIC_BASE_URL\": \"https://api.anthropic.com\",\n"
      "    \"OTHER\": \"1\"\n"
      "  }\n"
      "}\n");
  ASSERT_TRUE(doc.Set({"env", "ANTHROPIC_BASE_URL"}, Str("http://127.0.0.1:9090")).ok());
  EXPECT_EQ(doc.text(),
            "{\n"
            "  \"model\": \"opus\",\n"
            "  \"env\": {\n"
            "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:9090\",\n"
            "    \"OTHER\": \"1\"\n"
            "  }\n"
            "}\n");
}

TEST(JsonEdit, AddsAMemberAfterTheLastOneWithItsIndent) {
  JsonDoc doc = MustParse(
      "{\n"
      "    \"permissions\": {\"allow\": [\"Bash(ls)\"]},\n"
      "    \"env\": {\n"
      "        \"A\": \"1\"\n"
      "    }\n"
      "}");
  ASSERT_TRUE(doc.Set({"env", "ANTHROPIC_AUTH_TOKEN"}, Str("tok")).ok());
  ASSERT_TRUE(doc.Set({"model"}, Str("m")).ok());
  EXPECT_EQ(doc.text(),
            "{\n"
            "    \"permissions\": {\"allow\": [\"Bash(ls)\"]},\n"
            "    \"env\": {\n"
            "        \"A\": \"1\",\n"
            "        \"ANTHROPIC_AUTH_TOKEN\": \"tok\"\n"
            "    },\n"
            "    \"model\": \"m\"\n"
            "}");
}

TEST(JsonEdit, CreatesNestedObjects) {
  JsonDoc doc = MustParse("{\n  \"theme\": \"dark\"\n}\n");
  ASSERT_TRUE(doc.Set({"security", "auth", "selectedType"}, Str("gemini-api-key")).ok());
  EXPECT_EQ(doc.text(),
            "{\n"
            "  \"theme\": \"dark\",\n"
            "  \"security\": {\n"
            "    \"auth\": {\n"
            "      \"selectedType\": \"gemini-api-key\"\n"
            "    }\n"
            "  }\n"
            "}\n");
  EXPECT_EQ(doc.GetString({"security", "auth", "selectedType"}), "gemini-api-key");
}

TEST(JsonEdit, EmptyFileAndEmptyObject) {
  JsonDoc empty = MustParse("");
  ASSERT_TRUE(empty.Set({"env", "A"}, Str("1")).ok());
  EXPECT_EQ(empty.text(), "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}\n");

  JsonDoc braces = MustParse("{}");
  ASSERT_TRUE(braces.Set({"env", "A"}, Str("1")).ok());
  EXPECT_EQ(braces.text(), "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}");

  JsonDoc inner = MustParse("{\n  \"env\": {},\n  \"x\": 1\n}\n");
  ASSERT_TRUE(inner.Set({"env", "A"}, Str("1")).ok());
  EXPECT_EQ(inner.text(), "{\n  \"env\": {\n    \"A\": \"1\"\n  },\n  \"x\": 1\n}\n");
}

TEST(JsonEdit, OneLineDocumentsStayOnOneLine) {
  JsonDoc doc = MustParse("{\"a\":1,\"env\":{\"B\":\"2\"}}");
  ASSERT_TRUE(doc.Set({"env", "C"}, Str("3")).ok());
  ASSERT_TRUE(doc.Set({"d", "e"}, Str("4")).ok());
  EXPECT_EQ(doc.text(), "{\"a\":1,\"env\":{\"B\":\"2\", \"C\": \"3\"}, \"d\": {\"e\": \"4\"}}");
  ASSERT_TRUE(doc.Remove({"env", "C"}).ok());
  ASSERT_TRUE(doc.Remove({"d"}).ok());
  EXPECT_EQ(doc.text(), "{\"a\":1,\"env\":{\"B\":\"2\"}}");
}

TEST(JsonEdit, KeepsCommentsAndTrailingCommas) {
  const std::string text =
      "// OpenCode config\n"
      "{\n"
      "  \"$schema\": \"https://opencode.ai/config.json\",\n"
      "  /* providers */\n"
      "  \"provider\": {\n"
      "    \"ollama\": { \"npm\": \"@ai-sdk/openai-compatible\" }, // local\n"
      "  },\n"
      "  \"mcp\": {\"fs\": {\"type\": \"local\", \"command\": [\"mcp-fs\"]}} // tools\n"
      "}\n";
  JsonDoc doc = MustParse(text);
  EXPECT_TRUE(doc.has_comments());
  ASSERT_TRUE(doc.Set({"provider", "agentgate", "npm"}, Str("x")).ok());
  ASSERT_TRUE(doc.Set({"model"}, Str("agentgate/m")).ok());
  EXPECT_EQ(doc.text(),
            "// OpenCode config\n"
            "{\n"
            "  \"$schema\": \"https://opencode.ai/config.json\",\n"
            "  /* providers */\n"
            "  \"provider\": {\n"
            "    \"ollama\": { \"npm\": \"@ai-sdk/openai-compatible\" }, // local\n"
            "    \"agentgate\": {\n"
            "      \"npm\": \"x\"\n"
            "    },\n"
            "  },\n"
            "  \"mcp\": {\"fs\": {\"type\": \"local\", \"command\": [\"mcp-fs\"]}}, // tools\n"
            "  \"model\": \"agentgate/m\"\n"
            "}\n");
  ASSERT_TRUE(doc.Remove({"model"}).ok());
  ASSERT_TRUE(doc.Remove({"provider", "agentgate"}).ok());
  EXPECT_EQ(doc.text(),
            "// OpenCode config\n"
            "{\n"
            "  \"$schema\": \"https://opencode.ai/config.json\",\n"
            "  /* providers */\n"
            "  \"provider\": {\n"
            "    \"ollama\": { \"npm\": \"@ai-sdk/openai-compatible\" }, // local\n"
            "  },\n"
            "  \"mcp\": {\"fs\": {\"type\": \"local\", \"command\": [\"mcp-fs\"]}} // tools\n"
            "}\n");
}

TEST(JsonEdit, RemoveTakesTheCommaThatWouldDangle) {
  JsonDoc doc = MustParse("{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n");
  ASSERT_TRUE(doc.Remove({"c"}).ok());
  EXPECT_EQ(doc.text(), "{\n  \"a\": 1,\n  \"b\": 2\n}\n");
  ASSERT_TRUE(doc.Remove({"a"}).ok());
  EXPECT_EQ(doc.text(), "{\n  \"b\": 2\n}\n");
  ASSERT_TRUE(doc.Remove({"b"}).ok());
  EXPECT_EQ(doc.text(), "{\n}\n");
  ASSERT_TRUE(doc.Remove({"absent", "x"}).ok());
  EXPECT_EQ(doc.ObjectSize({}), 0u);
}

TEST(JsonEdit, CrlfUnicodeAndEscapes) {
  JsonDoc doc = MustParse("{\r\n  \"名前\": \"値 ✓\",\r\n  \"q\": \"a\\\"b\"\r\n}");
  EXPECT_EQ(doc.GetString({"名前"}), "値 ✓");
  EXPECT_EQ(doc.GetString({"q"}), "a\"b");
  ASSERT_TRUE(doc.Set({"env", "K"}, Str("v\"ü")).ok());
  EXPECT_EQ(doc.text(),
            "{\r\n  \"名前\": \"値 ✓\",\r\n  \"q\": \"a\\\"b\",\r\n  \"env\": {\r\n    \"K\": "
            "\"v\\\"ü\"\r\n  }\r\n}");
}

TEST(JsonEdit, ObjectValuesAreFormattedToFit) {
  JsonDoc doc = MustParse("{\n\t\"x\": 1\n}\n");
  boost::json::object models{{"m1", boost::json::object()}, {"m2", boost::json::object()}};
  ASSERT_TRUE(doc.Set({"models"}, models).ok());
  EXPECT_EQ(doc.text(),
            "{\n\t\"x\": 1,\n\t\"models\": {\n\t\t\"m1\": {},\n\t\t\"m2\": {}\n\t}\n}\n");
  ASSERT_TRUE(doc.Set({"models"}, boost::json::object{{"m3", boost::json::object()}}).ok());
  EXPECT_EQ(doc.text(), "{\n\t\"x\": 1,\n\t\"models\": {\n\t\t\"m3\": {}\n\t}\n}\n");
}

TEST(JsonEdit, RefusesWhatItCannotEdit) {
  EXPECT_FALSE(JsonDoc::Parse("{\"a\": }").ok());
  EXPECT_FALSE(JsonDoc::Parse("[1, 2]").ok());
  EXPECT_FALSE(JsonDoc::Parse("{\"a\": 1} extra").ok());
  auto bad = JsonDoc::Parse("{\n  \"a\": 1,\n  \"b\": nope\n}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status();
  JsonDoc doc = MustParse("{\"env\": \"not an object\"}");
  EXPECT_EQ(doc.Set({"env", "A"}, Str("1")).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(doc.text(), "{\"env\": \"not an object\"}");
}

TEST(JsonEdit, SetRawCopiesTextAsIs) {
  JsonDoc doc = MustParse("{\n  \"a\": 1\n}\n");
  ASSERT_TRUE(doc.SetRaw({"b"}, "[1, /* two */ 2]").ok());
  EXPECT_EQ(doc.GetRaw({"b"}), "[1, /* two */ 2]");
  auto v = doc.Get({"b"});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_array().size(), 2u);
}

TEST(JsonEdit, OnlyCommentsIsNoRootYet) {
  JsonDoc doc = MustParse("// nothing here yet\n");
  EXPECT_FALSE(doc.ObjectSize({}));
  ASSERT_TRUE(doc.Set({"a"}, Str("b")).ok());
  EXPECT_EQ(doc.text(), "// nothing here yet\n{\n  \"a\": \"b\"\n}\n");
}

}  // namespace
}  // namespace agentgate::clientconf
