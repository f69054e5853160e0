// The sealed backup file: round trips, and everything an attacker or a broken disk could do to
// it fails closed, leaving nothing half-written.
#include "services/store/backup_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace agentgate::store {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
void Spit(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

class BackupFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agentgate_backup_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::filesystem::create_directory(dir_ + "/out");
    // A stats.db larger than a chunk, so entries straddle chunks.
    big_.resize(2 * 1024 * 1024 + 12345);
    for (size_t i = 0; i < big_.size(); ++i) big_[i] = static_cast<char>(i * 7 + (i >> 9));
    Spit(dir_ + "/stats.db", big_);
    Spit(dir_ + "/config.db", "config bytes");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Make(const std::string& key, const std::string& seal = "passphrase",
                   const std::string& name = "b.agbak") {
    BackupHeader h;
    h.created_at_ms = 1'765'000'000'000;
    h.seal = seal;
    h.salt = "0123456789abcdef";
    h.host = "laptop";
    h.contents = {"config.db", "stats.db", "token"};
    auto w = BackupWriter::Create(dir_ + "/" + name, h, key);
    EXPECT_TRUE(w.ok()) << w.status();
    EXPECT_TRUE((*w)->AddFile("config.db", dir_ + "/config.db").ok());
    EXPECT_TRUE((*w)->AddFile("stats.db", dir_ + "/stats.db").ok());
    EXPECT_TRUE((*w)->BeginEntry("token", 0).ok());  // an empty entry
    EXPECT_TRUE((*w)->Finish().ok());
    return dir_ + "/" + name;
  }
  std::string Out(const std::string& name) { return dir_ + "/out/" + name; }
  bool OutEmpty() { return std::filesystem::is_empty(dir_ + "/out"); }

  std::string dir_, big_;
  const std::string key_ = std::string(32, 'k');
};

TEST_F(BackupFileTest, RoundTrip) {
  const std::string path = Make(key_);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));
  auto h = ReadBackupHeader(path);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->created_at_ms, 1'765'000'000'000);
  EXPECT_EQ(h->seal, "passphrase");
  EXPECT_EQ(h->salt, "0123456789abcdef");
  EXPECT_EQ(h->contents.size(), 3u);
  auto names = ExtractBackup(path, key_, dir_ + "/out");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->size(), 3u);
  EXPECT_EQ(Slurp(Out("config.db")), "config bytes");
  EXPECT_EQ(Slurp(Out("stats.db")), big_);
  EXPECT_EQ(Slurp(Out("token")), "");
  ASSERT_EQ(::stat(Out("stats.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing of the plaintext is in the file.
  EXPECT_EQ(Slurp(path).find("config bytes"), std::string::npos);
}

TEST_F(BackupFileTest, KeysFromAPassphraseAndTheMasterKey) {
  auto a = BackupKeyFromPassphrase("correct horse", "salt-1");
  auto b = BackupKeyFromPassphrase("correct horse", "salt-2");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*a, *BackupKeyFromPassphrase("correct horse", "salt-1"));
  EXPECT_FALSE(BackupKeyFromPassphrase("", "salt").ok());
  const std::string m = BackupKeyFromMasterKey(std::string(32, 'm'));
  EXPECT_EQ(m.size(), 32u);
  EXPECT_NE(m, std::string(32, 'm'));  // never the master key itself
}

TEST_F(BackupFileTest, AWrongKeyOpensNothing) {
  const std::string path = Make(key_);
  auto r = ExtractBackup(path, std::string(32, 'x'), dir_ + "/out");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("passphrase"), std::string::npos);
  EXPECT_TRUE(OutEmpty());
}

TEST_F(BackupFileTest, DamageFailsClosedAndLeavesNothing) {
  const std::string path = Make(key_);
  const std::string good = Slurp(path);
  const size_t header_end = 8 + static_cast<unsigned char>(good[4]) +
                            (static_cast<size_t>(static_cast<unsigned char>(good[5])) << 8);
  struct Case {
    const char* what;
    std::string bytes;
  };
  std::vector<Case> cases;
  std::string flipped = good;
  flipped[good.size() / 2] ^= 1;
  cases.push_back({"a flipped bit in the middle", flipped});
  cases.push_back(
      {"cut at a chunk boundary", good.substr(0, header_end + 4 + 12 + (1 << 20) + 16)});
  cases.push_back({"cut anywhere", good.substr(0, good.size() - 100)});
  cases.push_back({"bytes appended", good + "extra"});
  std::string header = good;
  header[header_end - 3] ^= 1;  // inside the header JSON
  cases.push_back({"a changed header", header});
  for (const auto& c : cases) {
    Spit(dir_ + "/bad.agbak", c.bytes);
    auto r = ExtractBackup(dir_ + "/bad.agbak", key_, dir_ + "/out");
    EXPECT_FALSE(r.ok()) << c.what;
    EXPECT_TRUE(OutEmpty()) << c.what;
  }
  // Not a backup at all.
  for (const std::string junk : {std::string(""), std::string("AGBK"), std::string("hello world"),
                                 std::string("AGBK\xff\xff\xff\xff", 8)}) {
    Spit(dir_ + "/junk", junk);
    EXPECT_EQ(ReadBackupHeader(dir_ + "/junk").status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(ExtractBackup(dir_ + "/junk", key_, dir_ + "/out").ok());
  }
}

// A writer refuses names outside the list, more bytes than announced, and an unfinished file
// is never left where a backup is expected.
TEST_F(BackupFileTest, TheWriterKeepsItsPromises) {
  BackupHeader h;
  h.seal = "master-key";
  {
    auto w = BackupWriter::Create(dir_ + "/w.agbak", h, key_);
    ASSERT_TRUE(w.ok());
    EXPECT_FALSE((*w)->BeginEntry("../etc/passwd", 1).ok());
    EXPECT_FALSE((*w)->BeginEntry("notes.txt", 1).ok());
    ASSERT_TRUE((*w)->BeginEntry("token", 3).ok());
    EXPECT_FALSE((*w)->Write("four").ok());
    EXPECT_FALSE((*w)->Finish().ok());  // 3 bytes still owed
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/w.agbak"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/w.agbak.part"));
  EXPECT_FALSE(BackupWriter::Create(dir_ + "/x.agbak", h, "short").ok());
}

}  // namespace
}  // namespace agentgate::store
