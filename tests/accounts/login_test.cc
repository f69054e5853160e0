#include "services/accounts/login.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/common/token.h"

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

std::string Jwt(const json::object& claims) {
  return Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(json::serialize(claims)) +
         ".sig";
}

// The challenge as Python's hashlib and base64 make it for the same verifier.
TEST(LoginTest, PkceIsS256OfTheVerifier) {
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mJ92IZHHmUGZBqJ3pJ3Uf2eYNV9YFc"),
            "ujAkZwKmwU_tYydgUIHym9_RXGDOxC3Ay-YtBtqehkk");
  const Pkce p = PkceFrom(std::string(64, '\x01'));
  EXPECT_EQ(p.verifier.size(), 86u);  // 64 bytes, base64url, no padding
  EXPECT_EQ(p.challenge, PkceChallenge(p.verifier));
}

TEST(LoginTest, OnlyALocalCallbackIsARedirect) {
  EXPECT_TRUE(CheckRedirectUri("http://localhost:1455/auth/callback").ok());
  EXPECT_TRUE(CheckRedirectUri("http://127.0.0.1:61000/auth/callback").ok());
  for (const char* bad :
       {"https://evil.example/auth/callback", "http://localhost.evil.example:1455/auth/callback",
        "http://localhost:1455/other", "http://localhost:0/auth/callback",
        "http://localhost:99999/auth/callback", "http://localhost:/auth/callback",
        "http://localhost:1455/auth/callback?x=1", "http://user@localhost:1455/auth/callback",
        "http://localhost:14a5/auth/callback", ""}) {
    EXPECT_FALSE(CheckRedirectUri(bad).ok()) << bad;
  }
}

TEST(LoginTest, TheAuthorizeUrlIsTheOfficialClients) {
  const std::string url = AuthorizeUrl("https://auth.openai.com/",
                                       "http://localhost:1455/auth/callback", "CH", "st+ate/");
  EXPECT_EQ(url,
            "https://auth.openai.com/oauth/authorize?response_type=code"
            "&client_id=app_EMoamEEZ73f0CkXaXp7hrann"
            "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback"
            "&scope=openid%20profile%20email%20offline_access%20api.connectors.read%20api."
            "connectors.invoke"
            "&code_challenge=CH&code_challenge_method=S256&id_token_add_organizations=true"
            "&codex_cli_simplified_flow=true&state=st%2Bate%2F&originator=codex_cli_rs");
  EXPECT_EQ(CodeExchangeBody("c&d", "http://localhost:1455/auth/callback", "v"),
            "grant_type=authorization_code&code=c%26d"
            "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback"
            "&client_id=app_EMoamEEZ73f0CkXaXp7hrann&code_verifier=v");
}

TEST(LoginTest, TheCallbackIsReadFromWhatEverTheUserPastes) {
  for (const char* pasted :
       {"http://localhost:1455/auth/callback?code=ab%2Fc&state=s+1\n",
        "/auth/callback?state=s%201&code=ab/c", "  code=ab/c&state=s 1&scope=x#frag"}) {
    auto cb = ParseCallback(pasted);
    ASSERT_TRUE(cb.ok()) << pasted << cb.status();
    EXPECT_EQ(cb->code, "ab/c") << pasted;
    EXPECT_EQ(cb->state, "s 1") << pasted;
  }
  auto refused = ParseCallback("?error=access_denied&error_description=User+cancelled&state=s");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->error, "access_denied");
  EXPECT_EQ(refused->error_description, "User cancelled");
  // The first value of a repeated key counts; the rest cannot replace it.
  EXPECT_EQ(ParseCallback("?code=a&code=b&state=s")->code, "a");
  // Hostile or useless answers are refused with a reason.
  for (const std::string bad :
       {std::string("nothing here"), std::string("?state=s"), std::string("?code=%zz&state=s"),
        std::string("?code=a%0Ab"), "?code=" + std::string(9000, 'a')}) {
    EXPECT_FALSE(ParseCallback(bad).ok()) << bad.substr(0, 40);
  }
}

