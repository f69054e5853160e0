// ConfigStore's MCP servers and Skills (config_store_toolbox.cc): kept by name, checked, sealed
// at rest, and bound to the master key they were written with.
#include <gtest/gtest.h>

#include "services/common/files.h"
#include "services/router/config_store.h"
#include "services/store/sqlite.h"
#include "tests/common/temp_dir.h"

namespace agentgate::router {
namespace {

admin::v1::McpServer Stdio(const std::string& name, const std::string& token = "ghp_TOPSECRET") {
  admin::v1::McpServer s;
  s.set_name(name);
  s.set_command("npx");
  s.add_args("-y");
  s.add_args("@modelcontextprotocol/server-github");
  auto* e = s.add_env();
  e->set_name("GITHUB_TOKEN");
  e->set_value(token);
  return s;
}

admin::v1::Skill Skill(const std::string& name, const std::string& body = "Do it.") {
  admin::v1::Skill s;
  auto* f = s.add_files();
  f->set_path("SKILL.md");
  f->set_content("---\nname: " + name + "\ndescription: Test skill\n---\n" + body + "\n");
  return s;
}

class ToolboxStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Open('k');
  }
  void Open(char key) {
    store_.reset();
    auto s = ConfigStore::Open(dir_.File("config.db"), store::SecretBox(std::string(32, key)));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  test::TempDir dir_;
  std::unique_ptr<ConfigStore> store_;
};

TEST_F(ToolboxStoreTest, ServersAreKeptByNameNormalizedAndSealed) {
  const uint64_t v0 = store_->version();
  auto put = store_->PutMcpServer(Stdio("github"), true);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->transport(), admin::v1::MCP_TRANSPORT_STDIO);
  EXPECT_EQ(put->origin(), "added");
  EXPECT_GT(put->updated_ms(), 0);
  admin::v1::McpServer remote;
  remote.set_name("docs");
  remote.set_url("https://mcp.example.com/mcp");
  remote.add_clients("Claude");
  remote.add_clients("codex");
  ASSERT_TRUE(store_->PutMcpServer(remote, true).ok());
  auto list = store_->ListMcpServers();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name(), "docs");
  EXPECT_EQ((*list)[0].transport(), admin::v1::MCP_TRANSPORT_HTTP);
  ASSERT_EQ((*list)[0].clients_size(), 2);
  EXPECT_EQ((*list)[0].clients(0), "codex");  // lower-cased, in the clients' order
  EXPECT_EQ((*list)[0].clients(1), "claude");
  EXPECT_EQ((*list)[1].env(0).value(), "ghp_TOPSECRET");
  // Not a config change: the edges do not hear of it.
  EXPECT_EQ(store_->version(), v0);
  // The token is not in the file in clear.
  store_.reset();
  auto raw = ReadFile(dir_.File("config.db"));
  auto wal = ReadFile(dir_.File("config.db-wal"));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find("ghp_TOPSECRET"), std::string::npos);
  if (wal.ok()) EXPECT_EQ(wal->find("ghp_TOPSECRET"), std::string::npos);
}

TEST_F(ToolboxStoreTest, CreateOnlyRefusesATakenNameAndPutReplaces) {
  ASSERT_TRUE(store_->PutMcpServer(Stdio("github", "one"), true).ok());
  auto again = store_->PutMcpServer(Stdio("github", "two"), true);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->PutMcpServer(Stdio("github", "two"), false).ok());
  auto list = store_->ListMcpServers();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].env(0).value(), "two");
  EXPECT_TRUE(store_->RemoveMcpServer("github").ok());
  EXPECT_EQ(store_->RemoveMcpServer("github").code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListMcpServers()->empty());
}

