#include "services/clientconf/client_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "services/common/files.h"
#include "tests/common/temp_dir.h"

namespace agentgate::clientconf {
namespace {

const char kCodexToml[] =
    "# mine\nmodel = \"o3\"\n\n[mcp_servers.fs]\ncommand = \"mcp-fs\"\nargs = [\"/tmp\"]\n";

class ClientFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.ok());
    where_.home = tmp_.File("home");
    where_.codex_home = where_.home + "/.codex";
    where_.claude_config_dir = where_.home + "/.claude";
    where_.gemini_cli_home = where_.home;
    where_.xdg_config_home = where_.home + "/.config";
    agentgate_home_ = tmp_.File("agentgate");
    std::filesystem::create_directories(where_.codex_home);
  }
  ApplyOptions Options(const std::string& token = "ag_local_T1") {
    ApplyOptions o;
    o.gateway_url = "http://127.0.0.1:9090";
    o.token = token;
    o.model = "m";
    return o;
  }
  std::string Read(const std::string& path) {
    auto t = ReadFile(path);
    return t.ok() ? *t : "<missing>";
  }
  void Write(const std::string& path, const std::string& text, int mode = 0644) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    ASSERT_TRUE(WriteFileAtomic(path, text, mode).ok());
  }

  test::TempDir tmp_;
  Locations where_;
  std::string agentgate_home_;
};

TEST_F(ClientFilesTest, ApplyBacksUpOnceAndRestoreIsByteIdentical) {
  const std::string config = where_.codex_home + "/config.toml";
  Write(config, kCodexToml, 0640);
  ClientConfigurator c(agentgate_home_, where_);
  auto first = c.Apply(ClientKind::kCodex, Options(), false);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->backup_created);
  EXPECT_TRUE(c.HasBackup(ClientKind::kCodex));
  std::string applied = Read(config);
  EXPECT_NE(applied.find("[model_providers.agentgate]"), std::string::npos);
  EXPECT_EQ(*FileMode(config), 0600);  // it holds the token now
  const std::string backup = agentgate_home_ + "/client-backups/codex/config.toml.orig";
  EXPECT_EQ(Read(backup), kCodexToml);

  // Re-applying (a rotated token) keeps the first backup.
  auto second = c.Apply(ClientKind::kCodex, Options("ag_local_T2"), false);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->backup_created);
  EXPECT_EQ(Read(backup), kCodexToml);
  EXPECT_NE(Read(config).find("ag_local_T2"), std::string::npos);

  auto restored = c.Restore(ClientKind::kCodex);
  ASSERT_TRUE(restored.ok()) << restored.status();
  ASSERT_EQ(restored->files.size(), 1u);
  EXPECT_EQ(restored->files[0].action, RestoreAction::kWriteOriginal);
  EXPECT_EQ(Read(config), kCodexToml);
  EXPECT_EQ(*FileMode(config), 0640);  // the original's own mode
  EXPECT_FALSE(c.HasBackup(ClientKind::kCodex));
  EXPECT_FALSE(FileExists(agentgate_home_ + "/client-backups/codex"));
  EXPECT_EQ(c.Restore(ClientKind::kCodex).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ClientFilesTest, FilesThatGetTheTokenBecomePrivateAndSoDoTheirBackups) {
  // Every client's files, readable by everyone before apply.
  const std::string codex = where_.codex_home + "/config.toml";
  const std::string claude = where_.claude_config_dir + "/settings.json";
  const std::string gemini_settings = where_.home + "/.gemini/settings.json";
  const std::string gemini_env = where_.home + "/.gemini/.env";
  const std::string opencode = where_.xdg_config_home + "/opencode/opencode.json";
  Write(codex, kCodexToml, 0644);
  Write(claude, "{\n  \"theme\": \"dark\"\n}\n", 0644);
  Write(gemini_settings, "{}\n", 0644);
  Write(gemini_env, "OTHER=1\n", 0644);
  Write(opencode, "{\n  \"theme\": \"x\"\n}\n", 0644);
  ClientConfigurator c(agentgate_home_, where_);
  for (ClientKind kind : AllClients()) {
    auto applied = c.Apply(kind, Options(), false);
    ASSERT_TRUE(applied.ok()) << ClientName(kind) << ": " << applied.status();
  }
  for (const auto& path : {codex, claude, gemini_env, opencode}) {
    EXPECT_NE(Read(path).find("ag_local_T1"), std::string::npos) << path;
    EXPECT_EQ(*FileMode(path), 0600) << path;
  }
  // Gemini's settings.json only selects the auth type: no token, so its mode stays.
  EXPECT_EQ(Read(gemini_settings).find("ag_local_T1"), std::string::npos);
  EXPECT_EQ(*FileMode(gemini_settings), 0644);

  const std::string backups = agentgate_home_ + "/client-backups";
  EXPECT_EQ(*FileMode(backups + "/codex"), 0700);
  for (const auto& backup :
       {backups + "/codex/config.toml.orig", backups + "/claude/settings.json.orig",
        backups + "/gemini/.env.orig", backups + "/opencode/opencode.json.orig",
        backups + "/codex/manifest.json"}) {
    EXPECT_EQ(*FileMode(backup), 0600) << backup;
  }

  // Restore gives each original its own mode back.
  ASSERT_TRUE(c.Restore(ClientKind::kCodex).ok());
  EXPECT_EQ(Read(codex), kCodexToml);
  EXPECT_EQ(*FileMode(codex), 0644);
}

