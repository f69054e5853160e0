#include "services/common/files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/common/temp_dir.h"

namespace agentgate {
namespace {

int ModeOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

TEST(FilesTest, WriteFileAtomicCreatesPrivateFileWithContent) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("secret");
  ASSERT_TRUE(WriteFileAtomic(path, "hello\n").ok());
  EXPECT_EQ(ModeOf(path), 0600);
  auto mode = FileMode(path);
  ASSERT_TRUE(mode.ok()) << mode.status();
  EXPECT_EQ(*mode, 0600);
  auto content = ReadFile(path);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(*content, "hello\n");
}

TEST(FilesTest, WriteFileAtomicHonoursModeDespiteUmask) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  mode_t old = ::umask(0077);
  absl::Status st = WriteFileAtomic(dir.File("pub"), "x", 0644);
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(ModeOf(dir.File("pub")), 0644);
}

TEST(FilesTest, WriteFileAtomicReplacesContentAndMode) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("f");
  ASSERT_TRUE(WriteFileAtomic(path, "a much longer first version", 0644).ok());
  ASSERT_TRUE(WriteFileAtomic(path, "short").ok());
  EXPECT_EQ(ModeOf(path), 0600);
  auto content = ReadFile(path);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "short");
}

TEST(FilesTest, WriteFileAtomicLeavesNoTemporaryFiles) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("a"), "1").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("a"), "2").ok());
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename(), "a");
    ++n;
  }
  EXPECT_EQ(n, 1);
}

TEST(FilesTest, BinaryAndEmptyContentRoundTrip) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string bin;
  for (int i = 0; i < 3 * 8192 + 17; ++i) bin.push_back(static_cast<char>(i * 7));
  ASSERT_TRUE(WriteFileAtomic(dir.File("bin"), bin).ok());
  auto r = ReadFile(dir.File("bin"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, bin);

  ASSERT_TRUE(WriteFileAtomic(dir.File("empty"), "").ok());
  auto e = ReadFile(dir.File("empty"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "");
}

TEST(FilesTest, WriteFileAtomicIntoMissingFolderFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  absl::Status st = WriteFileAtomic(dir.File("no/such/dir/f"), "x");
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(FileExists(dir.File("no/such/dir/f")));
}

TEST(FilesTest, ReadFileMissingIsNotFound) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto r = ReadFile(dir.File("missing"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

TEST(FilesTest, ReadFileOfFolderIsAnotherError) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto r = ReadFile(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().code(), absl::StatusCode::kNotFound);
}

TEST(FilesTest, FileModeOfMissingFileFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_FALSE(FileMode(dir.File("missing")).ok());
}

TEST(FilesTest, FileExists) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(FileExists(dir.path()));
  EXPECT_FALSE(FileExists(dir.File("x")));
  ASSERT_TRUE(WriteFileAtomic(dir.File("x"), "").ok());
  EXPECT_TRUE(FileExists(dir.File("x")));
}

TEST(FilesTest, EnsureDirCreatesParentsWithMode) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string nested = dir.File("a/b/c");
  ASSERT_TRUE(EnsureDir(nested).ok());
  EXPECT_TRUE(std::filesystem::is_directory(nested));
  EXPECT_EQ(ModeOf(nested), 0700);
  // Existing folder: fine, and the mode is set.
  ASSERT_TRUE(EnsureDir(nested, 0750).ok());
  EXPECT_EQ(ModeOf(nested), 0750);
}

TEST(FilesTest, EnsureDirUnderARegularFileFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("file"), "x").ok());
  EXPECT_FALSE(EnsureDir(dir.File("file/sub")).ok());
}

TEST(FilesTest, DefaultHomeFromEnvironment) {
  const char* old_ag = std::getenv("AGENTGATE_HOME");
  std::string saved_ag = old_ag ? old_ag : "";
  const char* old_home = std::getenv("HOME");
  std::string saved_home = old_home ? old_home : "";

  ::setenv("AGENTGATE_HOME", "/tmp/ag-home-test", 1);
  EXPECT_EQ(DefaultHome(), "/tmp/ag-home-test");
  ::unsetenv("AGENTGATE_HOME");
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(DefaultHome(), "/home/someone/.agentgate");
  ::setenv("AGENTGATE_HOME", "", 1);
  EXPECT_EQ(DefaultHome(), "/home/someone/.agentgate");

  if (old_ag) {
    ::setenv("AGENTGATE_HOME", saved_ag.c_str(), 1);
  } else {
    ::unsetenv("AGENTGATE_HOME");
  }
  if (old_home) {
    ::setenv("HOME", saved_home.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
}

}  // namespace
}  // namespace agentgate