TEST_F(ToolboxStoreTest, BadServersAreRefusedWithTheirField) {
  admin::v1::McpServer bad = Stdio("../etc");
  EXPECT_EQ(store_->PutMcpServer(bad, true).status().code(), absl::StatusCode::kInvalidArgument);
  admin::v1::McpServer both = Stdio("both");
  both.set_url("https://x.example/mcp");
  auto st = store_->PutMcpServer(both, true).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(st.message()).find("both"), std::string::npos) << st;
  EXPECT_TRUE(store_->ListMcpServers()->empty());
}

TEST_F(ToolboxStoreTest, ServersSealedWithAnotherMasterKeyAreNotReadAsGarbage) {
  ASSERT_TRUE(store_->PutMcpServer(Stdio("github"), true).ok());
  Open('z');
  auto list = store_->ListMcpServers();
  EXPECT_EQ(list.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(list.status().message()).find("master.key"), std::string::npos);
}

TEST_F(ToolboxStoreTest, ARowCannotBeMovedToAnotherName) {
  ASSERT_TRUE(store_->PutMcpServer(Stdio("github"), true).ok());
  store_.reset();
  {
    auto db = store::Database::Open(dir_.File("config.db"));
    ASSERT_TRUE(db.ok());
    auto stmt = (*db)->Prepare("UPDATE mcp_servers SET name = 'evil' WHERE name = 'github'");
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(stmt->Run().ok());
  }
  Open('k');
  EXPECT_EQ(store_->ListMcpServers().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ToolboxStoreTest, SkillsKeepTheirFilesAndListWithoutThem) {
  admin::v1::Skill s = Skill("pdf-tools");
  auto* script = s.add_files();
  script->set_path("scripts/run.sh");
  script->set_content("#!/bin/sh\necho hi\n");
  script->set_executable(true);
  auto put = store_->PutSkill(s, true);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->name(), "pdf-tools");
  EXPECT_EQ(put->description(), "Test skill");
  EXPECT_EQ(put->file_count(), 2);
  EXPECT_EQ(put->sha256().size(), 64u);
  auto bare = store_->ListSkills(false);
  ASSERT_EQ(bare->size(), 1u);
  EXPECT_TRUE((*bare)[0].files().empty());
  EXPECT_EQ((*bare)[0].file_count(), 2);
  auto full = store_->ListSkills(true);
  ASSERT_EQ((*full)[0].files_size(), 2);
  EXPECT_EQ((*full)[0].files(0).path(), "SKILL.md");
  EXPECT_TRUE((*full)[0].files(1).executable());
  EXPECT_EQ(store_->PutSkill(Skill("pdf-tools"), true).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(store_->RemoveSkill("pdf-tools").ok());
  EXPECT_EQ(store_->RemoveSkill("pdf-tools").code(), absl::StatusCode::kNotFound);
}

TEST_F(ToolboxStoreTest, AllSkillsTogetherStayUnderOneAnswersSize) {
  auto big = [](const std::string& name) {
    admin::v1::Skill s = Skill(name);
    auto* f = s.add_files();
    f->set_path("data.bin");
    f->set_content(std::string(1500 * 1024, 'x'));
    return s;
  };
  ASSERT_TRUE(store_->PutSkill(big("one"), true).ok());
  ASSERT_TRUE(store_->PutSkill(big("two"), true).ok());
  auto third = store_->PutSkill(big("three"), true);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  // Replacing one counts it once.
  EXPECT_TRUE(store_->PutSkill(big("two"), false).ok());
  EXPECT_EQ(store_->ListSkills(false)->size(), 2u);
}

TEST_F(ToolboxStoreTest, SkillsThatWouldWriteOutsideTheirFolderAreRefused) {
  for (const char* path : {"../evil.sh", "/etc/cron.d/x", "a/../../b", "a\\..\\b", "a//b", "."}) {
    admin::v1::Skill s = Skill("safe");
    s.add_files()->set_path(path);
    EXPECT_EQ(store_->PutSkill(s, true).status().code(), absl::StatusCode::kInvalidArgument)
        << path;
  }
  EXPECT_TRUE(store_->ListSkills(false)->empty());
}

}  // namespace
}  // namespace agentgate::router
