// MCP servers and Skills through the real stack and the real agentgatectl: the list is kept by
// the router, and agentgatectl writes it into the four clients' own files in a temporary home
// — each in its own format, next to what the user has there — and takes it back out leaving
// the files byte for byte as they were.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

namespace fs = std::filesystem;

// The user's files before the gateway touches them: their own servers, comments, settings.
const char kCodex[] =
    "# my settings\nmodel = \"gpt-5-codex\"\n\n[mcp_servers.mine]\ncommand = \"my-mcp\"\n"
    "args = [\"--root\", \"/srv\"]\n\n[mcp_servers.mine.env]\nROOT = \"/srv\"\n";
const char kClaude[] =
    "{\n  \"numStartups\": 3,\n  \"mcpServers\": {\n    \"notes\": {\n      \"type\": \"http\",\n"
    "      \"url\": \"https://notes.example.com/mcp\"\n    }\n  }\n}\n";
const char kGemini[] = "{\n  // my theme\n  \"ui\": {\"theme\": \"GitHub\"}\n}\n";
const char kOpenCode[] = "{\n  \"$schema\": \"https://opencode.ai/config.json\"\n}\n";

class ToolboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    user_ = MakeTempDir("user");
    Put(user_ + "/.codex/config.toml", kCodex);
    Put(user_ + "/.claude.json", kClaude);
    fs::create_directories(user_ + "/.claude");
    Put(user_ + "/.gemini/settings.json", kGemini);
    Put(user_ + "/.config/opencode/opencode.json", kOpenCode);
  }
  static void Put(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  CommandResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", stack_.home()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {{"AGENTGATE_ADMIN_ADDR", stack_.address("router")},
                             {"HOME", user_},
                             {"CODEX_HOME", user_ + "/.codex"},
                             {"CLAUDE_CONFIG_DIR", ""},
                             {"GEMINI_CLI_HOME", user_},
                             {"XDG_CONFIG_HOME", user_ + "/.config"},
                             {"PATH", "/usr/bin:/bin"}});
  }
  std::string Codex() { return ReadFileOrEmpty(user_ + "/.codex/config.toml"); }
  std::string Claude() { return ReadFileOrEmpty(user_ + "/.claude.json"); }
  std::string Gemini() { return ReadFileOrEmpty(user_ + "/.gemini/settings.json"); }
  std::string OpenCode() { return ReadFileOrEmpty(user_ + "/.config/opencode/opencode.json"); }

  Stack stack_{Stack::Options{.router_args = {"--auto-test", "off"}}};
  std::string user_;
};

