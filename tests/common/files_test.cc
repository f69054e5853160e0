#include "services/common/files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

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

// The names in `dir`, sorted.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Sets an environment variable (or unsets it, for nullopt) and puts it back on destruction.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Names an older WriteFileAtomic, or a careless rewrite of it, could use for its temporary file.
std::vector<std::string> PredictableTempNames(const std::string& path) {
  std::string pid = std::to_string(::getpid());
  std::string dir = path.substr(0, path.rfind('/') + 1);
  std::string base = path.substr(path.rfind('/') + 1);
  return {path + ".tmp." + pid,      path + ".tmp",
          path + ".tmp-" + pid,      path + "~",
          dir + "." + base + ".tmp", dir + "." + base + ".tmp." + pid};
}

TEST(FilesTest, WriteFileAtomicNeverFollowsAPlantedSymlink) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The victim is a file the writer must not touch; links to it wait at every name an attacker
  // could predict.
  std::string victim = dir.File("victim");
  ASSERT_TRUE(WriteFileAtomic(victim, "precious", 0644).ok());
  std::string path = dir.File("config");
  for (const auto& name : PredictableTempNames(path)) {
    ASSERT_EQ(::symlink(victim.c_str(), name.c_str()), 0) << name;
  }
  ASSERT_TRUE(WriteFileAtomic(path, "new secret").ok());

  EXPECT_EQ(*ReadFile(victim), "precious");
  EXPECT_EQ(ModeOf(victim), 0644);
  EXPECT_EQ(*ReadFile(path), "new secret");
  struct stat st;
  ASSERT_EQ(::lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  for (const auto& name : PredictableTempNames(path)) {
    ASSERT_EQ(::lstat(name.c_str(), &st), 0) << name << " was removed or replaced";
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << name;
  }
}

TEST(FilesTest, WriteFileAtomicNeverWritesThroughAPlantedHardLink) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string victim = dir.File("victim");
  ASSERT_TRUE(WriteFileAtomic(victim, "precious", 0644).ok());
  std::string path = dir.File("config");
  for (const auto& name : PredictableTempNames(path)) {
    ASSERT_EQ(::link(victim.c_str(), name.c_str()), 0) << name;
  }
  ASSERT_TRUE(WriteFileAtomic(path, "new secret").ok());
  EXPECT_EQ(*ReadFile(victim), "precious");
  EXPECT_EQ(ModeOf(victim), 0644);
  EXPECT_EQ(*ReadFile(path), "new secret");
}

TEST(FilesTest, WriteFileAtomicReplacesASymlinkAtThePathItself) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string victim = dir.File("victim");
  ASSERT_TRUE(WriteFileAtomic(victim, "precious", 0644).ok());
  std::string path = dir.File("token");
  ASSERT_EQ(::symlink(victim.c_str(), path.c_str()), 0);
  ASSERT_TRUE(WriteFileAtomic(path, "secret").ok());
  EXPECT_EQ(*ReadFile(victim), "precious");
  struct stat st;
  ASSERT_EQ(::lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(ModeOf(path), 0600);
}

TEST(FilesTest, WriteFileAtomicModeIsExactUnderAnyUmask) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  for (mode_t mask : {0000, 0022, 0077, 0777}) {
    for (int mode : {0600, 0644, 0640, 0400}) {
      mode_t old = ::umask(mask);
      std::string path = dir.File("f" + std::to_string(mask) + "_" + std::to_string(mode));
      absl::Status st = WriteFileAtomic(path, "x", mode);
      ::umask(old);
      ASSERT_TRUE(st.ok()) << st;
      EXPECT_EQ(ModeOf(path), mode) << "umask " << mask;
    }
  }
}

TEST(FilesTest, WriteFileAtomicFromManyThreadsAtOnce) {
  // Each write has its own temporary file: writers in one process never take each other's.
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("shared");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string content(4096, static_cast<char>('a' + t));
      for (int i = 0; i < 200; ++i) {
        if (!WriteFileAtomic(path, content).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto content = ReadFile(path);
  ASSERT_TRUE(content.ok());
  ASSERT_EQ(content->size(), 4096u);
  EXPECT_EQ(*content, std::string(4096, content->front()));
  EXPECT_THAT(Names(dir.path()), testing::ElementsAre("shared"));
}

TEST(FilesTest, WriteFileAtomicFailingToWriteLeavesNoTemporaryFile) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("f");
  ASSERT_TRUE(WriteFileAtomic(path, "old").ok());
  // A file-size limit makes write() fail with EFBIG half way.
  struct sigaction ignore {
  }, old_action{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &old_action), 0);
  struct rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  struct rlimit small = old_limit;
  small.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  absl::Status st = WriteFileAtomic(path, std::string(64 * 1024, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::sigaction(SIGXFSZ, &old_action, nullptr);

  EXPECT_FALSE(st.ok());
  EXPECT_EQ(*ReadFile(path), "old");
  EXPECT_THAT(Names(dir.path()), testing::ElementsAre("f"));
}

TEST(FilesTest, WriteFileAtomicFailingToRenameLeavesNoTemporaryFile) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  // A non-empty folder where the file should go: the rename fails.
  ASSERT_TRUE(EnsureDir(dir.File("target/inside")).ok());
  EXPECT_FALSE(WriteFileAtomic(dir.File("target"), "x").ok());
  EXPECT_THAT(Names(dir.path()), testing::ElementsAre("target"));
  EXPECT_THAT(Names(dir.File("target")), testing::ElementsAre("inside"));
}

TEST(FilesTest, EnsureDirCreatesPrivateFoldersUnderAnyUmask) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  mode_t old = ::umask(0);
  absl::Status st = EnsureDir(dir.File("p/q"));
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(ModeOf(dir.File("p")), 0700);
  EXPECT_EQ(ModeOf(dir.File("p/q")), 0700);
}

