#include "services/accounts/refresh.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/common/token.h"

namespace agentgate::accounts {
namespace {

constexpr int64_t kNow = 1'765'000'000'000;
constexpr int64_t kDay = 86'400'000;

TEST(RefreshTest, WhenToRefresh) {
  EXPECT_FALSE(NeedsRefresh(kNow + kDay, kNow - kDay, kNow));
  EXPECT_TRUE(NeedsRefresh(kNow + 4 * 60'000, kNow - kDay, kNow));  // expires within 5 min
  EXPECT_TRUE(NeedsRefresh(kNow - 1, 0, kNow));                     // expired
  EXPECT_TRUE(NeedsRefresh(0, kNow - 8 * kDay, kNow));              // 8 days old
  EXPECT_FALSE(NeedsRefresh(0, 0, kNow));                           // nothing known
}

TEST(RefreshTest, TheRequestIsTheOfficialClients) {
  auto v = boost::json::parse(RefreshRequestBody("rt-1"));
  EXPECT_EQ(v.at("client_id"), "app_EMoamEEZ73f0CkXaXp7hrann");
  EXPECT_EQ(v.at("grant_type"), "refresh_token");
  EXPECT_EQ(v.at("refresh_token"), "rt-1");
  EXPECT_EQ(v.at("scope"), "openid profile email");
}

TEST(RefreshTest, Answers) {
  const std::string jwt = Base64UrlEncode("{}") + "." + Base64UrlEncode(R"({"exp":1765999999})") +
                          ".sig";
  auto ok = ParseRefreshAnswer(
      200, R"({"access_token":")" + jwt + R"(","refresh_token":"rt-2","id_token":"x.y.z"})");
  EXPECT_EQ(ok.kind, RefreshOutcome::Kind::kRefreshed);
  EXPECT_EQ(ok.refresh_token, "rt-2");
  EXPECT_EQ(ok.access_expires_at_ms, int64_t{1765999999} * 1000);

  for (const char* body : {R"({"error":{"code":"refresh_token_reused","message":"x"}})",
                           R"({"error":"invalid_grant"})", "{}", "not json"}) {
    auto r = ParseRefreshAnswer(401, body);
    EXPECT_EQ(r.kind, RefreshOutcome::Kind::kRelogin) << body;
    EXPECT_FALSE(r.why.empty());
  }
  EXPECT_NE(ParseRefreshAnswer(401, R"({"error":{"code":"refresh_token_reused"}})").why.find(
                "already used"),
            std::string::npos);
  EXPECT_EQ(ParseRefreshAnswer(503, "busy").kind, RefreshOutcome::Kind::kRetry);
  EXPECT_EQ(ParseRefreshAnswer(0, "", "connection refused").kind, RefreshOutcome::Kind::kRetry);
  // A 200 that carries nothing usable (or something that would split a header) is not taken.
  EXPECT_EQ(ParseRefreshAnswer(200, R"({"access_token":"a\r\nb"})").kind,
            RefreshOutcome::Kind::kRetry);
  EXPECT_EQ(ParseRefreshAnswer(200, R"({"refresh_token":"r"})").kind,
            RefreshOutcome::Kind::kRetry);
  EXPECT_EQ(ParseRefreshAnswer(200, "[]").kind, RefreshOutcome::Kind::kRetry);
}

}  // namespace
}  // namespace agentgate::accounts
