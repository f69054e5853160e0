#include "services/common/token.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <set>
#include <string>

#include "services/common/files.h"
#include "services/common/strings.h"
#include "tests/common/temp_dir.h"

namespace agentgate {
namespace {

using ::testing::HasSubstr;

bool IsBase64UrlChar(char c) { return IsAsciiAlnum(c) || c == '-' || c == '_'; }

// ---------------------------------------------------------------------------------------------
// Local token and random helpers

TEST(TokenTest, LocalTokenHasPrefixAndLength) {
  std::string t = GenerateLocalToken();
  EXPECT_EQ(t.rfind("ag_local_", 0), 0u) << t;
  EXPECT_EQ(kLocalTokenPrefix, "ag_local_");
  // 32 random bytes in unpadded base64url: 43 characters.
  EXPECT_EQ(t.size(), 9u + 43u) << t;
  for (char c : t.substr(9)) EXPECT_TRUE(IsBase64UrlChar(c)) << t;
  EXPECT_EQ(t.find('='), std::string::npos);
}

TEST(TokenTest, LocalTokensAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(GenerateLocalToken());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(TokenTest, LocalTokenDecodesTo32Bytes) {
  std::string t = GenerateLocalToken();
  auto raw = Base64Decode(t.substr(kLocalTokenPrefix.size()));
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->size(), 32u);
}

TEST(TokenTest, RandomBytesLengthAndVariety) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(64).size(), 64u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(TokenTest, RandomHexLengthAndAlphabet) {
  for (size_t n : {0u, 1u, 7u, 16u, 33u}) {
    std::string h = RandomHex(n);
    EXPECT_EQ(h.size(), n);
    for (char c : h) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << h;
  }
  EXPECT_NE(RandomHex(32), RandomHex(32));
}

// ---------------------------------------------------------------------------------------------
// ConstantTimeEquals

TEST(TokenTest, ConstantTimeEqualsSameContent) {
  EXPECT_TRUE(ConstantTimeEquals("ag_local_abc", "ag_local_abc"));
  std::string a("x\0y", 3), b("x\0y", 3);
  EXPECT_TRUE(ConstantTimeEquals(a, b));
}

TEST(TokenTest, ConstantTimeEqualsDifferentContent) {
  EXPECT_FALSE(ConstantTimeEquals("ag_local_abc", "ag_local_abd"));
  EXPECT_FALSE(ConstantTimeEquals("bg_local_abc", "ag_local_abc"));
  std::string a("x\0y", 3), b("x\0z", 3);
  EXPECT_FALSE(ConstantTimeEquals(a, b));
}

TEST(TokenTest, ConstantTimeEqualsDifferentLengths) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abcd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
}

TEST(TokenTest, ConstantTimeEqualsNeverMatchesEmpty) {
  // An empty expected token (no token configured yet) must never let an empty one through.
  EXPECT_FALSE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

// ---------------------------------------------------------------------------------------------
// MaskSecret

TEST(TokenTest, MaskSecretKeepsVendorPrefixAndLastFour) {
  EXPECT_EQ(MaskSecret("sk-abcdef1234567890wxyz"), "sk-…wxyz");
  EXPECT_EQ(MaskSecret("gsk_abcdef1234567890wxyz"), "gsk_…wxyz");
  EXPECT_EQ(MaskSecret("xai-abcdef1234567890wxyz"), "xai-…wxyz");
  // Only up to the first separator.
  EXPECT_EQ(MaskSecret("sk-ant-api03-abcdef1234567890wxyz"), "sk-…wxyz");
}

TEST(TokenTest, MaskSecretWithoutPrefix) {
  EXPECT_EQ(MaskSecret("abcdef1234567890wxyz"), "…wxyz");
  EXPECT_EQ(MaskSecret("AIzaSyAbcdef1234567890wxyz"), "…wxyz");
  // A separator after the first eight characters is not a prefix.
  EXPECT_EQ(MaskSecret("abcdefgh-1234567890wxyz"), "…wxyz");
  EXPECT_EQ(MaskSecret("abcdefg-1234567890wxyz"), "abcdefg-…wxyz");
}

TEST(TokenTest, MaskSecretShortSecretsShowNothing) {
  EXPECT_EQ(MaskSecret(""), "…");
  EXPECT_EQ(MaskSecret("abc"), "…");
  EXPECT_EQ(MaskSecret("sk-12345678"), "…");          // 11 characters
  EXPECT_EQ(MaskSecret("sk-123456789"), "sk-…6789");  // 12 characters
}

TEST(TokenTest, MaskSecretNeverContainsTheMiddle) {
  std::string key = "sk-SECRETSECRETSECRET1234";
  std::string masked = MaskSecret(key);
  EXPECT_EQ(masked, "sk-…1234");
  EXPECT_EQ(masked.find("SECRET"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Base64

struct Vector {
  const char* plain;
  const char* std;
  const char* url;
};

// RFC 4648 section 10.
constexpr Vector kRfcVectors[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64Test, RfcVectorsEncode) {
  for (const auto& v : kRfcVectors) {
    EXPECT_EQ(Base64Encode(v.plain), v.std) << v.plain;
    EXPECT_EQ(Base64UrlEncode(v.plain), v.url) << v.plain;
  }
}

TEST(Base64Test, RfcVectorsDecodePaddedAndUnpadded) {
  for (const auto& v : kRfcVectors) {
    auto a = Base64Decode(v.std);
    ASSERT_TRUE(a.ok()) << v.std << ": " << a.status();
    EXPECT_EQ(*a, v.plain);
    auto b = Base64Decode(v.url);
    ASSERT_TRUE(b.ok()) << v.url << ": " << b.status();
    EXPECT_EQ(*b, v.plain);
  }
}

TEST(Base64Test, UrlAlphabetReplacesPlusAndSlash) {
  std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  auto a = Base64Decode("+/+/");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, bytes);
  auto b = Base64Decode("-_-_");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, bytes);
}

TEST(Base64Test, BinaryWithNulsRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (const std::string& in :
       {all, std::string(1, '\0'), std::string(2, '\0'), std::string(3, '\0'),
        std::string("\0a\0", 3), std::string("ab\0\0", 4)}) {
    auto std_dec = Base64Decode(Base64Encode(in));
    ASSERT_TRUE(std_dec.ok()) << std_dec.status();
    EXPECT_EQ(*std_dec, in);
    auto url_dec = Base64Decode(Base64UrlEncode(in));
    ASSERT_TRUE(url_dec.ok()) << url_dec.status();
    EXPECT_EQ(*url_dec, in);
  }
}

TEST(Base64Test, RandomRoundTripsOfEveryLength) {
  std::mt19937 rng(12345);
  for (size_t len = 0; len <= 200; ++len) {
    std::string in(len, '\0');
    for (char& c : in) c = static_cast<char>(rng() & 0xff);
    std::string enc = Base64Encode(in);
    EXPECT_EQ(enc.size(), 4 * ((len + 2) / 3));
    auto dec = Base64Decode(enc);
    ASSERT_TRUE(dec.ok()) << len;
    EXPECT_EQ(*dec, in) << len;
    std::string url = Base64UrlEncode(in);
    EXPECT_EQ(url.find_first_of("+/="), std::string::npos) << url;
    auto dec2 = Base64Decode(url);
    ASSERT_TRUE(dec2.ok()) << len;
    EXPECT_EQ(*dec2, in) << len;
  }
}

TEST(Base64Test, DecodeIgnoresSurroundingWhitespace) {
  auto a = Base64Decode("  Zm9vYmFy\n");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, "foobar");
  auto b = Base64Decode("\tZm8=\r\n");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, "fo");
}

TEST(Base64Test, DecodeRejectsJunk) {
  for (const char* junk : {"!!!!", "Zm9v$", "Zm9v YmFy!", "@@", "Zm9\x01", "\xff\xfe\xfd\xfc"}) {
    auto r = Base64Decode(junk);
    EXPECT_FALSE(r.ok()) << "accepted: " << junk;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(Base64Test, DecodeRejectsImpossibleLength) {
  // 4n+1 characters cannot be base64 of anything.
  EXPECT_FALSE(Base64Decode("Zm9vY").ok());
  EXPECT_FALSE(Base64Decode("A").ok());
  EXPECT_FALSE(Base64Decode("A===").ok());
}

TEST(Base64Test, DecodeRejectsMisplacedOrExcessPadding) {
  EXPECT_FALSE(Base64Decode("Zm9v====").ok());
  EXPECT_FALSE(Base64Decode("QQ=A").ok());
  EXPECT_FALSE(Base64Decode("Zm8==").ok());
}

TEST(Base64Test, DecodeOfOnlyPaddingIsAnErrorNotAnException) {
  for (const char* s : {"=", "==", "===", "====", "========"}) {
    absl::StatusOr<std::string> r;
    EXPECT_NO_THROW(r = Base64Decode(s)) << s;
    EXPECT_FALSE(r.ok()) << s;
  }
}

// ---------------------------------------------------------------------------------------------
// TokenFile

void SetMtime(const std::string& path, time_t sec, long nsec) {
  struct timespec times[2];
  times[0].tv_sec = sec;
  times[0].tv_nsec = nsec;
  times[1].tv_sec = sec;
  times[1].tv_nsec = nsec;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(TokenFileTest, MissingFileGivesEmpty) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  TokenFile tf(dir.File("token"));
  EXPECT_EQ(tf.path(), dir.File("token"));
  EXPECT_EQ(tf.Get(), "");
  EXPECT_EQ(tf.Get(), "");
}

TEST(TokenFileTest, ReadsAndStripsWhitespace) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(WriteFileAtomic(dir.File("token"), "  ag_local_one\n").ok());
  TokenFile tf(dir.File("token"));
  EXPECT_EQ(tf.Get(), "ag_local_one");
}

TEST(TokenFileTest, RereadsWhenModificationTimeChanges) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("token");
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_one\n").ok());
  SetMtime(path, 1700000000, 0);
  TokenFile tf(path);
  EXPECT_EQ(tf.Get(), "ag_local_one");

  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_two\n").ok());
  SetMtime(path, 1700000001, 0);
  EXPECT_EQ(tf.Get(), "ag_local_two");

  // A change of only the nanoseconds counts too.
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_three\n").ok());
  SetMtime(path, 1700000001, 5);
  EXPECT_EQ(tf.Get(), "ag_local_three");
}

TEST(TokenFileTest, CachesWhileModificationTimeIsUnchanged) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("token");
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_one").ok());
  SetMtime(path, 1700000000, 0);
  TokenFile tf(path);
  EXPECT_EQ(tf.Get(), "ag_local_one");
  // New content with the old time: the cached value is kept (proves it does not re-read).
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_two").ok());
  SetMtime(path, 1700000000, 0);
  EXPECT_EQ(tf.Get(), "ag_local_one");
}

TEST(TokenFileTest, RereadsAfterRealRewrite) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("token");
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_one").ok());
  TokenFile tf(path);
  EXPECT_EQ(tf.Get(), "ag_local_one");
  ::usleep(20 * 1000);
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_two").ok());
  EXPECT_EQ(tf.Get(), "ag_local_two");
}

TEST(TokenFileTest, FileRemovedThenRecreated) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("token");
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_one").ok());
  SetMtime(path, 1700000000, 0);
  TokenFile tf(path);
  EXPECT_EQ(tf.Get(), "ag_local_one");
  ASSERT_EQ(::unlink(path.c_str()), 0);
  EXPECT_EQ(tf.Get(), "");
  // Recreated with the very same mtime: must still be read again.
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_two").ok());
  SetMtime(path, 1700000000, 0);
  EXPECT_EQ(tf.Get(), "ag_local_two");
}

TEST(TokenFileTest, FileCreatedLater) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("token");
  TokenFile tf(path);
  EXPECT_EQ(tf.Get(), "");
  ASSERT_TRUE(WriteFileAtomic(path, "ag_local_late").ok());
  EXPECT_EQ(tf.Get(), "ag_local_late");
}

}  // namespace
}  // namespace agentgate