TEST(FilesTest, CheckDataDirAcceptsAPrivateFolderOfOurOwn) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
  EXPECT_TRUE(CheckDataDir(dir.path()).ok());
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  EXPECT_TRUE(CheckDataDir(dir.path()).ok());
  // A symlink of our own to it is fine too.
  test::TempDir other;
  ASSERT_TRUE(other.ok());
  std::string link = other.File("home");
  ASSERT_EQ(::symlink(dir.path().c_str(), link.c_str()), 0);
  EXPECT_TRUE(CheckDataDir(link).ok());
}

TEST(FilesTest, CheckDataDirRefusesAFolderOthersCanWrite) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  for (mode_t mode : {0777, 0770, 0702, 01777}) {
    ASSERT_EQ(::chmod(dir.path().c_str(), mode), 0);
    absl::Status st = CheckDataDir(dir.path());
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << mode;
    EXPECT_THAT(std::string(st.message()), testing::HasSubstr(dir.path()));
    EXPECT_THAT(std::string(st.message()), testing::HasSubstr("chmod 700 " + dir.path()));
    EXPECT_THAT(std::string(st.message()),
                testing::HasSubstr("owner uid " + std::to_string(::geteuid())));
  }
}

TEST(FilesTest, CheckDataDirRefusesAFolderOfAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a folder to another user";
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(::chmod(dir.path().c_str(), 0700), 0);
  ASSERT_EQ(::chown(dir.path().c_str(), 12345, 12345), 0);
  absl::Status st = CheckDataDir(dir.path());
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(st.message()), testing::HasSubstr(dir.path()));
  EXPECT_THAT(std::string(st.message()), testing::HasSubstr("uid 12345"));
  EXPECT_THAT(std::string(st.message()), testing::HasSubstr("--home"));
  // EnsureDataDir refuses it too, and leaves it as it was.
  EXPECT_FALSE(EnsureDataDir(dir.path()).ok());
  struct stat info;
  ASSERT_EQ(::stat(dir.path().c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 12345u);
}

TEST(FilesTest, CheckDataDirRefusesASymlinkOfAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a symlink to another user";
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  test::TempDir other;
  ASSERT_TRUE(other.ok());
  std::string link = other.File("home");
  ASSERT_EQ(::symlink(dir.path().c_str(), link.c_str()), 0);
  ASSERT_EQ(::lchown(link.c_str(), 12345, 12345), 0);
  absl::Status st = CheckDataDir(link);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(st.message()), testing::HasSubstr(link));
  EXPECT_THAT(std::string(st.message()), testing::HasSubstr("uid 12345"));
}

TEST(FilesTest, CheckDataDirOfAMissingFolderIsNotFound) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(CheckDataDir(dir.File("missing")).code(), absl::StatusCode::kNotFound);
}

TEST(FilesTest, EnsureDataDirCreatesAPrivateFolderAndRefusesAnOpenOne) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  mode_t old = ::umask(0);
  absl::Status created = EnsureDataDir(dir.File("home"));
  ::umask(old);
  ASSERT_TRUE(created.ok()) << created;
  EXPECT_EQ(ModeOf(dir.File("home")), 0700);

  // An existing world-writable folder is refused, not silently fixed: someone may have put
  // files in it already.
  ASSERT_EQ(::chmod(dir.File("home").c_str(), 0777), 0);
  absl::Status st = EnsureDataDir(dir.File("home"));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ModeOf(dir.File("home")), 0777);
}

TEST(FilesTest, DefaultHomeFallsBackToThePasswordDatabase) {
  struct passwd* pw = ::getpwuid(::geteuid());
  if (pw == nullptr || pw->pw_dir == nullptr || pw->pw_dir[0] == '\0') {
    GTEST_SKIP() << "this user has no password-database home";
  }
  std::string expected = std::string(pw->pw_dir) + "/.agentgate";
  ScopedEnv no_agentgate_home("AGENTGATE_HOME", std::nullopt);
  {
    ScopedEnv no_home("HOME", std::nullopt);
    EXPECT_EQ(DefaultHome(), expected);
    EXPECT_EQ(*UserHome(), pw->pw_dir);
  }
  {
    ScopedEnv empty_home("HOME", "");
    EXPECT_EQ(DefaultHome(), expected);
  }
  EXPECT_EQ(DefaultHome().rfind("/tmp", 0), std::string::npos);
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
