#include "services/toolbox/toolbox_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "services/common/files.h"
#include "services/toolbox/rules.h"
#include "tests/common/temp_dir.h"

namespace agentgate::toolbox {
namespace {

namespace fs = std::filesystem;

admin::v1::McpServer Server(const std::string& name, const std::string& secret = "") {
  admin::v1::McpServer s;
  s.set_name(name);
  s.set_command("mcp-" + name);
  s.add_args("--stdio");
  if (!secret.empty()) {
    auto* e = s.add_env();
    e->set_name("TOKEN");
    e->set_value(secret);
  }
  EXPECT_TRUE(NormalizeMcpServer(s).ok());
  return s;
}

admin::v1::Skill Skill(const std::string& name, const std::string& body = "Steps.") {
  admin::v1::Skill s;
  auto* f = s.add_files();
  f->set_path("SKILL.md");
  f->set_content("---\nname: " + name + "\ndescription: The " + name + " skill\n---\n" + body +
                 "\n");
  auto* script = s.add_files();
  script->set_path("scripts/run.sh");
  script->set_content("#!/bin/sh\necho " + name + "\n");
  script->set_executable(true);
  EXPECT_TRUE(NormalizeSkill(s).ok());
  return s;
}

// What the clients' files look like on a machine that uses them (comments, the user's own
// servers, other settings).
const char kCodex[] =
    "# my Codex\r\nmodel = \"gpt-5\"\r\n\r\n[mcp_servers.mine]\r\ncommand = \"my-mcp\"\r\n"
    "[mcp_servers.mine.env]\r\nA = \"1\"\r\n\r\n[profiles.x]\r\nmodel = \"o3\"";  // no final
                                                                                  // newline
const char kClaude[] =
    "{\n  \"numStartups\": 12,\n  \"projects\": {\n    \"/home/u/p\": {\n      \"allowedTools\": "
    "[]\n"
    "    }\n  },\n  \"mcpServers\": {\n    \"mine\": {\n      \"type\": \"stdio\",\n"
    "      \"command\": \"my-mcp\",\n      \"args\": [],\n      \"env\": {}\n    }\n  }\n}";
const char kGemini[] =
    "{\n  // comments are allowed\n  \"security\": {\"auth\": {\"selectedType\": "
    "\"gemini-api-key\"}},\n"
    "  \"theme\": \"GitHub\"\n}\n";
const char kOpenCode[] =
    "{\n\t\"$schema\": \"https://opencode.ai/config.json\",\n\t\"mcp\": {}\n}\n";

// The files as each client's own `mcp add` wrote them (Codex 0.169.0, Claude Code 2.1.197,
// Gemini CLI 0.61.0, OpenCode 1.18.33; the machine-specific ids shortened).
const char kCodexWrote[] =
    "[mcp_servers.stdiosrv]\ncommand = \"/bin/cat\"\nargs = [\"-n\", \"--foo\", \"a b\"]\n\n"
    "[mcp_servers.stdiosrv.env]\nBAZ = \"qux\"\nFOO = \"bar\"\n\n[mcp_servers.httpsrv]\n"
    "url = \"http://127.0.0.1:9/mcp\"\nbearer_token_env_var = \"MY_TOKEN\"\n";
const char kClaudeWrote[] =  // no final newline, as Claude Code writes it
    "{\n  \"firstStartTime\": \"2026-12-07T16:52:20.005Z\",\n  \"machineID\": \"d2e6\",\n"
    "  \"opusProMigrationComplete\": true,\n  \"seenNotifications\": {},\n"
    "  \"migrationVersion\": 13,\n  \"userID\": \"d904\",\n  \"mcpServers\": {\n"
    "    \"stdiosrv\": {\n      \"type\": \"stdio\",\n      \"command\": \"/bin/cat\",\n"
    "      \"args\": [\n        \"-n\",\n        \"--foo\",\n        \"a b\"\n      ],\n"
    "      \"env\": {\n        \"FOO\": \"bar\",\n        \"BAZ\": \"qux\"\n      }\n    },\n"
    "    \"httpsrv\": {\n      \"type\": \"http\",\n      \"url\": \"http://127.0.0.1:9/mcp\",\n"
    "      \"headers\": {\n        \"X-Api-Key\": \"abc\",\n        \"Authorization\": \"Bearer "
    "t\"\n"
    "      }\n    },\n    \"ssesrv\": {\n      \"type\": \"sse\",\n"
    "      \"url\": \"http://127.0.0.1:9/sse\"\n    }\n  }\n}";
const char kGeminiWrote[] =
    "{\n  \"mcpServers\": {\n    \"stdiosrv\": {\n      \"command\": \"/bin/cat\",\n"
    "      \"args\": [\n        \"-n\",\n        \"--foo\",\n        \"a b\"\n      ],\n"
    "      \"env\": {\n        \"FOO\": \"bar\",\n        \"BAZ\": \"qux\"\n      }\n    },\n"
    "    \"httpsrv\": {\n      \"url\": \"http://127.0.0.1:9/mcp\",\n      \"type\": \"http\",\n"
    "      \"headers\": {\n        \"X-Api-Key\": \"abc\",\n        \"Authorization\": \"Bearer "
    "t\"\n"
    "      }\n    },\n    \"ssesrv\": {\n      \"url\": \"http://127.0.0.1:9/sse\",\n"
    "      \"type\": \"sse\",\n      \"timeout\": 5000,\n      \"trust\": true,\n"
    "      \"description\": \"d\",\n      \"includeTools\": [\n        \"a,b\"\n      ]\n    }\n"
    "  }\n}\n";
const char kOpenCodeWrote[] =  // opencode.jsonc: OpenCode made it on its first start
    "{\n  \"$schema\": \"https://opencode.ai/config.json\",\n  \"mcp\": {\n"
    "    \"stdiosrv\": {\n      \"type\": \"local\",\n      \"command\": [\n"
    "        \"/bin/cat\",\n        \"-n\",\n        \"--foo\",\n        \"a b\"\n      ],\n"
    "      \"environment\": {\n        \"FOO\": \"bar\",\n        \"BAZ\": \"qux\"\n      }\n"
    "    },\n    \"httpsrv\": {\n      \"type\": \"remote\",\n"
    "      \"url\": \"http://127.0.0.1:9/mcp\",\n      \"headers\": {\n"
    "        \"X-Api-Key\": \"abc\",\n        \"Authorization\": \"Bearer t\"\n      }\n"
    "    }\n  }\n}\n";

class ToolboxFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    where_.home = tmp_.File("home");
    where_.codex_home = where_.home + "/.codex";
    where_.claude_config_dir = where_.home + "/.claude";
    where_.gemini_cli_home = where_.home;
    where_.xdg_config_home = where_.home + "/.config";
    files_ = std::make_unique<ToolboxFiles>(tmp_.File("ag"), where_);
  }
  void Put(const std::string& path, const std::string& text, int mode = 0644) {
    fs::create_directories(fs::path(path).parent_path());
    ASSERT_TRUE(WriteFileAtomic(path, text, mode).ok());
  }
  std::string Read(const std::string& path) {
    auto t = ReadFile(path);
    return t.ok() ? *t : "<missing>";
  }
  int Mode(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : -1;
  }
  void PutAll() {
    Put(files_->McpPath("codex"), kCodex);
    Put(files_->McpPath("claude"), kClaude);
    Put(files_->McpPath("gemini"), kGemini);
    Put(files_->McpPath("opencode"), kOpenCode);
  }

