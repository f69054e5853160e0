#include "services/edge/ingress.h"

#include <gtest/gtest.h>

namespace agentgate::edge {
namespace {

namespace http = net::http;

http::fields With(std::initializer_list<std::pair<http::field, std::string>> fs) {
  http::fields f;
  for (const auto& [name, value] : fs) f.set(name, value);
  return f;
}

TEST(IngressTest, HostName) {
  EXPECT_EQ(HostName("localhost:9090"), "localhost");
  EXPECT_EQ(HostName("LocalHost."), "localhost");
  EXPECT_EQ(HostName("[::1]:9090"), "::1");
  EXPECT_EQ(HostName("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(HostName("gw.team.example:443"), "gw.team.example");
  for (auto bad : {"", "[::1", "[::1]x", "a:b", "a b", "a/b", "user@host", "a\\b"}) {
    EXPECT_EQ(HostName(bad), "") << bad;
  }
}

TEST(IngressTest, LoopbackNames) {
  for (auto h : {"localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "::1"}) {
    EXPECT_TRUE(IsLoopbackName(h)) << h;
  }
  for (auto h : {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "127.evil",
                 "0.0.0.0", "10.0.0.1", "localhostx"}) {
    EXPECT_FALSE(IsLoopbackName(h)) << h;
  }
}

// DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends
// "Host: evil.example"; a loopback edge answers 421.
TEST(IngressTest, LoopbackEdgeServesOnlyLoopbackAndListedHosts) {
  IngressPolicy p;
  p.loopback_listener = true;
  EXPECT_FALSE(CheckHost(p, With({{http::field::host, "127.0.0.1:9090"}}), 11));
  EXPECT_FALSE(CheckHost(p, With({{http::field::host, "localhost"}}), 11));
  IngressCheck evil = CheckHost(p, With({{http::field::host, "evil.example"}}), 11);
  EXPECT_EQ(evil.status, 421);
  EXPECT_NE(evil.message.find("--allowed-host"), std::string::npos);
  EXPECT_EQ(CheckHost(p, {}, 11).status, 400);  // HTTP/1.1 without Host
  EXPECT_FALSE(CheckHost(p, {}, 10));           // HTTP/1.0: no browser sends that
  EXPECT_EQ(CheckHost(p, With({{http::field::host, "a b"}}), 11).status, 400);
  p.allowed_hosts = {"My-Laptop.lan"};
  EXPECT_FALSE(CheckHost(p, With({{http::field::host, "my-laptop.lan:9090"}}), 11));
  // A list replaces the loopback default: only what it names.
  EXPECT_EQ(CheckHost(p, With({{http::field::host, "localhost"}}), 11).status, 421);
}

TEST(IngressTest, RemoteEdgeServesAnyHostUnlessListed) {
  IngressPolicy p;
  p.loopback_listener = false;
  EXPECT_FALSE(CheckHost(p, With({{http::field::host, "gw.team.example"}}), 11));
  p.allowed_hosts = {"gw.team.example"};
  EXPECT_FALSE(CheckHost(p, With({{http::field::host, "gw.team.example"}}), 11));
  EXPECT_EQ(CheckHost(p, With({{http::field::host, "other.example"}}), 11).status, 421);
}

TEST(IngressTest, BrowserOriginsAreRefusedUnlessAllowed) {
  IngressPolicy p;
  EXPECT_FALSE(CheckOrigin(p, {}));
  IngressCheck c = CheckOrigin(p, With({{http::field::origin, "https://evil.example"}}));
  EXPECT_EQ(c.status, 403);
  EXPECT_EQ(c.code, "forbidden_origin");
  EXPECT_EQ(CheckOrigin(p, With({{http::field::origin, "null"}})).status, 403);
  p.allowed_origins = {"https://app.example"};
  EXPECT_FALSE(CheckOrigin(p, With({{http::field::origin, "HTTPS://app.example/"}})));
  EXPECT_EQ(CheckOrigin(p, With({{http::field::origin, "https://app.example.evil"}})).status, 403);
}

TEST(IngressTest, CompressedRequestBodiesAre415) {
  EXPECT_FALSE(CheckBodyEncoding({}));
  EXPECT_FALSE(CheckBodyEncoding(With({{http::field::content_encoding, " Identity"}})));
  IngressCheck c = CheckBodyEncoding(With({{http::field::content_encoding, "gzip"}}));
  EXPECT_EQ(c.status, 415);
  EXPECT_NE(c.message.find("'gzip'"), std::string::npos);
}

TEST(IngressTest, ClientCredentialFromEachPlace) {
  EXPECT_EQ(ClientCredential(With({{http::field::authorization, "Bearer  tok "}}), ""), "tok");
  http::fields f;
  f.set("x-api-key", "k1");
  EXPECT_EQ(ClientCredential(f, ""), "k1");
  http::fields g;
  g.set("x-goog-api-key", "k2");
  EXPECT_EQ(ClientCredential(g, ""), "k2");
  EXPECT_EQ(ClientCredential({}, "alt=sse&key=k3"), "k3");
  EXPECT_EQ(ClientCredential(With({{http::field::authorization, "Basic abc"}}), ""), "");
}

}  // namespace
}  // namespace agentgate::edge
