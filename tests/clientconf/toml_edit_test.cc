#include "services/clientconf/toml_edit.h"

#include <gtest/gtest.h>

namespace agentgate::clientconf {
namespace {

TomlDoc MustParse(const std::string& text) {
  auto doc = TomlDoc::Parse(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return *doc;
}

const TomlDoc::Path kRoot = {};
const TomlDoc::Path kOurs = {"model_providers", "agentgate"};

TEST(TomlEdit, ReadsStatementsOfEveryKind) {
  TomlDoc doc = MustParse(
      "# top comment\n"
      "model = \"o3\"  # the model\n"
      "approval_policy = 'on-request'\n"
      "notify = [\n"
      "  \"notify-send\", # a comment inside\n"
      "  \"Codex\",\n"
      "]\n"
      "instructions = \"\"\"\n"
      "Be brief. [not a table]\n"
      "model = \"not a key\"\n"
      "\"\"\"\n"
      "\n"
      "[model_providers.ollama]\n"
      "name = \"Ollama\"\n"
      "base_url = \"http://localhost:11434/v1\"\n"
      "http_headers = { \"X-Test\" = \"1\" }\n"
      "\n"
      "[[profiles.list]]\n"
      "x = 1\n");
  EXPECT_EQ(doc.GetString(kRoot, "model"), "o3");
  EXPECT_EQ(doc.GetRaw(kRoot, "model"), "\"o3\"");
  EXPECT_EQ(doc.GetString(kRoot, "approval_policy"), "on-request");
  EXPECT_EQ(doc.GetRaw(kRoot, "notify"),
            "[\n  \"notify-send\", # a comment inside\n  \"Codex\",\n]");
  EXPECT_EQ(doc.GetString(kRoot, "instructions"),
            "Be brief. [not a table]\nmodel = \"not a key\"\n");
  EXPECT_EQ(doc.GetString({"model_providers", "ollama"}, "base_url"), "http://localhost:11434/v1");
  EXPECT_EQ(doc.GetRaw({"model_providers", "ollama"}, "http_headers"), "{ \"X-Test\" = \"1\" }");
  EXPECT_FALSE(doc.GetRaw(kRoot, "name"));
  EXPECT_TRUE(doc.HasTable({"model_providers", "ollama"}));
  EXPECT_FALSE(doc.HasTable(kOurs));
}

TEST(TomlEdit, QuotedKeysAndEscapes) {
  TomlDoc doc = MustParse(
      "[model_providers.\"my provider\"]\n"
      "name = \"caf\\u00e9 \\\"x\\\"\"\n"
      "'literal key' = 'C:\\path'\n");
  EXPECT_EQ(doc.GetString({"model_providers", "my provider"}, "name"), "café \"x\"");
  EXPECT_EQ(doc.GetString({"model_providers", "my provider"}, "literal key"), "C:\\path");
}

TEST(TomlEdit, RejectsBrokenDocuments) {
  EXPECT_FALSE(TomlDoc::Parse("model = \"unterminated\n").ok());
  EXPECT_FALSE(TomlDoc::Parse("x = [1, 2\n").ok());
  EXPECT_FALSE(TomlDoc::Parse("[table\n").ok());
  EXPECT_FALSE(TomlDoc::Parse("just words\n").ok());
  EXPECT_FALSE(TomlDoc::Parse("x = \"\"\"never closed\n").ok());
  auto st = TomlDoc::Parse("a = 1\nb = 2\nc = \"oops\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("line 3"), std::string::npos) << st.status();
}

TEST(TomlEdit, ReplacesOnlyTheValueKeepingTheComment) {
  TomlDoc doc = MustParse("model_provider = \"openai\"   # default\nmodel = \"o3\"\n");
  ASSERT_TRUE(doc.SetString(kRoot, "model_provider", "agentgate").ok());
  EXPECT_EQ(doc.text(), "model_provider = \"agentgate\"   # default\nmodel = \"o3\"\n");
}

TEST(TomlEdit, ReplacesAMultiLineValue) {
  TomlDoc doc = MustParse("notify = [\n  \"a\",\n  \"b\",\n]\nafter = 1\n");
  ASSERT_TRUE(doc.SetRaw(kRoot, "notify", "[\"c\"]").ok());
  EXPECT_EQ(doc.text(), "notify = [\"c\"]\nafter = 1\n");
}

TEST(TomlEdit, AddsRootKeysAfterTheLastRootKey) {
  TomlDoc doc = MustParse(
      "# Codex settings\n"
      "model = \"o3\"\n"
      "\n"
      "# Providers\n"
      "[model_providers.ollama]\n"
      "name = \"Ollama\"\n");
  ASSERT_TRUE(doc.SetString(kRoot, "model_provider", "agentgate").ok());
  EXPECT_EQ(doc.text(),
            "# Codex settings\n"
            "model = \"o3\"\n"
            "model_provider = \"agentgate\"\n"
            "\n"
            "# Providers\n"
            "[model_providers.ollama]\n"
            "name = \"Ollama\"\n");
}

TEST(TomlEdit, AddsRootKeysBeforeTheFirstTableAndItsComments) {
  TomlDoc doc = MustParse("# intro\n\n# about ollama\n[model_providers.ollama]\nname = \"O\"\n");
  ASSERT_TRUE(doc.SetString(kRoot, "model_provider", "agentgate").ok());
  EXPECT_EQ(doc.text(),
            "# intro\n\nmodel_provider = \"agentgate\"\n\n# about ollama\n"
            "[model_providers.ollama]\nname = \"O\"\n");
  EXPECT_EQ(doc.GetString(kRoot, "model_provider"), "agentgate");
  EXPECT_EQ(doc.GetString({"model_providers", "ollama"}, "name"), "O");
}

TEST(TomlEdit, AddsATableAtTheEnd) {
  TomlDoc doc = MustParse("model = \"o3\"");  // no final newline
  ASSERT_TRUE(doc.SetString(kOurs, "name", "AgentGate").ok());
  ASSERT_TRUE(doc.SetString(kOurs, "base_url", "http://127.0.0.1:9090/v1").ok());
  EXPECT_EQ(doc.text(),
            "model = \"o3\"\n\n[model_providers.agentgate]\nname = \"AgentGate\"\n"
            "base_url = \"http://127.0.0.1:9090/v1\"\n");
}

TEST(TomlEdit, AddsKeysToAnExistingTableBeforeTheNextOne) {
  TomlDoc doc = MustParse(
      "[model_providers.agentgate]\n"
      "name = \"old\"\n"
      "request_max_retries = 2 # mine\n"
      "\n"
      "[profiles.fast]\n"
      "model = \"m\"\n");
  ASSERT_TRUE(doc.SetString(kOurs, "wire_api", "responses").ok());
  ASSERT_TRUE(doc.SetString(kOurs, "name", "AgentGate").ok());
  EXPECT_EQ(doc.text(),
            "[model_providers.agentgate]\n"
            "name = \"AgentGate\"\n"
            "request_max_retries = 2 # mine\n"
            "wire_api = \"responses\"\n"
            "\n"
            "[profiles.fast]\n"
            "model = \"m\"\n");
}

TEST(TomlEdit, CrlfStaysCrlf) {
  TomlDoc doc = MustParse("model = \"o3\"\r\n\r\n[tui]\r\nnotifications = true\r\n");
  ASSERT_TRUE(doc.SetString(kRoot, "model_provider", "agentgate").ok());
  ASSERT_TRUE(doc.SetString(kOurs, "name", "AgentGate").ok());
  EXPECT_EQ(doc.text(),
            "model = \"o3\"\r\nmodel_provider = \"agentgate\"\r\n\r\n[tui]\r\nnotifications = "
            "true\r\n\r\n[model_providers.agentgate]\r\nname = \"AgentGate\"\r\n");
  EXPECT_EQ(doc.GetString({"tui"}, "notifications"), std::nullopt);
  EXPECT_EQ(doc.GetRaw({"tui"}, "notifications"), "true");
}

TEST(TomlEdit, EmptyDocument) {
  TomlDoc doc = MustParse("");
  ASSERT_TRUE(doc.SetString(kRoot, "model_provider", "agentgate").ok());
  ASSERT_TRUE(doc.SetString(kOurs, "name", "AgentGate").ok());
  EXPECT_EQ(
      doc.text(),
      "model_provider = \"agentgate\"\n\n[model_providers.agentgate]\nname = \"AgentGate\"\n");
}

TEST(TomlEdit, RemovesWholeLines) {
  TomlDoc doc = MustParse("a = 1\nenv_key = \"X\" # c\nb = [\n 1,\n]\nlast = 2");
  ASSERT_TRUE(doc.Remove(kRoot, "env_key").ok());
  ASSERT_TRUE(doc.Remove(kRoot, "b").ok());
  EXPECT_EQ(doc.text(), "a = 1\nlast = 2");
  ASSERT_TRUE(doc.Remove(kRoot, "last").ok());
  EXPECT_EQ(doc.text(), "a = 1");
  ASSERT_TRUE(doc.Remove(kRoot, "absent").ok());
  EXPECT_EQ(doc.text(), "a = 1");
}

TEST(TomlEdit, RemovesAnEmptyTable) {
  TomlDoc doc = MustParse("x = 1\n\n[model_providers.agentgate]\nname = \"A\"\n");
  ASSERT_TRUE(doc.Remove(kOurs, "name").ok());
  EXPECT_TRUE(doc.TableIsEmpty(kOurs));
  ASSERT_TRUE(doc.RemoveEmptyTable(kOurs).ok());
  EXPECT_EQ(doc.text(), "x = 1\n");

  TomlDoc mid = MustParse("[a]\nk = 1\n\n[model_providers.agentgate]\n\n[b]\nk = 2\n");
  ASSERT_TRUE(mid.RemoveEmptyTable(kOurs).ok());
  EXPECT_EQ(mid.text(), "[a]\nk = 1\n\n[b]\nk = 2\n");

  TomlDoc kept = MustParse("[model_providers.agentgate]\n# a note\n");
  EXPECT_FALSE(kept.TableIsEmpty(kOurs));
  ASSERT_TRUE(kept.RemoveEmptyTable(kOurs).ok());
  EXPECT_EQ(kept.text(), "[model_providers.agentgate]\n# a note\n");
}

TEST(TomlEdit, RefusesKeysDefinedOtherwise) {
  // An inline table, dotted keys from the root, dotted keys in the parent table.
  for (const char* text : {
           "model_providers.agentgate = { name = \"x\" }\n",
           "model_providers.agentgate.name = \"x\"\n",
           "[model_providers]\nagentgate = { name = \"x\", base_url = \"y\" }\n",
           "[model_providers]\nagentgate.name = \"x\"\n",
           "model_providers = { agentgate = { name = \"x\" } }\n",
       }) {
    TomlDoc doc = MustParse(text);
    absl::Status st = doc.SetString(kOurs, "base_url", "http://x/v1");
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << text;
    EXPECT_EQ(doc.text(), text);
  }
  // Sub-tables and other providers are fine.
  TomlDoc ok = MustParse(
      "[model_providers.agentgate.http_headers]\nX = \"1\"\n[model_providers.other]\nname = "
      "\"o\"\n");
  EXPECT_TRUE(ok.SetString(kOurs, "name", "AgentGate").ok());
  EXPECT_EQ(ok.GetString(kOurs, "name"), "AgentGate");
}

TEST(TomlEdit, UnicodeAndByteOrderMark) {
  TomlDoc doc = MustParse("\xEF\xBB\xBF# 设置 ✓\nmodel = \"模型\"\n");
  EXPECT_EQ(doc.GetString(kRoot, "model"), "模型");
  ASSERT_TRUE(doc.SetString(kRoot, "model", "m-ü").ok());
  EXPECT_EQ(doc.text(), "\xEF\xBB\xBF# 设置 ✓\nmodel = \"m-ü\"\n");
}

TEST(TomlEdit, Quote) {
  EXPECT_EQ(TomlDoc::Quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  EXPECT_EQ(TomlDoc::FormatKey("agentgate"), "agentgate");
  EXPECT_EQ(TomlDoc::FormatKey("my provider"), "\"my provider\"");
}

}  // namespace
}  // namespace agentgate::clientconf