  test::TempDir tmp_;
  clientconf::Locations where_;
  std::unique_ptr<ToolboxFiles> files_;
};

TEST_F(ToolboxFilesTest, EveryClientGetsTheServersAndGetsItsFileBackByteForByte) {
  PutAll();
  const std::map<std::string, std::string> before = {
      {"codex", kCodex}, {"claude", kClaude}, {"gemini", kGemini}, {"opencode", kOpenCode}};
  for (const auto& [client, text] : before) {
    auto r = files_->SyncMcp(client, {Server("github"), Server("docs")}, false);
    ASSERT_TRUE(r.ok()) << client << r.status();
    EXPECT_EQ(r->added, (std::vector<std::string>{"github", "docs"})) << client;
    EXPECT_TRUE(r->changed);
    const std::string now = Read(files_->McpPath(client));
    EXPECT_NE(now.find("mcp-github"), std::string::npos) << client;
    if (client == "codex" || client == "claude") {
      EXPECT_NE(now.find("my-mcp"), std::string::npos) << client;  // the user's own stays
    }
    auto view = files_->ViewMcp(client);
    EXPECT_EQ(view.ours, (std::vector<std::string>{"github", "docs"})) << client;
    // Again with the same list: nothing to write.
    auto again = files_->SyncMcp(client, {Server("github"), Server("docs")}, false);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->changed) << client;
    EXPECT_EQ(again->kept.size(), 2u);
    EXPECT_EQ(Read(files_->McpPath(client)), now);
  }
  for (const auto& [client, text] : before) {
    auto r = files_->SyncMcp(client, {}, false);
    ASSERT_TRUE(r.ok()) << client << r.status();
    EXPECT_TRUE(r->original_back) << client;
    EXPECT_EQ(Read(files_->McpPath(client)), text) << client;
    EXPECT_EQ(Mode(files_->McpPath(client)), 0644) << client;
  }
  EXPECT_FALSE(fs::exists(tmp_.File("ag/client-backups")));
}

