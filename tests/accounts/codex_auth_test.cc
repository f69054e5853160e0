#include "services/accounts/codex_auth.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/common/token.h"

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

std::string Jwt(const json::object& claims) {
  return Base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})") + "." +
         Base64UrlEncode(json::serialize(claims)) + ".c2lnbmF0dXJl";
}

// The shape Codex 0.169 writes (values made up).
std::string AuthJson(const std::string& account_id = "") {
  json::object id_claims{
      {"email", "jane@example.com"},
      {"https://api.openai.com/auth",
       json::object{{"chatgpt_account_id", "7f9f7d2e-0000-4000-8000-000000000001"},
                    {"chatgpt_plan_type", "plus"}}}};
  json::object access_claims{{"exp", 1767225600}, {"client_id", "app_EMoamEEZ73f0CkXaXp7hrann"}};
  return json::serialize(json::object{
      {"auth_mode", "chatgpt"},
      {"OPENAI_API_KEY", nullptr},
      {"tokens", json::object{{"id_token", Jwt(id_claims)},
                              {"access_token", Jwt(access_claims)},
                              {"refresh_token", "rt_abc.def-123"},
                              {"account_id", account_id}}},
      {"last_refresh", "2026-12-01T10:00:00.000000Z"}});
}

TEST(CodexAuthTest, ReadsTheAccountAndItsClaims) {
  auto a = ParseCodexAuth(AuthJson());
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->account_id, "7f9f7d2e-0000-4000-8000-000000000001");  // from the id token
  EXPECT_EQ(a->plan, "plus");
  EXPECT_EQ(a->email, "jane@example.com");
  EXPECT_EQ(a->refresh_token, "rt_abc.def-123");
  EXPECT_EQ(a->access_expires_at_ms, int64_t{1767225600} * 1000);
  EXPECT_EQ(a->last_refresh, "2026-12-01T10:00:00.000000Z");
  // tokens.account_id wins when present.
  EXPECT_EQ(ParseCodexAuth(AuthJson("acct-file"))->account_id, "acct-file");
}

TEST(CodexAuthTest, WrittenBackItReadsTheSame) {
  auto a = ParseCodexAuth(AuthJson());
  ASSERT_TRUE(a.ok());
  std::string text = WriteCodexAuth(*a, "2026-12-07T00:00:00Z");
  auto again = ParseCodexAuth(text);
  ASSERT_TRUE(again.ok()) << again.status() << text;
  EXPECT_EQ(again->account_id, a->account_id);
  EXPECT_EQ(again->access_token, a->access_token);
  EXPECT_EQ(again->refresh_token, a->refresh_token);
  EXPECT_EQ(again->last_refresh, "2026-12-07T00:00:00Z");
  EXPECT_EQ(json::parse(text).at("auth_mode"), "chatgpt");
}

TEST(CodexAuthTest, ApiKeyFilesAndBrokenFilesSayWhatToDo) {
  auto key = ParseCodexAuth(R"({"auth_mode":"apikey","OPENAI_API_KEY":"sk-x"})");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("provider add --type openai"), std::string::npos);
  auto no_refresh = ParseCodexAuth(json::serialize(json::object{
      {"tokens", json::object{{"access_token", "a.b.c"}, {"account_id", "x"}}}}));
  ASSERT_FALSE(no_refresh.ok());
  EXPECT_NE(no_refresh.status().message().find("refresh_token"), std::string::npos);
  auto no_account = ParseCodexAuth(json::serialize(json::object{
      {"tokens", json::object{{"access_token", "a.b.c"}, {"refresh_token", "r"}}}}));
  ASSERT_FALSE(no_account.ok());
  EXPECT_NE(no_account.status().message().find("names no ChatGPT account"), std::string::npos);
}

// Whatever the file holds, nothing that could split a header or a form gets through, and
// nothing crashes.
TEST(CodexAuthTest, HostileFilesAreRefused) {
  for (const char* text : {"", "null", "[]", "{", R"({"tokens":[]})", R"({"tokens":{}})",
                           R"({"tokens":{"access_token":5,"refresh_token":"r"}})"}) {
    EXPECT_FALSE(ParseCodexAuth(text).ok()) << text;
  }
  auto with = [](const std::string& access, const std::string& refresh, const std::string& id,
                 const std::string& id_token) {
    return json::serialize(json::object{
        {"tokens", json::object{{"access_token", access},
                                {"refresh_token", refresh},
                                {"account_id", id},
                                {"id_token", id_token}}}});
  };
  EXPECT_FALSE(ParseCodexAuth(with("a\r\nX-Evil: 1", "r", "acct", "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r\n", "acct", "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", "acct\r\nHost: evil", "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", "acct id", "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with(std::string(20000, 'a'), "r", "acct", "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", std::string(200, 'x'), "")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", "acct", "not-a-jwt")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", "acct", "a.!!!.c")).ok());
  EXPECT_FALSE(ParseCodexAuth(with("a", "r", "", Jwt({{"https://api.openai.com/auth",
                                                       json::object{{"chatgpt_account_id",
                                                                     "a\nb"}}}})))
                   .ok());
  // An access token that is not a JWT is used as it is, without an expiry.
  auto opaque = ParseCodexAuth(with("opaque-token", "r", "acct", ""));
  ASSERT_TRUE(opaque.ok());
  EXPECT_EQ(opaque->access_expires_at_ms, 0);
}

TEST(CodexAuthTest, Rfc3339) {
  EXPECT_EQ(ParseRfc3339Ms("2026-12-01T10:00:00.000000Z"), 1'796'119'200'000);
  EXPECT_EQ(ParseRfc3339Ms("2026-12-01T10:00:00Z"), 1'796'119'200'000);
  EXPECT_EQ(ParseRfc3339Ms("yesterday"), 0);
  EXPECT_EQ(ParseRfc3339Ms(""), 0);
  EXPECT_EQ(FormatRfc3339(1'796'119'200'123), "2026-12-01T10:00:00.123000Z");
}

TEST(CodexAuthTest, JwtPayloadAndMasking) {
  EXPECT_EQ(*JwtPayload(Jwt({{"a", 1}})), R"({"a":1})");
  EXPECT_FALSE(JwtPayload("a.b").ok());
  EXPECT_FALSE(JwtPayload("a.b.c.d").ok());
  EXPECT_EQ(MaskEmail("jane@example.com"), "j…@example.com");
  EXPECT_EQ(MaskEmail(""), "");
  EXPECT_EQ(MaskEmail("nobody"), "…");
}

}  // namespace
}  // namespace agentgate::accounts