// "An MCP server added once appears in all four clients and is removed cleanly."
TEST_F(ToolboxTest, AServerAddedOnceIsInEveryClientAndLeavesThemAsTheyWere) {
  CommandResult add = Ctl({"mcp", "add", "github", "--env", "GITHUB_TOKEN=ghp_integration", "--",
                           "npx", "-y", "@modelcontextprotocol/server-github"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  for (const char* client : {"codex", "claude", "gemini", "opencode"}) {
    EXPECT_NE(add.out.find(std::string(client) + " "), std::string::npos) << add.out;
  }
  EXPECT_NE(Codex().find("[mcp_servers.github]\ncommand = \"npx\"\n"
                         "args = [\"-y\", \"@modelcontextprotocol/server-github\"]\n"
                         "env = { GITHUB_TOKEN = \"ghp_integration\" }\n"),
            std::string::npos)
      << Codex();
  EXPECT_EQ(Codex().rfind(kCodex, 0), 0u);  // the user's part, untouched, first
  auto claude = boost::json::parse(Claude());
  EXPECT_EQ(claude.at("mcpServers").at("github").at("type").as_string(), "stdio");
  EXPECT_EQ(claude.at("mcpServers").at("notes").at("url").as_string(),
            "https://notes.example.com/mcp");
  EXPECT_NE(Gemini().find("// my theme"), std::string::npos);
  EXPECT_NE(Gemini().find("\"mcpServers\""), std::string::npos) << Gemini();
  auto opencode = boost::json::parse(OpenCode());
  EXPECT_EQ(opencode.at("mcp").at("github").at("command").as_array().size(), 3u);
  // Files that now hold a token are the user's alone.
  struct stat st {};
  ASSERT_EQ(::stat((user_ + "/.codex/config.toml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);

  // The list says so, per client; the client's own servers are told apart.
  CommandResult list = Ctl({"mcp", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto j = boost::json::parse(list.out);
  ASSERT_EQ(j.at("servers").as_array().size(), 1u);
  // The token is not printed.
  EXPECT_EQ(list.out.find("ghp_integration"), std::string::npos) << list.out;
  for (const auto& c : j.at("clients").as_array()) {
    ASSERT_EQ(c.at("ours").as_array().size(), 1u) << list.out;
  }
  CommandResult table = Ctl({"mcp", "list"});
  EXPECT_NE(table.out.find("codex     mine"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("claude    notes"), std::string::npos) << table.out;

  // A name taken is refused (the list keeps the first).
  CommandResult twice = Ctl({"mcp", "add", "github", "--url", "https://x.example/mcp"});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("exists already"), std::string::npos) << twice.err;

  CommandResult removed = Ctl({"mcp", "remove", "github"});
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_EQ(Codex(), kCodex);
  EXPECT_EQ(Claude(), kClaude);
  EXPECT_EQ(Gemini(), kGemini);
  EXPECT_EQ(OpenCode(), kOpenCode);
  ASSERT_EQ(::stat((user_ + "/.codex/config.toml").c_str(), &st), 0);
  EXPECT_FALSE(fs::exists(stack_.home() + "/client-backups"));
}

TEST_F(ToolboxTest, ImportTakesTheClientsOwnAndSyncGivesThemToTheOthers) {
  CommandResult imported = Ctl({"mcp", "import"});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  EXPECT_NE(imported.out.find("imported mine from codex"), std::string::npos) << imported.out;
  EXPECT_NE(imported.out.find("imported notes from claude"), std::string::npos) << imported.out;
  EXPECT_EQ(Codex(), kCodex);  // importing changes no file
  CommandResult sync = Ctl({"mcp", "sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_NE(sync.out.find("left the client's own mine"), std::string::npos) << sync.out;
  EXPECT_EQ(Codex().rfind(kCodex, 0), 0u);
  EXPECT_NE(Codex().find("[mcp_servers.notes]\nurl = \"https://notes.example.com/mcp\"\n"),
            std::string::npos)
      << Codex();
  auto opencode = boost::json::parse(OpenCode());
  EXPECT_EQ(opencode.at("mcp").at("mine").at("environment").at("ROOT").as_string(), "/srv");
  EXPECT_EQ(opencode.at("mcp").at("notes").at("type").as_string(), "remote");
  // Taken back out of every client, the list staying.
  CommandResult restore = Ctl({"mcp", "restore", "--all"});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_EQ(Codex(), kCodex);
  EXPECT_EQ(Claude(), kClaude);
  EXPECT_EQ(Gemini(), kGemini);
  EXPECT_EQ(OpenCode(), kOpenCode);
  CommandResult list = Ctl({"mcp", "list"});
  EXPECT_NE(list.out.find("mine"), std::string::npos);
}

TEST_F(ToolboxTest, ASkillIsCopiedIntoEveryClientAndTakenBack) {
  const std::string dir = MakeTempDir("skill") + "/pdf-tools";
  Put(dir + "/SKILL.md",
      "---\nname: pdf-tools\ndescription: Extract text from PDFs.\n---\n# PDF\n");
  Put(dir + "/scripts/extract.sh", "#!/bin/sh\npdftotext \"$1\" -\n");
  fs::permissions(dir + "/scripts/extract.sh", fs::perms::owner_exec, fs::perm_options::add);
  CommandResult add = Ctl({"skill", "add", dir});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  const std::vector<std::string> folders = {user_ + "/.codex/skills", user_ + "/.claude/skills",
                                            user_ + "/.gemini/skills",
                                            user_ + "/.config/opencode/skills"};
  for (const auto& f : folders) {
    EXPECT_EQ(ReadFileOrEmpty(f + "/pdf-tools/SKILL.md"), ReadFileOrEmpty(dir + "/SKILL.md")) << f;
    struct stat st {};
    ASSERT_EQ(::stat((f + "/pdf-tools/scripts/extract.sh").c_str(), &st), 0) << f;
    EXPECT_NE(st.st_mode & 0100, 0u) << f;
  }
  // A bad skill is refused with why.
  const std::string bad = MakeTempDir("bad") + "/x";
  Put(bad + "/SKILL.md", "no front matter");
  CommandResult refused = Ctl({"skill", "add", bad});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("front matter"), std::string::npos) << refused.err;
  CommandResult list = Ctl({"skill", "list"});
  EXPECT_NE(list.out.find("pdf-tools"), std::string::npos) << list.out;
  // The user changes the Claude copy: that one stays theirs when the skill goes.
  Put(folders[1] + "/pdf-tools/NOTES.md", "mine");
  CommandResult removed = Ctl({"skill", "remove", "pdf-tools"});
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_NE(removed.out.find("it is yours now"), std::string::npos) << removed.out;
  EXPECT_FALSE(fs::exists(folders[0]));
  EXPECT_EQ(ReadFileOrEmpty(folders[1] + "/pdf-tools/NOTES.md"), "mine");
  EXPECT_FALSE(fs::exists(folders[2]));
  EXPECT_FALSE(fs::exists(folders[3]));
}

TEST_F(ToolboxTest, HostileInputIsRefusedWithoutTouchingAnything) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"mcp", "add", "../../etc", "--", "x"},
           {"mcp", "add", "a.b", "--", "x"},
           {"mcp", "add", "x", "--url", "file:///etc/passwd"},
           {"mcp", "add", "x", "--url", "https://a.example/mcp", "--header", "A=b\r\nHost: evil"},
           {"mcp", "add", "x", "--env", "BAD NAME=1", "--", "x"},
           {"mcp", "add", "x", "--clients", "cursor", "--", "x"},
           {"mcp", "sync", "cursor"}}) {
    CommandResult r = Ctl(args);
    EXPECT_NE(r.exit_code, 0) << args[2];
  }
  const std::string dir = MakeTempDir("bad") + "/x";
  Put(dir + "/SKILL.md", "---\nname: x\ndescription: y\n---\n");
  fs::create_symlink("/etc/passwd", dir + "/passwd");
  CommandResult link = Ctl({"skill", "add", dir});
  EXPECT_NE(link.exit_code, 0);
  EXPECT_NE(link.err.find("symlink"), std::string::npos) << link.err;
  EXPECT_EQ(Codex(), kCodex);
  EXPECT_EQ(Claude(), kClaude);
  EXPECT_EQ(Gemini(), kGemini);
  EXPECT_EQ(OpenCode(), kOpenCode);
}

}  // namespace
}  // namespace agentgate::testing
