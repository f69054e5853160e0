#include "services/toolbox/mcp_clients.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "services/clientconf/json_edit.h"
#include "services/toolbox/rules.h"

namespace agentgate::toolbox {
namespace {

admin::v1::McpServer Stdio() {
  admin::v1::McpServer s;
  s.set_name("github");
  s.set_command("npx");
  s.add_args("-y");
  s.add_args("@modelcontextprotocol/server-github");
  auto* e = s.add_env();
  e->set_name("GITHUB_TOKEN");
  e->set_value("ghp_x\"y\\z");
  EXPECT_TRUE(NormalizeMcpServer(s).ok());
  return s;
}

admin::v1::McpServer Remote(admin::v1::McpTransport t = admin::v1::MCP_TRANSPORT_HTTP) {
  admin::v1::McpServer s;
  s.set_name("docs");
  s.set_url("https://mcp.example.com/mcp");
  s.set_transport(t);
  auto* h = s.add_headers();
  h->set_name("Authorization");
  h->set_value("Bearer abc");
  EXPECT_TRUE(NormalizeMcpServer(s).ok());
  return s;
}

std::string Write(const std::string& client, const std::string& before,
                  const std::vector<admin::v1::McpServer>& servers) {
  std::vector<clientconf::Setting> settings;
  for (const auto& s : servers) {
    auto e = EncodeMcpServer(client, s);
    EXPECT_FALSE(e.unsupported) << client << " " << s.name();
    settings.insert(settings.end(), e.settings.begin(), e.settings.end());
  }
  auto out = clientconf::ApplySettings(
      client == "codex" ? clientconf::FileFormat::kToml : clientconf::FileFormat::kJson, before,
      settings);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.value_or("");
}

bool Same(const admin::v1::McpServer& a, const admin::v1::McpServer& b) {
  admin::v1::McpServer x = a, y = b;
  for (auto* s : {&x, &y}) {
    s->clear_origin();
    s->clear_updated_ms();
  }
  return google::protobuf::util::MessageDifferencer::Equals(x, y);
}

TEST(McpClientsTest, CodexGetsATableWithInlineValues) {
  const std::string out = Write("codex", "model = \"o3\"\n", {Stdio(), Remote()});
  EXPECT_EQ(out,
            "model = \"o3\"\n"
            "\n[mcp_servers.github]\n"
            "command = \"npx\"\n"
            "args = [\"-y\", \"@modelcontextprotocol/server-github\"]\n"
            "env = { GITHUB_TOKEN = \"ghp_x\\\"y\\\\z\" }\n"
            "\n[mcp_servers.docs]\n"
            "url = \"https://mcp.example.com/mcp\"\n"
            "http_headers = { Authorization = \"Bearer abc\" }\n");
}

TEST(McpClientsTest, EachJsonClientGetsItsOwnShape) {
  auto entry = [](const std::string& client, const admin::v1::McpServer& s) {
    auto doc = clientconf::JsonDoc::Parse(Write(client, "", {s}));
    return boost::json::serialize(*doc->Get(McpEntryPath(client, s.name())));
  };
  EXPECT_EQ(
      entry("claude", Stdio()),
      R"({"type":"stdio","command":"npx","args":["-y","@modelcontextprotocol/server-github"],"env":{"GITHUB_TOKEN":"ghp_x\"y\\z"}})");
  EXPECT_EQ(
      entry("claude", Remote()),
      R"({"type":"http","url":"https://mcp.example.com/mcp","headers":{"Authorization":"Bearer abc"}})");
  EXPECT_EQ(
      entry("claude", Remote(admin::v1::MCP_TRANSPORT_SSE)),
      R"({"type":"sse","url":"https://mcp.example.com/mcp","headers":{"Authorization":"Bearer abc"}})");
  EXPECT_EQ(
      entry("gemini", Stdio()),
      R"({"command":"npx","args":["-y","@modelcontextprotocol/server-github"],"env":{"GITHUB_TOKEN":"ghp_x\"y\\z"}})");
  EXPECT_EQ(
      entry("gemini", Remote()),
      R"({"url":"https://mcp.example.com/mcp","type":"http","headers":{"Authorization":"Bearer abc"}})");
  EXPECT_EQ(
      entry("gemini", Remote(admin::v1::MCP_TRANSPORT_SSE)),
      R"({"url":"https://mcp.example.com/mcp","type":"sse","headers":{"Authorization":"Bearer abc"}})");
  EXPECT_EQ(
      entry("opencode", Stdio()),
      R"({"type":"local","command":["npx","-y","@modelcontextprotocol/server-github"],"environment":{"GITHUB_TOKEN":"ghp_x\"y\\z"},"enabled":true})");
  EXPECT_EQ(
      entry("opencode", Remote()),
      R"({"type":"remote","url":"https://mcp.example.com/mcp","headers":{"Authorization":"Bearer abc"},"enabled":true})");
}

TEST(McpClientsTest, WhatAClientCannotHoldIsNamed) {
  auto sse = EncodeMcpServer("codex", Remote(admin::v1::MCP_TRANSPORT_SSE));
  EXPECT_TRUE(sse.unsupported);
  ASSERT_EQ(sse.losses.size(), 1u);
  EXPECT_NE(sse.losses[0].find("SSE"), std::string::npos);
  admin::v1::McpServer with_cwd = Stdio();
  with_cwd.set_cwd("/srv/project");
  EXPECT_TRUE(EncodeMcpServer("codex", with_cwd).losses.empty());
  EXPECT_TRUE(EncodeMcpServer("gemini", with_cwd).losses.empty());
  EXPECT_TRUE(EncodeMcpServer("opencode", with_cwd).losses.empty());
  EXPECT_EQ(EncodeMcpServer("claude", with_cwd).losses.size(), 1u);  // Claude Code drops it
}

TEST(McpClientsTest, WhatIsWrittenReadsBackTheSame) {
  admin::v1::McpServer with_cwd = Stdio();
  with_cwd.set_cwd("/srv/project");
  for (const std::string client : {"codex", "claude", "gemini", "opencode"}) {
    std::vector<admin::v1::McpServer> servers = {client == "claude" ? Stdio() : with_cwd, Remote()};
    if (client != "codex") {
      admin::v1::McpServer sse = Remote(admin::v1::MCP_TRANSPORT_SSE);
      sse.set_name("events");
      // OpenCode's remote servers are one kind (it tries streamable HTTP, then SSE).
      if (client != "opencode") servers.push_back(sse);
    }
    auto read = DecodeMcpServers(client, Write(client, "", servers));
    ASSERT_TRUE(read.ok()) << client << read.status();
    EXPECT_TRUE(read->skipped.empty()) << client;
    ASSERT_EQ(read->servers.size(), servers.size()) << client;
    for (size_t i = 0; i < servers.size(); ++i) {
      EXPECT_TRUE(Same(read->servers[i], servers[i])) << client << "\n"
                                                      << read->servers[i].DebugString() << "\n"
                                                      << servers[i].DebugString();
      EXPECT_EQ(read->servers[i].origin(), "imported from " + client);
    }
  }
}

TEST(McpClientsTest, CodexEntriesWrittenByCodexAreRead) {
  // `codex mcp add` writes sub-tables for the environment.
  const std::string toml =
      "[mcp_servers.fs]\n"
      "command = \"mcp-fs\"\n"
      "args = [\n  \"/tmp\", # where\n  'literal\\path',\n]\n"
      "startup_timeout_sec = 20\n"
      "\n[mcp_servers.fs.env]\nROOT = \"/tmp\"\n"
      "\n[mcp_servers.off]\ncommand = \"x\"\nenabled = false\n"
      "\n[mcp_servers.figma]\nurl = \"https://mcp.figma.com/mcp\"\nbearer_token_env_var = "
      "\"FIGMA\"\n";
  auto read = DecodeMcpServers("codex", toml);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->servers.size(), 2u);
  const auto& fs = read->servers[0];
  EXPECT_EQ(fs.command(), "mcp-fs");
  ASSERT_EQ(fs.args_size(), 2);
  EXPECT_EQ(fs.args(1), "literal\\path");
  ASSERT_EQ(fs.env_size(), 1);
  EXPECT_EQ(fs.env(0).value(), "/tmp");
  EXPECT_TRUE(read->servers[1].disabled());
  ASSERT_EQ(read->skipped.size(), 1u);
  EXPECT_NE(read->skipped[0].find("FIGMA"), std::string::npos);
}

