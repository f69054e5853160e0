// agentgatectl client apply/status/test/restore against a running stack (up --detach), with HOME
// in a temporary folder that holds existing client config files.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

const char kCodexToml[] =
    "# my Codex settings\n"
    "model = \"o3\"\n"
    "approval_policy = \"on-request\"\n"
    "\n"
    "[model_providers.ollama]\n"
    "name = \"Ollama\"\n"
    "base_url = \"http://localhost:11434/v1\"\n"
    "\n"
    "[mcp_servers.docs]\n"
    "command = \"npx\"\n"
    "args = [\"-y\", \"docs-mcp\"]\n";

const char kClaudeJson[] =
    "{\n"
    "  \"permissions\": { \"allow\": [\"Bash(make test)\"] },\n"
    "  \"env\": { \"DISABLE_TELEMETRY\": \"1\" },\n"
    "  \"model\": \"opus\"\n"
    "}\n";

const char kOpenCodeJsonc[] =
    "{\n"
    "  // mine\n"
    "  \"theme\": \"tokyonight\",\n"
    "  \"mcp\": { \"fs\": { \"type\": \"local\", \"command\": [\"mcp-fs\"] } },\n"
    "}\n";

class ClientConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = MakeTempDir("client-ag");
    user_home_ = MakeTempDir("client-home");
    ::setenv("AGENTGATE_AUTO_TEST", "off", 1);
    // The client files are found from HOME alone.
    for (const char* var :
         {"CODEX_HOME", "CLAUDE_CONFIG_DIR", "GEMINI_CLI_HOME", "XDG_CONFIG_HOME", "GEMINI_API_KEY",
          "GOOGLE_GEMINI_BASE_URL", "OPENCODE_CONFIG", "OPENCODE_CONFIG_CONTENT"}) {
      ::unsetenv(var);
    }
    Write(".codex/config.toml", kCodexToml);
    Write(".claude/settings.json", kClaudeJson);
    Write(".config/opencode/opencode.json", kOpenCodeJsonc);
  }
  void TearDown() override {
    Ctl({"down"});
    std::error_code ec;
    std::filesystem::remove_all(user_home_, ec);
    std::filesystem::remove_all(home_, ec);
  }
  void Write(const std::string& rel, const std::string& text) {
    std::string path = user_home_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string Read(const std::string& rel) { return ReadFileOrEmpty(user_home_ + "/" + rel); }
  bool Exists(const std::string& rel) { return std::filesystem::exists(user_home_ + "/" + rel); }
  CommandResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", home_};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {{"HOME", user_home_}});
  }
  void Up(const std::string& upstream) {
    CommandResult up = Ctl({"up", "--detach", "--port", "0", "--admin-port", "0", "--probe-port",
                            "0", "--stats-port", "0"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    auto stack = boost::json::parse(ReadFileOrEmpty(home_ + "/run/stack.json"));
    gateway_ = std::string(stack.at("gateway_url").as_string());
    CommandResult add =
        Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "fake",
             "--base-url", upstream, "--key", "k", "--model", "fake-model"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
    token_ = ReadFileOrEmpty(home_ + "/token");
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r')) token_.pop_back();
  }
  boost::json::value StatusJson() {
    CommandResult st = Ctl({"client", "status", "--json"});
    EXPECT_EQ(st.exit_code, 0) << st.err;
    return boost::json::parse(st.out);
  }
  std::string PointsAt(const boost::json::value& status, const std::string& client) {
    for (const auto& c : status.at("clients").as_array()) {
      if (c.at("client").as_string() == client) return std::string(c.at("points_at").as_string());
    }
    return "?";
  }

  std::string home_, user_home_, gateway_, token_;
};

TEST_F(ClientConfigTest, ApplyStatusTestRestore) {
  fakes::FakeUpstream upstream;
  ASSERT_NO_FATAL_FAILURE(Up(upstream.base_url()));

  auto before = StatusJson();
  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    EXPECT_EQ(PointsAt(before, c), "not configured") << c;
  }

  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    CommandResult apply = Ctl({"client", "apply", c, "--model", "fake-model"});
    ASSERT_EQ(apply.exit_code, 0) << c << ": " << apply.out << apply.err;
    EXPECT_NE(apply.out.find("backed up"), std::string::npos) << apply.out;
  }
  // The user's settings are still there, ours are added.
  std::string codex = Read(".codex/config.toml");
  EXPECT_NE(codex.find("[mcp_servers.docs]\ncommand = \"npx\"\nargs = [\"-y\", \"docs-mcp\"]\n"),
            std::string::npos)
      << codex;
  EXPECT_NE(codex.find("model_provider = \"agentgate\""), std::string::npos);
  EXPECT_NE(codex.find("base_url = \"" + gateway_ + "/v1\""), std::string::npos);
  EXPECT_NE(codex.find("experimental_bearer_token = \"" + token_ + "\""), std::string::npos);
  auto claude = boost::json::parse(Read(".claude/settings.json"));
  EXPECT_EQ(claude.at("env").at("ANTHROPIC_BASE_URL").as_string(), gateway_);
  EXPECT_EQ(claude.at("env").at("DISABLE_TELEMETRY").as_string(), "1");
  EXPECT_EQ(claude.at("permissions").at("allow").at(0).as_string(), "Bash(make test)");
  std::string opencode = Read(".config/opencode/opencode.json");
  EXPECT_NE(opencode.find("// mine"), std::string::npos) << opencode;
  EXPECT_NE(opencode.find("\"fake-model\": {}"), std::string::npos) << opencode;
  EXPECT_NE(Read(".gemini/.env").find("GEMINI_API_KEY=" + token_), std::string::npos);

  // Applying again changes nothing and keeps the first backup.
  std::string codex_applied = codex;
  CommandResult again = Ctl({"client", "apply", "codex", "--model", "fake-model"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(Read(".codex/config.toml"), codex_applied);
  EXPECT_EQ(ReadFileOrEmpty(home_ + "/client-backups/codex/config.toml.orig"), kCodexToml);

  auto after = StatusJson();
  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    EXPECT_EQ(PointsAt(after, c), "this gateway") << c;
  }
  CommandResult table = Ctl({"client", "status"});
  EXPECT_NE(table.out.find("POINTS AT"), std::string::npos) << table.out;

  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    CommandResult test = Ctl({"client", "test", c});
    EXPECT_EQ(test.exit_code, 0) << c << ":\n" << test.out << test.err;
    EXPECT_NE(test.out.find("✓ provider"), std::string::npos) << test.out;
  }
  // What reached the provider: one smallest request per client, for the configured model.
  EXPECT_GE(upstream.ReceivedCount(), 4u);

  // The user edits the Codex file after apply; the others stay as apply left them.
  Write(".codex/config.toml", codex_applied + "\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n");
  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    CommandResult restore = Ctl({"client", "restore", c});
    ASSERT_EQ(restore.exit_code, 0) << c << ": " << restore.err;
    if (std::string(c) == "codex") {
      EXPECT_NE(restore.out.find("your other changes kept"), std::string::npos) << restore.out;
    }
  }
  EXPECT_EQ(Read(".codex/config.toml"),
            std::string(kCodexToml) + "\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n");
  EXPECT_EQ(Read(".claude/settings.json"), kClaudeJson);
  EXPECT_EQ(Read(".config/opencode/opencode.json"), kOpenCodeJsonc);
  EXPECT_FALSE(Exists(".gemini/settings.json"));
  EXPECT_FALSE(Exists(".gemini/.env"));
  EXPECT_FALSE(std::filesystem::exists(home_ + "/client-backups/codex"));
  auto restored = StatusJson();
  for (const char* c : {"claude", "codex", "gemini", "opencode"}) {
    EXPECT_EQ(PointsAt(restored, c), "not configured") << c;
  }
  CommandResult twice = Ctl({"client", "restore", "codex"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("nothing to restore"), std::string::npos) << twice.err;
}