TEST_F(ToolboxFilesTest, AFileThatWasNotThereIsNotThereAfterwards) {
  auto r = files_->SyncMcp("opencode", {Server("github", "tok")}, false);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string path = files_->McpPath("opencode");
  EXPECT_EQ(Mode(path), 0600);  // it holds a token
  auto back = files_->SyncMcp("opencode", {}, false);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(ToolboxFilesTest, TheUsersEditsSinceStayAndOnlyOursGo) {
  PutAll();
  ASSERT_TRUE(files_->SyncMcp("codex", {Server("github"), Server("docs")}, false).ok());
  std::string edited = Read(files_->McpPath("codex")) + "\n[tui]\nnotifications = true\n";
  Put(files_->McpPath("codex"), edited);
  EXPECT_TRUE(files_->ViewMcp("codex").edited_since);
  // One server goes from the list: only it leaves the file.
  auto r = files_->SyncMcp("codex", {Server("github")}, false);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->removed, std::vector<std::string>{"docs"});
  std::string now = Read(files_->McpPath("codex"));
  EXPECT_EQ(now.find("mcp-docs"), std::string::npos);
  EXPECT_NE(now.find("notifications = true"), std::string::npos);
  auto back = files_->SyncMcp("codex", {}, false);
  ASSERT_TRUE(back.ok());
  // "As before" is the user's file as it is now, without ours.
  EXPECT_TRUE(back->original_back);
  now = Read(files_->McpPath("codex"));
  EXPECT_EQ(now.find("mcp-github"), std::string::npos);
  EXPECT_NE(now.find("notifications = true"), std::string::npos);
  EXPECT_NE(now.find("[mcp_servers.mine]"), std::string::npos);
}

TEST_F(ToolboxFilesTest, AServerTheClientHasUnderTheSameNameStaysTheClients) {
  PutAll();
  admin::v1::McpServer mine = Server("mine");
  mine.set_command("something-else");
  auto r = files_->SyncMcp("claude", {mine, Server("github")}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->theirs, std::vector<std::string>{"mine"});
  EXPECT_EQ(r->added, std::vector<std::string>{"github"});
  EXPECT_EQ(Read(files_->McpPath("claude")).find("something-else"), std::string::npos);
  auto view = files_->ViewMcp("claude");
  EXPECT_EQ(view.theirs, std::vector<std::string>{"mine"});
  auto theirs = files_->ReadClientMcp("claude");
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->servers.size(), 1u);  // github is ours: not imported back
  EXPECT_EQ(theirs->servers[0].name(), "mine");
}