TEST(LoginTest, TheCodeExchangeAnswer) {
  auto ok = ParseCodeExchangeAnswer(
      200, R"({"id_token":"i.d.t","access_token":"a","refresh_token":"r"})");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->access_token, "a");
  EXPECT_EQ(ok->refresh_token, "r");

  auto refused = ParseCodeExchangeAnswer(
      400, R"({"error":"invalid_grant","error_description":"Invalid authorization code"})");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("invalid_grant: Invalid authorization code"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(ParseCodeExchangeAnswer(503, "").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ParseCodeExchangeAnswer(0, "", "refused").status().code(),
            absl::StatusCode::kUnavailable);
  for (const char* bad : {"not json", R"({"access_token":"a","refresh_token":"r"})",
                          R"({"id_token":"i","access_token":"a b","refresh_token":"r"})",
                          R"({"id_token":"i","access_token":7,"refresh_token":"r"})"}) {
    EXPECT_FALSE(ParseCodeExchangeAnswer(200, bad).ok()) << bad;
  }
  // Control characters from the server do not reach the user's terminal.
  auto noisy = ParseCodeExchangeAnswer(401, "{\"detail\":\"bad\\u001b[2Jthing\"}");
  EXPECT_EQ(noisy.status().message().find('\x1b'), std::string::npos);
}

TEST(LoginTest, TheSignedInAccountIsReadFromItsIdToken) {
  SignedIn t;
  t.id_token = Jwt({{"email", "dev@example.com"},
                    {"https://api.openai.com/auth", json::object{{"chatgpt_account_id", "acct-9"},
                                                                 {"chatgpt_plan_type", "pro"}}}});
  t.access_token = Jwt({{"exp", 1765999999}});
  t.refresh_token = "rt-9";
  auto a = AccountFromSignIn(t, 1'765'000'000'000);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->account_id, "acct-9");
  EXPECT_EQ(a->plan, "pro");
  EXPECT_EQ(a->email, "dev@example.com");
  EXPECT_EQ(a->refresh_token, "rt-9");
  EXPECT_EQ(a->access_expires_at_ms, int64_t{1765999999} * 1000);
  EXPECT_EQ(ParseRfc3339Ms(a->last_refresh), 1'765'000'000'000);

  t.id_token = Jwt({{"email", "x@example.com"}});  // no account id anywhere
  EXPECT_EQ(AccountFromSignIn(t, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LoginTest, TheDeviceCodeFlow) {
  EXPECT_EQ(json::parse(DeviceUserCodeBody()).at("client_id"), "app_EMoamEEZ73f0CkXaXp7hrann");
  auto dc =
      ParseDeviceUserCode(200, R"({"device_auth_id":"d1","usercode":"AB-12","interval":"3"})");
  ASSERT_TRUE(dc.ok()) << dc.status();
  EXPECT_EQ(dc->device_auth_id, "d1");
  EXPECT_EQ(dc->user_code, "AB-12");
  EXPECT_EQ(dc->interval_s, 3);
  EXPECT_EQ(ParseDeviceUserCode(200, R"({"device_auth_id":"d","user_code":"c","interval":9999})")
                ->interval_s,
            60);
  EXPECT_EQ(ParseDeviceUserCode(200, R"({"device_auth_id":"d","user_code":"c","interval":"x"})")
                ->interval_s,
            5);
  EXPECT_EQ(ParseDeviceUserCode(404, "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(ParseDeviceUserCode(200, R"({"device_auth_id":"d"})").ok());
  EXPECT_FALSE(ParseDeviceUserCode(500, "").ok());

  auto poll = json::parse(DevicePollBody("d1", "AB-12"));
  EXPECT_EQ(poll.at("device_auth_id"), "d1");
  EXPECT_EQ(poll.at("user_code"), "AB-12");
  EXPECT_TRUE(ParseDevicePoll(403, "")->pending);
  EXPECT_TRUE(ParseDevicePoll(404, "")->pending);
  auto granted = ParseDevicePoll(
      200, R"({"authorization_code":"ac","code_challenge":"ch","code_verifier":"ve"})");
  ASSERT_TRUE(granted.ok());
  EXPECT_FALSE(granted->pending);
  EXPECT_EQ(granted->authorization_code, "ac");
  EXPECT_EQ(granted->code_verifier, "ve");
  EXPECT_EQ(ParseDevicePoll(410, R"({"error":"expired"})").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(ParseDevicePoll(200, R"({"authorization_code":"ac"})").ok());
}

}  // namespace
}  // namespace agentgate::accounts
