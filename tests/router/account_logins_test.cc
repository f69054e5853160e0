// AccountLogins with the auth server played by a function: what it keeps, for how long, and
// how often a device login asks.
#include "services/router/account_logins.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/common/token.h"

namespace agentgate::router {
namespace {

namespace json = boost::json;
constexpr int64_t kNow = 1'765'000'000'000;

std::string Jwt(const json::object& claims) {
  return Base64UrlEncode("{}") + "." + Base64UrlEncode(json::serialize(claims)) + ".sig";
}

struct FakeAuth {
  std::vector<std::pair<probe::v1::AuthStep, std::string>> calls;
  int device_pending = 1;  // polls answered 403 before the grant
  AccountLogins::AuthCall Fn() {
    return [this](probe::v1::AuthStep step,
                  std::string body) -> absl::StatusOr<probe::v1::RefreshAccountResponse> {
      calls.emplace_back(step, body);
      probe::v1::RefreshAccountResponse r;
      r.set_status(200);
      switch (step) {
        case probe::v1::AUTH_STEP_DEVICE_USER_CODE:
          r.set_body(R"({"device_auth_id":"d1","user_code":"UC-1","interval":"2"})");
          break;
        case probe::v1::AUTH_STEP_DEVICE_TOKEN:
          if (device_pending-- > 0) {
            r.set_status(403);
          } else {
            r.set_body(R"({"authorization_code":"ac","code_challenge":"c","code_verifier":"v"})");
          }
          break;
        default:
          r.set_body(json::serialize(
              json::object{{"id_token", Jwt({{"https://api.openai.com/auth",
                                              json::object{{"chatgpt_account_id", "acct-1"}}}})},
                           {"access_token", "at"},
                           {"refresh_token", "rt"}}));
      }
      return r;
    };
  }
};

std::string StateOf(const std::string& url) {
  std::string s = url.substr(url.find("&state=") + 7);
  return s.substr(0, s.find('&'));
}

TEST(AccountLoginsTest, ABrowserLoginExchangesItsCodeWithItsVerifier) {
  FakeAuth auth;
  AccountLogins logins({.issuer = "https://auth.example/"}, auth.Fn());
  admin::v1::StartAccountLoginRequest req;
  req.set_redirect_uri("http://localhost:1455/auth/callback");
  req.set_provider("work");
  auto login = logins.Start(req, kNow);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->authorize_url().rfind("https://auth.example/oauth/authorize?", 0), 0u);
  EXPECT_TRUE(auth.calls.empty());  // nothing is asked before the browser comes back
  admin::v1::FinishAccountLoginRequest fin;
  fin.set_login_id(login->login_id());
  fin.set_callback("/auth/callback?code=the-code&state=" + StateOf(login->authorize_url()));
  auto done = logins.Finish(fin, kNow + 1000);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->account.account_id, "acct-1");
  EXPECT_EQ(done->provider, "work");
  ASSERT_EQ(auth.calls.size(), 1u);
  EXPECT_EQ(auth.calls[0].first, probe::v1::AUTH_STEP_EXCHANGE_CODE);
  // The verifier sent is the one whose challenge the authorize URL carried.
  const std::string& form = auth.calls[0].second;
  const std::string verifier = form.substr(form.find("code_verifier=") + 14);
  std::string url = login->authorize_url();
  std::string challenge = url.substr(url.find("code_challenge=") + 15);
  challenge = challenge.substr(0, challenge.find('&'));
  EXPECT_EQ(accounts::PkceChallenge(verifier), challenge);
  EXPECT_NE(form.find("code=the-code"), std::string::npos) << form;
  EXPECT_EQ(logins.PendingForTest(), 0u);
}

TEST(AccountLoginsTest, LoginsExpireAndTheOldestGivesWay) {
  FakeAuth auth;
  AccountLogins logins({.ttl_ms = 1000, .max_pending = 2}, auth.Fn());
  admin::v1::StartAccountLoginRequest req;
  req.set_redirect_uri("http://localhost:1455/auth/callback");
  auto a = logins.Start(req, kNow);
  auto b = logins.Start(req, kNow + 1);
  auto c = logins.Start(req, kNow + 2);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(logins.PendingForTest(), 2u);
  admin::v1::FinishAccountLoginRequest fin;
  fin.set_login_id(a->login_id());
  fin.set_callback("?code=x&state=" + StateOf(a->authorize_url()));
  EXPECT_EQ(logins.Finish(fin, kNow + 3).status().code(), absl::StatusCode::kNotFound);
  fin.set_login_id(b->login_id());
  fin.set_callback("?code=x&state=" + StateOf(b->authorize_url()));
  EXPECT_EQ(logins.Finish(fin, kNow + 1001).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(auth.calls.empty());
}

TEST(AccountLoginsTest, ADeviceLoginAsksNoMoreOftenThanItsInterval) {
  FakeAuth auth;
  AccountLogins logins({.issuer = "https://auth.example"}, auth.Fn());
  admin::v1::StartAccountLoginRequest req;
  req.set_device(true);
  auto login = logins.Start(req, kNow);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->verification_url(), "https://auth.example/codex/device");
  EXPECT_EQ(login->user_code(), "UC-1");
  admin::v1::FinishAccountLoginRequest fin;
  fin.set_login_id(login->login_id());
  EXPECT_TRUE(logins.Finish(fin, kNow + 10)->pending);    // asked: 403
  EXPECT_TRUE(logins.Finish(fin, kNow + 1000)->pending);  // too soon: not asked
  EXPECT_EQ(auth.calls.size(), 2u);                       // user code + one poll
  auto done = logins.Finish(fin, kNow + 2010);            // asked: granted, exchanged
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_FALSE(done->pending);
  EXPECT_EQ(done->account.account_id, "acct-1");
  ASSERT_EQ(auth.calls.size(), 4u);
  EXPECT_NE(
      auth.calls[3].second.find("redirect_uri=https%3A%2F%2Fauth.example%2Fdeviceauth%2Fcallback"),
      std::string::npos)
      << auth.calls[3].second;
  EXPECT_NE(auth.calls[3].second.find("code_verifier=v"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::router