TEST_F(ToolboxFilesTest, AnUpdatedServerIsRewrittenInPlaceOfTheOld) {
  PutAll();
  ASSERT_TRUE(files_->SyncMcp("gemini", {Server("github", "one")}, false).ok());
  auto r = files_->SyncMcp("gemini", {Server("github", "two")}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->updated, std::vector<std::string>{"github"});
  const std::string now = Read(files_->McpPath("gemini"));
  EXPECT_EQ(now.find("\"one\""), std::string::npos);
  EXPECT_NE(now.find("\"two\""), std::string::npos);
  EXPECT_EQ(Mode(files_->McpPath("gemini")), 0600);
  ASSERT_TRUE(files_->SyncMcp("gemini", {}, false).ok());
  EXPECT_EQ(Read(files_->McpPath("gemini")), kGemini);
}

TEST_F(ToolboxFilesTest, DryRunWritesNothing) {
  PutAll();
  auto r = files_->SyncMcp("codex", {Server("github")}, true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(Read(files_->McpPath("codex")), kCodex);
  EXPECT_FALSE(fs::exists(tmp_.File("ag/client-backups")));
}

TEST_F(ToolboxFilesTest, ASymlinkedConfigStaysALink) {
  const std::string real = tmp_.File("dotfiles/opencode.json");
  Put(real, kOpenCode);
  fs::create_directories(fs::path(files_->McpPath("opencode")).parent_path());
  fs::create_symlink(real, files_->McpPath("opencode"));
  ASSERT_TRUE(files_->SyncMcp("opencode", {Server("github")}, false).ok());
  EXPECT_TRUE(fs::is_symlink(files_->McpPath("opencode")));
  EXPECT_NE(Read(real).find("mcp-github"), std::string::npos);
  ASSERT_TRUE(files_->SyncMcp("opencode", {}, false).ok());
  EXPECT_TRUE(fs::is_symlink(files_->McpPath("opencode")));
  EXPECT_EQ(Read(real), kOpenCode);
}

TEST_F(ToolboxFilesTest, ATamperedOriginalIsNotWrittenBack) {
  PutAll();
  ASSERT_TRUE(files_->SyncMcp("codex", {Server("github")}, false).ok());
  const std::string orig = tmp_.File("ag/client-backups/mcp-codex/config.toml.orig");
  ASSERT_TRUE(fs::exists(orig));
  Put(orig, "evil = true\n", 0600);
  const std::string now = Read(files_->McpPath("codex"));
  auto r = files_->SyncMcp("codex", {}, false);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Read(files_->McpPath("codex")), now);
}

TEST_F(ToolboxFilesTest, AnUnreadableFileIsNotTouched) {
  Put(files_->McpPath("claude"), "{ this is not json");
  auto r = files_->SyncMcp("claude", {Server("github")}, false);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find(".claude.json"), std::string::npos);
  EXPECT_EQ(Read(files_->McpPath("claude")), "{ this is not json");
  EXPECT_FALSE(files_->ViewMcp("claude").error.empty());
}

TEST_F(ToolboxFilesTest, CodexIsNotGivenAnSseServer) {
  admin::v1::McpServer sse;
  sse.set_name("events");
  sse.set_url("https://x.example/sse");
  sse.set_transport(admin::v1::MCP_TRANSPORT_SSE);
  ASSERT_TRUE(NormalizeMcpServer(sse).ok());
  auto r = files_->SyncMcp("codex", {sse}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->added.empty());
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_FALSE(fs::exists(files_->McpPath("codex")));
}

