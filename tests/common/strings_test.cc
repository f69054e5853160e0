#include "services/common/strings.h"

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace agentgate {
namespace {

TEST(StringsTest, IsAsciiSpace) {
  for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) EXPECT_TRUE(IsAsciiSpace(c)) << int(c);
  for (char c : {'a', '0', '\0', '_', '\x85'}) EXPECT_FALSE(IsAsciiSpace(c)) << int(c);
}

TEST(StringsTest, IsAsciiAlnum) {
  for (char c : {'a', 'z', 'A', 'Z', '0', '9'}) EXPECT_TRUE(IsAsciiAlnum(c)) << c;
  for (char c : {'-', '_', '.', ' ', '@', '[', '`', '{', '/', ':', '\xc3'}) {
    EXPECT_FALSE(IsAsciiAlnum(c)) << int(c);
  }
}

TEST(StringsTest, AsciiLower) {
  EXPECT_EQ(AsciiLower('A'), 'a');
  EXPECT_EQ(AsciiLower('Z'), 'z');
  EXPECT_EQ(AsciiLower('a'), 'a');
  EXPECT_EQ(AsciiLower('@'), '@');
  EXPECT_EQ(AsciiLower('['), '[');
  EXPECT_EQ(AsciiLower('\xc3'), '\xc3');
  EXPECT_EQ(AsciiToLower("HeLLo-World_42"), "hello-world_42");
  EXPECT_EQ(AsciiToLower(""), "");
  EXPECT_EQ(AsciiToLower("\xC3\x84"), "\xC3\x84");  // non-ASCII untouched
}

TEST(StringsTest, StripSpace) {
  EXPECT_EQ(StripSpace("  a b \t\r\n"), "a b");
  EXPECT_EQ(StripSpace("\n\n"), "");
  EXPECT_EQ(StripSpace(""), "");
  EXPECT_EQ(StripSpace("x"), "x");
  EXPECT_EQ(StripSpace("\vx\f"), "x");
}

TEST(StringsTest, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("HTTPS", "https"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("http", "https"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "b"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));  // differ by 0x20 but are not letters
}

TEST(StringsTest, StartsWithIgnoreCase) {
  EXPECT_TRUE(StartsWithIgnoreCase("HTTPS://x", "https://"));
  EXPECT_TRUE(StartsWithIgnoreCase("abc", ""));
  EXPECT_FALSE(StartsWithIgnoreCase("http", "https"));
  EXPECT_FALSE(StartsWithIgnoreCase("xhttps://", "https://"));
}

TEST(StringsTest, MessageOfStatusAndStatusOr) {
  EXPECT_EQ(Message(absl::InvalidArgumentError("bad thing")), "bad thing");
  EXPECT_EQ(Message(absl::OkStatus()), "");
  absl::StatusOr<int> so = absl::NotFoundError("nope");
  EXPECT_EQ(Message(so.status()), "nope");
}

}  // namespace
}  // namespace agentgate