// agentgatectl setup, scripted: starts the stack itself, adds and tests the provider of the
// key, points the chosen clients at the gateway and leaves the others alone.
TEST_F(ClientConfigTest, SetupStartsTheStackAddsTestsAndApplies) {
  fakes::FakeUpstream upstream;
  auto ctl = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", home_};
    argv.insert(argv.end(), args.begin(), args.end());
    // Ephemeral ports for the stack setup starts.
    return RunCommand(argv, {{"HOME", user_home_},
                             {"AGENTGATE_PORT", "0"},
                             {"AGENTGATE_ADMIN_PORT", "0"},
                             {"AGENTGATE_PROBE_PORT", "0"},
                             {"AGENTGATE_STATS_PORT", "0"}});
  };
  // Without a terminal, what is missing is an error, not a question.
  CommandResult no_key = ctl({"setup", "--clients", "none", "--yes"});
  EXPECT_NE(no_key.exit_code, 0);
  EXPECT_NE(no_key.err.find("--key"), std::string::npos) << no_key.err;
  CommandResult ambiguous = ctl({"setup", "--key", "sk-0123456789abcdef", "--clients", "none"});
  EXPECT_NE(ambiguous.exit_code, 0);
  EXPECT_NE(ambiguous.err.find("--type"), std::string::npos) << ambiguous.err;

  CommandResult setup =
      ctl({"setup", "--key", "sk-setup-key-0001", "--type", "custom_openai_compatible", "--name",
           "mine", "--base-url", upstream.base_url(), "--model", "fake-model", "--clients",
           "claude,codex", "--yes"});
  ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
  EXPECT_NE(setup.out.find("added provider mine"), std::string::npos) << setup.out;
  EXPECT_NE(setup.out.find("✓ provider"), std::string::npos) << setup.out;
  EXPECT_NE(setup.out.find("AgentGate is set up."), std::string::npos) << setup.out;
  EXPECT_EQ(setup.out.find("sk-setup-key-0001"), std::string::npos);
  auto status = StatusJson();
  EXPECT_EQ(PointsAt(status, "claude"), "this gateway") << status;
  EXPECT_EQ(PointsAt(status, "codex"), "this gateway") << status;
  EXPECT_EQ(Read(".config/opencode/opencode.json"), kOpenCodeJsonc) << "not chosen: untouched";
  // The provider was tested and its result kept.
  CommandResult show = Ctl({"provider", "show", "mine"});
  EXPECT_NE(show.out.find("last test:      ok"), std::string::npos) << show.out;

  // Running it again with a new key replaces the key; a failing test is an error.
  fakes::ScriptedResponse refused;
  refused.status = 401;
  refused.body = R"({"error":{"message":"Incorrect API key provided"}})";
  upstream.Enqueue(refused);
  CommandResult again = ctl({"setup", "--key", "sk-setup-key-0002", "--type",
                             "custom_openai_compatible", "--name", "mine", "--clients", "none"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.out.find("its key is replaced"), std::string::npos) << again.out;
  EXPECT_NE(again.err.find("the provider test failed"), std::string::npos) << again.err;
}