TEST_F(ToolboxFilesTest, SkillsAreCopiedWithTheirModesAndTakenBack) {
  auto r = files_->SyncSkills("claude", {Skill("pdf-tools"), Skill("review")}, false);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->added.size(), 2u);
  const std::string dir = files_->SkillsDir("claude");
  EXPECT_NE(Read(dir + "/pdf-tools/SKILL.md").find("name: pdf-tools"), std::string::npos);
  EXPECT_EQ(Mode(dir + "/pdf-tools/scripts/run.sh"), 0755);
  EXPECT_EQ(Mode(dir + "/pdf-tools/SKILL.md"), 0644);
  auto view = files_->ViewSkills("claude");
  EXPECT_EQ(view.ours, (std::vector<std::string>{"pdf-tools", "review"}));
  // A changed skill is rewritten; one gone from the list goes.
  auto again = files_->SyncSkills("claude", {Skill("pdf-tools", "New steps.")}, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->updated, std::vector<std::string>{"pdf-tools"});
  EXPECT_EQ(again->removed, std::vector<std::string>{"review"});
  EXPECT_NE(Read(dir + "/pdf-tools/SKILL.md").find("New steps."), std::string::npos);
  EXPECT_FALSE(fs::exists(dir + "/review"));
  ASSERT_TRUE(files_->SyncSkills("claude", {}, false).ok());
  EXPECT_FALSE(fs::exists(dir));  // the folder was made for them
  EXPECT_FALSE(fs::exists(tmp_.File("ag/client-backups")));
}

TEST_F(ToolboxFilesTest, TheClientsOwnSkillsAndTheUsersChangesAreNeverRemoved) {
  const std::string dir = files_->SkillsDir("codex");
  Put(dir + "/review/SKILL.md", "---\nname: review\ndescription: Mine\n---\nmine\n");
  auto r = files_->SyncSkills("codex", {Skill("review"), Skill("pdf-tools")}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->theirs, std::vector<std::string>{"review"});
  EXPECT_NE(Read(dir + "/review/SKILL.md").find("mine"), std::string::npos);
  // The user edits ours: it is theirs from then on.
  Put(dir + "/pdf-tools/notes.txt", "my notes");
  auto gone = files_->SyncSkills("codex", {}, false);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->removed.empty());
  ASSERT_EQ(gone->notes.size(), 1u);
  EXPECT_EQ(Read(dir + "/pdf-tools/notes.txt"), "my notes");
  EXPECT_TRUE(fs::exists(dir + "/review/SKILL.md"));
  auto view = files_->ViewSkills("codex");
  EXPECT_EQ(view.theirs, (std::vector<std::string>{"pdf-tools", "review"}));
  // The skills folder was there before: it stays.
  std::vector<std::string> skipped;
  auto theirs = files_->ReadClientSkills("codex", &skipped);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->size(), 2u);
}

TEST_F(ToolboxFilesTest, ASkillFolderWithASymlinkIsNotRead) {
  const std::string dir = tmp_.File("skill/pdf");
  Put(dir + "/SKILL.md", "---\nname: pdf\ndescription: x\n---\n");
  fs::create_symlink("/etc/passwd", dir + "/passwd");
  auto s = ReadSkillFolder(dir);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  fs::remove(dir + "/passwd");
  auto ok = ReadSkillFolder(dir);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->name(), "pdf");
}

TEST_F(ToolboxFilesTest, AManifestNameThatLeavesTheFolderIsIgnored) {
  const std::string victim = tmp_.File("victim/keep.txt");
  Put(victim, "keep");
  Put(tmp_.File("ag/client-backups/skills-codex/skills.json"),
      R"({"client": "codex", "skills": [{"name": "../../victim", "sha256": "x"}]})", 0600);
  ASSERT_TRUE(files_->SyncSkills("codex", {}, false).ok());
  EXPECT_EQ(Read(victim), "keep");
}