TEST(McpClientsTest, GeminisOlderAndShorterFormsAreRead) {
  auto read = DecodeMcpServers("gemini", R"({"mcpServers": {
      "old": {"httpUrl": "https://a.example/mcp"},
      "bare": {"url": "https://b.example/mcp"},
      "events": {"url": "https://c.example/sse", "type": "sse"}}})");
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->servers.size(), 3u);
  EXPECT_EQ(read->servers[0].transport(), admin::v1::MCP_TRANSPORT_HTTP);
  EXPECT_EQ(read->servers[1].transport(), admin::v1::MCP_TRANSPORT_HTTP);  // Gemini's default
  EXPECT_EQ(read->servers[2].transport(), admin::v1::MCP_TRANSPORT_SSE);
  // Claude Code reads a URL without a type as a stdio server and skips it: so does the import.
  auto claude =
      DecodeMcpServers("claude", R"({"mcpServers": {"x": {"url": "https://a.example/mcp"}}})");
  ASSERT_TRUE(claude.ok());
  EXPECT_TRUE(claude->servers.empty());
  EXPECT_EQ(claude->skipped.size(), 1u);
}

TEST(McpClientsTest, HostileFilesAreReadWithoutTrust) {
  // Entries of shapes that are not servers are skipped with why; nothing throws.
  auto json = DecodeMcpServers("claude", R"({"mcpServers": {"a": 1, "b": {"command": ["x"]},
      "c": {"command": "ok", "args": [1, 2]}, "d": {"type": "http"}, "e": {"command": "fine"}}})");
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->servers.size(), 1u);
  EXPECT_EQ(json->servers[0].name(), "e");
  EXPECT_EQ(json->skipped.size(), 4u);
  auto not_object = DecodeMcpServers("gemini", R"({"mcpServers": [1, 2]})");
  ASSERT_TRUE(not_object.ok());
  EXPECT_TRUE(not_object->servers.empty());
  auto opencode = DecodeMcpServers(
      "opencode", R"({"mcp": {"x": {"type": "weird"}, "y": {"type": "local", "command": []}}})");
  ASSERT_TRUE(opencode.ok());
  EXPECT_TRUE(opencode->servers.empty());
  EXPECT_EQ(opencode->skipped.size(), 2u);
  EXPECT_FALSE(DecodeMcpServers("claude", "{not json").ok());
  EXPECT_FALSE(DecodeMcpServers("codex", "[mcp_servers.x\ncommand = ").ok());
  // An inline table is a name in use (nothing of ours may take it) but not read.
  auto inline_table = DecodeMcpServers("codex", "[mcp_servers]\nx = { command = \"y\" }\n");
  ASSERT_TRUE(inline_table.ok());
  EXPECT_TRUE(inline_table->servers.empty());
  EXPECT_EQ(inline_table->skipped.size(), 1u);
  auto names = McpEntryNames("codex", "[mcp_servers]\nx = { command = \"y\" }\n");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"x"});
}

TEST(McpClientsTest, FilesAreWhereEachClientLooks) {
  clientconf::Locations l;
  l.home = "/h";
  l.codex_home = "/h/.codex";
  l.claude_config_dir = "/h/.claude";
  l.gemini_cli_home = "/h";
  l.xdg_config_home = "/h/.config";
  EXPECT_EQ(McpFilePath("codex", l), "/h/.codex/config.toml");
  EXPECT_EQ(McpFilePath("claude", l), "/h/.claude.json");
  EXPECT_EQ(McpFilePath("gemini", l), "/h/.gemini/settings.json");
  EXPECT_EQ(McpFilePath("opencode", l), "/h/.config/opencode/opencode.json");
  // Set, CLAUDE_CONFIG_DIR moves .claude.json with it, even to the default folder.
  l.claude_config_dir_set = true;
  EXPECT_EQ(McpFilePath("claude", l), "/h/.claude/.claude.json");
  l.claude_config_dir = "/elsewhere";
  EXPECT_EQ(McpFilePath("claude", l), "/elsewhere/.claude.json");
}

}  // namespace
}  // namespace agentgate::toolbox
