#include "services/routing/url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "services/common/strings.h"

namespace agentgate::routing {
namespace {

using ::testing::HasSubstr;

Url MustParse(std::string_view text) {
  auto u = ParseUrl(text);
  EXPECT_TRUE(u.ok()) << text << ": " << u.status();
  return u.ok() ? *u : Url{};
}

void ExpectRejected(std::string_view text) {
  auto u = ParseUrl(text);
  EXPECT_FALSE(u.ok()) << "accepted: " << text;
  if (!u.ok()) {
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(ParseUrlTest, HttpDefaultPort) {
  Url u = MustParse("http://example.com");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.path, "");
  EXPECT_FALSE(u.tls());
}

TEST(ParseUrlTest, HttpsDefaultPort) {
  Url u = MustParse("https://api.deepseek.com");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "api.deepseek.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.path, "");
  EXPECT_TRUE(u.tls());
}

TEST(ParseUrlTest, ExplicitPort) {
  Url u = MustParse("http://127.0.0.1:11434/v1");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 11434);
  EXPECT_EQ(u.path, "/v1");
  Url s = MustParse("https://h:8443");
  EXPECT_EQ(s.port, 8443);
  EXPECT_TRUE(s.tls());
  EXPECT_EQ(MustParse("http://h:1").port, 1);
  EXPECT_EQ(MustParse("http://h:65535").port, 65535);
}

TEST(ParseUrlTest, Ipv6) {
  Url u = MustParse("http://[::1]:8080");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.path, "");
  EXPECT_EQ(u.HostHeader(), "[::1]:8080");
  EXPECT_EQ(u.Origin(), "http://[::1]:8080");

  Url d = MustParse("https://[2001:db8::5]/v1/");
  EXPECT_EQ(d.host, "2001:db8::5");
  EXPECT_EQ(d.port, 443);
  EXPECT_EQ(d.path, "/v1");
  EXPECT_EQ(d.HostHeader(), "[2001:db8::5]");
}

TEST(ParseUrlTest, BadIpv6) {
  ExpectRejected("http://[::1");
  ExpectRejected("http://[::1]x");
  ExpectRejected("http://[]:80");
}

TEST(ParseUrlTest, TrailingSlashesStrippedPathKept) {
  EXPECT_EQ(MustParse("http://h/").path, "");
  EXPECT_EQ(MustParse("http://h//").path, "");
  EXPECT_EQ(MustParse("http://h/v1/").path, "/v1");
  EXPECT_EQ(MustParse("https://open.bigmodel.cn/api/paas/v4").path, "/api/paas/v4");
  EXPECT_EQ(MustParse("https://h/v1beta/openai/").path, "/v1beta/openai");
}

TEST(ParseUrlTest, SchemeAndHostAreLowercasedPathIsNot) {
  Url u = MustParse("HTTPS://API.Example.COM:8443/V1/Chat");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "api.example.com");
  EXPECT_EQ(u.port, 8443);
  EXPECT_EQ(u.path, "/V1/Chat");
  EXPECT_EQ(MustParse("Http://H").scheme, "http");
}

TEST(ParseUrlTest, SurroundingWhitespaceIgnored) {
  Url u = MustParse("  https://h/v1 \n");
  EXPECT_EQ(u.host, "h");
  EXPECT_EQ(u.path, "/v1");
}

TEST(ParseUrlTest, RejectsOtherSchemes) {
  ExpectRejected("ftp://h");
  ExpectRejected("ws://h");
  ExpectRejected("h:80");
  ExpectRejected("//h");
  ExpectRejected("");
  ExpectRejected("http:/h");
  ExpectRejected("httpx://h");
}

TEST(ParseUrlTest, RejectsUserInfo) {
  ExpectRejected("http://user@h");
  ExpectRejected("https://user:pass@h:443/v1");
}

TEST(ParseUrlTest, RejectsQueryAndFragment) {
  ExpectRejected("http://h/v1?key=1");
  ExpectRejected("http://h?x");
  ExpectRejected("http://h/v1#frag");
  ExpectRejected("http://h#");
}

TEST(ParseUrlTest, RejectsBadPorts) {
  ExpectRejected("http://h:0");
  ExpectRejected("http://h:70000");
  ExpectRejected("http://h:65536");
  ExpectRejected("http://h:abc");
  ExpectRejected("http://h:-1");
  ExpectRejected("http://h:80x");
  ExpectRejected("http://h:8 0");
  ExpectRejected("http://h:99999999999999999999");
}

TEST(ParseUrlTest, RejectsEmptyHost) {
  ExpectRejected("http://");
  ExpectRejected("https:///v1");
  ExpectRejected("http://:8080");
  ExpectRejected("http://:8080/v1");
}

TEST(ParseUrlTest, RejectsBadHostAndPathCharacters) {
  ExpectRejected("http://h st");
  ExpectRejected("http://h%41");
  ExpectRejected("http://h/a b");
  ExpectRejected("http://h/a\"b");
  ExpectRejected("http://h/a<b>");
  ExpectRejected("http://h/a\\b");
}

TEST(ParseUrlTest, RejectsUnbracketedIpv6) {
  ExpectRejected("http://a:b:80");
  ExpectRejected("http://::1");
  ExpectRejected("http://fe80::1/v1");
}

TEST(ParseUrlTest, ErrorMessageNamesTheUrl) {
  auto u = ParseUrl("ftp://files.example.com");
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(Message(u.status()), HasSubstr("ftp://files.example.com"));
}

TEST(UrlTest, HostHeaderOmitsDefaultPort) {
  EXPECT_EQ(MustParse("http://h").HostHeader(), "h");
  EXPECT_EQ(MustParse("https://h").HostHeader(), "h");
  EXPECT_EQ(MustParse("http://h:80").HostHeader(), "h");
  EXPECT_EQ(MustParse("https://h:443").HostHeader(), "h");
  // The other scheme's default port is not a default.
  EXPECT_EQ(MustParse("http://h:443").HostHeader(), "h:443");
  EXPECT_EQ(MustParse("https://h:80").HostHeader(), "h:80");
  EXPECT_EQ(MustParse("http://h:8080").HostHeader(), "h:8080");
}

TEST(UrlTest, OriginAlwaysHasPort) {
  EXPECT_EQ(MustParse("https://h/v1").Origin(), "https://h:443");
  EXPECT_EQ(MustParse("http://h:8080").Origin(), "http://h:8080");
}

TEST(OpenAiPathTest, RootGetsV1) {
  EXPECT_EQ(OpenAiPath(MustParse("http://h"), "/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(OpenAiPath(MustParse("http://h/"), "/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(OpenAiPath(MustParse("https://api.deepseek.com"), "/models"), "/v1/models");
}

TEST(OpenAiPathTest, PathUsedAsIs) {
  EXPECT_EQ(OpenAiPath(MustParse("http://h/v1"), "/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(OpenAiPath(MustParse("http://h/v1/"), "/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(OpenAiPath(MustParse("http://h/api/paas/v4"), "/chat/completions"),
            "/api/paas/v4/chat/completions");
  EXPECT_EQ(OpenAiPath(MustParse("https://h/v1beta/openai"), "/chat/completions"),
            "/v1beta/openai/chat/completions");
}

}  // namespace
}  // namespace agentgate::routing