TEST_F(ClientFilesTest, ReapplyingMakesAnAlreadyConfiguredOpenFilePrivate) {
  // An apply from before this rule, or a chmod since: the token sits in a 0644 file that apply
  // would not rewrite.
  const std::string claude = where_.claude_config_dir + "/settings.json";
  ClientConfigurator c(agentgate_home_, where_);
  ASSERT_TRUE(c.Apply(ClientKind::kClaude, Options(), false).ok());
  ASSERT_EQ(::chmod(claude.c_str(), 0644), 0);
  auto again = c.Apply(ClientKind::kClaude, Options(), false);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->plan.files[0].changed());
  EXPECT_EQ(*FileMode(claude), 0600);
}

TEST_F(ClientFilesTest, RestoreAfterAUserEditKeepsTheEdit) {
  const std::string config = where_.codex_home + "/config.toml";
  Write(config, kCodexToml);
  ClientConfigurator c(agentgate_home_, where_);
  ASSERT_TRUE(c.Apply(ClientKind::kCodex, Options(), false).ok());
  Write(config, Read(config) + "\n[profiles.x]\nmodel = \"y\"\n");
  auto restored = c.Restore(ClientKind::kCodex);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->files[0].action, RestoreAction::kWriteMerged);
  EXPECT_TRUE(restored->files[0].changed_since_apply);
  EXPECT_EQ(Read(config), std::string(kCodexToml) + "\n[profiles.x]\nmodel = \"y\"\n");
}

TEST_F(ClientFilesTest, AnEditBetweenTwoAppliesSurvivesTheRestore) {
  const std::string config = where_.codex_home + "/config.toml";
  Write(config, kCodexToml);
  ClientConfigurator c(agentgate_home_, where_);
  ASSERT_TRUE(c.Apply(ClientKind::kCodex, Options(), false).ok());
  Write(config, Read(config) + "\n[profiles.x]\nmodel = \"y\"\n");
  // Applied again: the file now matches what this apply wrote, so a restore takes the kept
  // original, which must be the edited file without the gateway's entries.
  ASSERT_TRUE(c.Apply(ClientKind::kCodex, Options("ag_local_T2"), false).ok());
  auto restored = c.Restore(ClientKind::kCodex);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->files[0].action, RestoreAction::kWriteOriginal);
  EXPECT_EQ(Read(config), std::string(kCodexToml) + "\n[profiles.x]\nmodel = \"y\"\n");
}

