#include "services/store/secret_box.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "services/common/token.h"

namespace agentgate::store {
namespace {

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agentgate_secret_box_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static void WriteRaw(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }

  static int Mode(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 0777);
  }

  std::string dir_;
};

SecretBox MakeBox() { return SecretBox(RandomBytes(32)); }

TEST_F(SecretBoxTest, RoundTrip) {
  SecretBox box = MakeBox();
  const std::string secret("sk-live-\0binary\xff", 16);
  std::string sealed = box.Seal(secret, "provider-key");
  EXPECT_EQ(sealed.substr(0, 4), "agv1");
  EXPECT_EQ(sealed.size(), 4 + 12 + secret.size() + 16);
  EXPECT_EQ(sealed.find("sk-live"), std::string::npos);
  auto opened = box.Open(sealed, "provider-key");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, secret);
}

TEST_F(SecretBoxTest, EmptyPlaintextAndEmptyAad) {
  SecretBox box = MakeBox();
  std::string sealed = box.Seal("", "");
  EXPECT_EQ(sealed.size(), 4u + 12 + 16);
  auto opened = box.Open(sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "");
  EXPECT_FALSE(box.Open(sealed, "x").ok());

  std::string sealed2 = box.Seal("data", "");
  auto opened2 = box.Open(sealed2, "");
  ASSERT_TRUE(opened2.ok());
  EXPECT_EQ(*opened2, "data");
}

TEST_F(SecretBoxTest, EachSealUsesAFreshNonce) {
  SecretBox box = MakeBox();
  std::string a = box.Seal("same", "aad");
  std::string b = box.Seal("same", "aad");
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(4, 12), b.substr(4, 12));
  EXPECT_EQ(*box.Open(a, "aad"), "same");
  EXPECT_EQ(*box.Open(b, "aad"), "same");
}

TEST_F(SecretBoxTest, WrongAadFails) {
  SecretBox box = MakeBox();
  std::string sealed = box.Seal("secret", "provider-key");
  EXPECT_FALSE(box.Open(sealed, "other-purpose").ok());
  EXPECT_FALSE(box.Open(sealed, "").ok());
}

TEST_F(SecretBoxTest, EveryTamperedByteFails) {
  SecretBox box = MakeBox();
  std::string sealed = box.Seal("secret value", "aad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(box.Open(tampered, "aad").ok()) << "byte " << i;
  }
}

TEST_F(SecretBoxTest, TruncatedOrMalformedInputFails) {
  SecretBox box = MakeBox();
  std::string sealed = box.Seal("secret value", "aad");
  for (size_t n = 0; n < sealed.size(); ++n) {
    EXPECT_FALSE(box.Open(sealed.substr(0, n), "aad").ok()) << "length " << n;
  }
  EXPECT_FALSE(box.Open(sealed + "x", "aad").ok());
  EXPECT_FALSE(box.Open("", "aad").ok());
  EXPECT_FALSE(box.Open("not sealed at all, but long enough to parse", "aad").ok());
}

TEST_F(SecretBoxTest, WrongKeyFails) {
  SecretBox a = MakeBox();
  SecretBox b = MakeBox();
  std::string sealed = a.Seal("secret", "aad");
  EXPECT_FALSE(b.Open(sealed, "aad").ok());
}

TEST_F(SecretBoxTest, LoadOrCreateMakesPrivateKeyFileAndReusesIt) {
  const std::string path = dir_ + "/sub/master.key";  // the parent folder is created too
  auto first = SecretBox::LoadOrCreate(path, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Mode(path), 0600);
  EXPECT_EQ(Mode(dir_ + "/sub"), 0700);
  EXPECT_EQ(std::filesystem::file_size(path), 32u);

  auto second = SecretBox::LoadOrCreate(path, "");
  ASSERT_TRUE(second.ok()) << second.status();
  std::string sealed = first->Seal("secret", "aad");
  auto opened = second->Open(sealed, "aad");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "secret");
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
}

TEST_F(SecretBoxTest, EnvHexKey) {
  const std::string key = RandomBytes(32);
  const std::string path = dir_ + "/unused.key";
  auto from_env = SecretBox::LoadOrCreate(path, absl::BytesToHexString(key));
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_FALSE(std::filesystem::exists(path));  // the env key wins, no file is created

  auto upper = SecretBox::LoadOrCreate(path, absl::AsciiStrToUpper(absl::BytesToHexString(key)));
  ASSERT_TRUE(upper.ok()) << upper.status();

  SecretBox direct(key);
  std::string sealed = direct.Seal("secret", "aad");
  EXPECT_EQ(*from_env->Open(sealed, "aad"), "secret");
  EXPECT_EQ(*upper->Open(sealed, "aad"), "secret");
}

TEST_F(SecretBoxTest, EnvBase64Key) {
  std::string key = RandomBytes(32);
  key[0] = static_cast<char>(0xfb);  // makes '+' / '-' appear in the encodings
  key[1] = static_cast<char>(0xff);  // and '/' / '_'
  SecretBox direct(key);
  std::string sealed = direct.Seal("secret", "aad");
  const std::string path = dir_ + "/unused.key";

  for (const std::string& env :
       {Base64Encode(key), Base64UrlEncode(key), Base64Encode(key) + "\n"}) {
    auto box = SecretBox::LoadOrCreate(path, env);
    ASSERT_TRUE(box.ok()) << env << ": " << box.status();
    auto opened = box->Open(sealed, "aad");
    ASSERT_TRUE(opened.ok()) << env;
    EXPECT_EQ(*opened, "secret");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(SecretBoxTest, MalformedEnvKeyFails) {
  const std::string path = dir_ + "/unused.key";
  for (const std::string& env : {std::string("short"), std::string(63, 'a'),
                                 std::string(62, 'a') + "zz", Base64Encode(RandomBytes(31)),
                                 Base64Encode(RandomBytes(33)), std::string("!!!!notbase64!!!!")}) {
    auto box = SecretBox::LoadOrCreate(path, env);
    ASSERT_FALSE(box.ok()) << env;
    EXPECT_EQ(box.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(box.status().message(),
              "AGENTGATE_MASTER_KEY must be 64 hex characters or base64 of 32 bytes");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(SecretBoxTest, WrongSizeKeyFileFails) {
  for (size_t size : {0, 16, 31, 33, 64}) {
    const std::string path = dir_ + "/bad" + std::to_string(size) + ".key";
    WriteRaw(path, std::string(size, 'k'));
    auto box = SecretBox::LoadOrCreate(path, "");
    ASSERT_FALSE(box.ok()) << size;
    EXPECT_EQ(box.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(box.status().message().find(path), std::string::npos) << box.status();
    EXPECT_EQ(std::filesystem::file_size(path), size);  // left untouched
  }
}

TEST_F(SecretBoxTest, ExistingKeyFileIsUsed) {
  const std::string key = RandomBytes(32);
  const std::string path = dir_ + "/master.key";
  WriteRaw(path, key);
  auto box = SecretBox::LoadOrCreate(path, "");
  ASSERT_TRUE(box.ok()) << box.status();
  std::string sealed = SecretBox(key).Seal("secret", "aad");
  EXPECT_EQ(*box->Open(sealed, "aad"), "secret");
}

}  // namespace
}  // namespace agentgate::store