TEST_F(ClientConfigTest, TestFindsAStaleTokenAndAFailingProvider) {
  fakes::FakeUpstream upstream;
  ASSERT_NO_FATAL_FAILURE(Up(upstream.base_url()));
  ASSERT_EQ(Ctl({"client", "apply", "claude"}).exit_code, 0);

  ASSERT_EQ(Ctl({"token", "--rotate"}).exit_code, 0);
  CommandResult stale = Ctl({"client", "test", "claude"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.out.find("✗ config"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find("not the gateway's current one"), std::string::npos) << stale.out;
  ASSERT_EQ(Ctl({"client", "apply", "claude"}).exit_code, 0);  // picks up the new token

  fakes::ScriptedResponse down;
  down.status = 400;  // not retried elsewhere: the client gets the provider's answer
  down.body =
      "{\"error\":{\"message\":\"model not found (test)\",\"type\":\"invalid_request_error\"}}";
  upstream.Enqueue(down);
  CommandResult failing = Ctl({"client", "test", "claude"});
  EXPECT_EQ(failing.exit_code, 1);
  EXPECT_NE(failing.out.find("✓ config"), std::string::npos) << failing.out;
  EXPECT_NE(failing.out.find("✓ gateway"), std::string::npos) << failing.out;
  EXPECT_NE(failing.out.find("✗ provider"), std::string::npos) << failing.out;
  EXPECT_NE(failing.out.find("model not found (test)"), std::string::npos) << failing.out;

  Ctl({"down"});
  CommandResult no_gateway = Ctl({"client", "test", "claude"});
  EXPECT_EQ(no_gateway.exit_code, 1);
  EXPECT_NE(no_gateway.err.find("not running"), std::string::npos) << no_gateway.err;
  ASSERT_EQ(Ctl({"client", "restore", "claude"}).exit_code, 0);
  EXPECT_EQ(Read(".claude/settings.json"), kClaudeJson);
}

TEST_F(ClientConfigTest, RefusesABrokenFileAndChangesNothing) {
  Write(".claude/settings.json", "{ \"env\": { oops } }");
  CommandResult apply =
      Ctl({"client", "apply", "claude", "--gateway", "http://127.0.0.1:1", "--token", "t"});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("nothing was changed"), std::string::npos) << apply.err;
  EXPECT_EQ(Read(".claude/settings.json"), "{ \"env\": { oops } }");
  EXPECT_FALSE(std::filesystem::exists(home_ + "/client-backups/claude"));
  CommandResult unknown = Ctl({"client", "apply", "cursor"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown client"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::testing