TEST_F(ToolboxFilesTest, FilesTheClientsWroteThemselvesAreReadAndComeBackByteForByte) {
  Put(where_.codex_home + "/config.toml", kCodexWrote, 0600);
  Put(where_.home + "/.claude.json", kClaudeWrote, 0600);
  Put(where_.home + "/.gemini/settings.json", kGeminiWrote);
  Put(where_.xdg_config_home + "/opencode/opencode.jsonc", kOpenCodeWrote);
  EXPECT_EQ(files_->McpPath("opencode"), where_.xdg_config_home + "/opencode/opencode.jsonc");
  const std::map<std::string, std::string> before = {{"codex", kCodexWrote},
                                                     {"claude", kClaudeWrote},
                                                     {"gemini", kGeminiWrote},
                                                     {"opencode", kOpenCodeWrote}};
  // What each has is read as servers (Codex's bearer token from a variable is its own).
  std::map<std::string, size_t> readable = {
      {"codex", 1}, {"claude", 3}, {"gemini", 3}, {"opencode", 2}};
  for (const auto& [client, text] : before) {
    auto theirs = files_->ReadClientMcp(client);
    ASSERT_TRUE(theirs.ok()) << client << theirs.status();
    EXPECT_EQ(theirs->servers.size(), readable[client]) << client;
    for (const auto& s : theirs->servers) {
      admin::v1::McpServer copy = s;
      EXPECT_TRUE(NormalizeMcpServer(copy).ok()) << client << " " << s.name();
      if (s.name() == "stdiosrv") {
        ASSERT_EQ(s.args_size(), 3) << client;
        EXPECT_EQ(s.args(2), "a b");
        EXPECT_EQ(s.env_size(), 2) << client;
      }
      if (s.name() == "ssesrv") EXPECT_EQ(s.transport(), admin::v1::MCP_TRANSPORT_SSE) << client;
    }
  }
  for (const auto& [client, text] : before) {
    auto r = files_->SyncMcp(client, {Server("github", "tok"), Server("stdiosrv")}, false);
    ASSERT_TRUE(r.ok()) << client << r.status();
    EXPECT_EQ(r->added, std::vector<std::string>{"github"}) << client;
    EXPECT_EQ(r->theirs, std::vector<std::string>{"stdiosrv"}) << client;
    auto view = files_->ViewMcp(client);
    EXPECT_EQ(view.ours, std::vector<std::string>{"github"}) << client;
  }
  EXPECT_TRUE(fs::exists(where_.xdg_config_home + "/opencode/opencode.jsonc"));
  EXPECT_FALSE(fs::exists(where_.xdg_config_home + "/opencode/opencode.json"));
  for (const auto& [client, text] : before) {
    ASSERT_TRUE(files_->SyncMcp(client, {}, false).ok()) << client;
    EXPECT_EQ(Read(files_->McpPath(client)), text) << client;
  }
  EXPECT_EQ(Mode(where_.codex_home + "/config.toml"), 0600);
}

TEST_F(ToolboxFilesTest, OursStayInTheFileTheyWentInto) {
  const std::string dir = where_.xdg_config_home + "/opencode/";
  Put(dir + "opencode.jsonc", kOpenCode);
  ASSERT_TRUE(files_->SyncMcp("opencode", {Server("github")}, false).ok());
  // `client apply opencode` makes opencode.json beside it afterwards.
  Put(dir + "opencode.json", "{}\n");
  EXPECT_EQ(files_->McpPath("opencode"), dir + "opencode.jsonc");
  ASSERT_TRUE(files_->SyncMcp("opencode", {}, false).ok());
  EXPECT_EQ(Read(dir + "opencode.jsonc"), kOpenCode);
  EXPECT_EQ(files_->McpPath("opencode"), dir + "opencode.json");
}

}  // namespace
}  // namespace agentgate::toolbox