TEST_F(ClientFilesTest, FilesThatDidNotExistAreRemoved) {
  ClientConfigurator c(agentgate_home_, where_);
  auto applied = c.Apply(ClientKind::kGemini, Options(), false);
  ASSERT_TRUE(applied.ok()) << applied.status();
  const std::string settings = where_.home + "/.gemini/settings.json";
  const std::string env = where_.home + "/.gemini/.env";
  EXPECT_TRUE(FileExists(settings));
  EXPECT_EQ(*FileMode(env), 0600);  // it holds the token
  EXPECT_EQ(
      c.Status(ClientKind::kGemini, "http://127.0.0.1:9090", "ag_local_T1").inspection.pointing,
      Pointing::kThisGateway);
  auto restored = c.Restore(ClientKind::kGemini);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_FALSE(FileExists(settings));
  EXPECT_FALSE(FileExists(env));
}

TEST_F(ClientFilesTest, DryRunWritesNothing) {
  ClientConfigurator c(agentgate_home_, where_);
  auto plan = c.Apply(ClientKind::kClaude, Options(), true);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->plan.files[0].changed());
  EXPECT_FALSE(FileExists(where_.claude_config_dir + "/settings.json"));
  EXPECT_FALSE(c.HasBackup(ClientKind::kClaude));
}

TEST_F(ClientFilesTest, AnUnreadableFileIsRefusedUntouched) {
  const std::string settings = where_.claude_config_dir + "/settings.json";
  Write(settings, "{ \"env\": { broken");
  ClientConfigurator c(agentgate_home_, where_);
  auto applied = c.Apply(ClientKind::kClaude, Options(), false);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("settings.json"), std::string::npos);
  EXPECT_EQ(Read(settings), "{ \"env\": { broken");
  EXPECT_FALSE(c.HasBackup(ClientKind::kClaude));
}

TEST_F(ClientFilesTest, WritesThroughASymlink) {
  const std::string real = tmp_.File("dotfiles/opencode.json");
  Write(real, "{\n  \"theme\": \"x\"\n}\n");
  std::filesystem::create_directories(where_.xdg_config_home + "/opencode");
  const std::string link = where_.xdg_config_home + "/opencode/opencode.json";
  ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
  ClientConfigurator c(agentgate_home_, where_);
  ASSERT_TRUE(c.Apply(ClientKind::kOpenCode, Options(), false).ok());
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_NE(Read(real).find("agentgate"), std::string::npos);
  ASSERT_TRUE(c.Restore(ClientKind::kOpenCode).ok());
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(Read(real), "{\n  \"theme\": \"x\"\n}\n");
}

TEST_F(ClientFilesTest, ABackupForAnotherPathIsNotMixedUp) {
  ClientConfigurator c(agentgate_home_, where_);
  ASSERT_TRUE(c.Apply(ClientKind::kCodex, Options(), false).ok());
  Locations moved = where_;
  moved.codex_home = tmp_.File("elsewhere");
  ClientConfigurator other(agentgate_home_, moved);
  auto applied = other.Apply(ClientKind::kCodex, Options(), false);
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  // Restore uses the recorded path, wherever CODEX_HOME points now.
  ASSERT_TRUE(other.Restore(ClientKind::kCodex).ok());
  EXPECT_FALSE(FileExists(where_.codex_home + "/config.toml"));
}

TEST_F(ClientFilesTest, StatusAndPath) {
  ClientConfigurator c(agentgate_home_, where_);
  ClientStatus s = c.Status(ClientKind::kClaude, "http://127.0.0.1:9090", "t");
  EXPECT_FALSE(s.config_present);
  EXPECT_EQ(s.inspection.pointing, Pointing::kNotConfigured);
  EXPECT_FALSE(s.backup_present);
  EXPECT_EQ(s.config_path, where_.claude_config_dir + "/settings.json");
  EXPECT_EQ(FindOnPath("sh").empty(), false);
  EXPECT_EQ(FindOnPath("no-such-command-agentgate"), "");
}

}  // namespace
}  // namespace agentgate::clientconf
