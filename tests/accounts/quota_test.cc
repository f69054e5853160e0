#include "services/accounts/quota.h"

#include <gtest/gtest.h>

#include <map>

namespace agentgate::accounts {
namespace {

constexpr int64_t kNow = 1'765'000'000'000;  // ms

TEST(QuotaTest, FromHeaders) {
  std::map<std::string, std::string, std::less<>> h = {
      {"x-codex-primary-used-percent", "12.5"},      {"x-codex-primary-window-minutes", "300"},
      {"x-codex-primary-reset-at", "1765003600"},    {"x-codex-secondary-used-percent", "96"},
      {"x-codex-secondary-window-minutes", "10080"}, {"x-codex-secondary-reset-at", "1765172800"},
      {"x-codex-credits-has-credits", "False"},      {"x-codex-credits-balance", "0"}};
  Quota q = QuotaFromHeaders([&](std::string_view n) -> std::string_view {
    auto it = h.find(n);
    return it == h.end() ? std::string_view() : std::string_view(it->second);
  });
  EXPECT_DOUBLE_EQ(q.primary.used_percent, 12.5);
  EXPECT_EQ(q.primary.window_minutes, 300);
  EXPECT_EQ(q.primary.reset_at_ms, 1'765'003'600'000);
  EXPECT_DOUBLE_EQ(q.secondary.used_percent, 96);
  EXPECT_EQ(q.has_credits, false);
  EXPECT_EQ(q.credits_balance, "0");
  EXPECT_DOUBLE_EQ(q.least_left_percent(), 4);
  EXPECT_EQ(DescribeQuota(q, kNow),
            "5h 13% used, resets in 1h 0m · weekly 96% used, resets in 2d 0h");
}

TEST(QuotaTest, HostileHeadersAreNotTold) {
  for (const char* bad : {"", "abc", "nan", "inf", "-5", "1e400", "12%", "99999999999"}) {
    Quota q = QuotaFromHeaders([&](std::string_view) -> std::string_view { return bad; });
    EXPECT_FALSE(q.primary.known()) << bad;
    EXPECT_EQ(q.primary.window_minutes, 0) << bad;
    EXPECT_EQ(q.primary.reset_at_ms, 0) << bad;
  }
  for (const char* bad : {"", "abc", "nan", "inf", "12%", "1e400", "1\r\nX: y"}) {
    Quota q = QuotaFromHeaders([&](std::string_view) -> std::string_view { return bad; });
    EXPECT_TRUE(q.credits_balance.empty()) << bad;  // a balance is a number or not told
  }
  Quota none = QuotaFromHeaders([](std::string_view) { return std::string_view(); });
  EXPECT_FALSE(none.known());
  EXPECT_EQ(DescribeQuota(none, kNow), "quota not known yet");
  EXPECT_DOUBLE_EQ(none.least_left_percent(), 100);
}

TEST(QuotaTest, FromEventAndUsage) {
  auto e = QuotaFromEvent(
      R"({"type":"codex.rate_limits","plan_type":"pro","rate_limits":{"primary":{"used_percent":40,)"
      R"("window_minutes":300,"reset_at":1765003600},"secondary":{"used_percent":10}}})");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->primary.used_percent, 40);
  EXPECT_DOUBLE_EQ(e->secondary.used_percent, 10);
  EXPECT_EQ(e->plan, "pro");
  EXPECT_FALSE(QuotaFromEvent(R"({"type":"response.created"})"));
  EXPECT_FALSE(QuotaFromEvent("not json"));

  auto u = QuotaFromUsage(
      R"({"plan_type":"plus","rate_limit":{"allowed":true,"limit_reached":false,)"
      R"("primary_window":{"used_percent":3,"limit_window_seconds":18000,"reset_after_seconds":600},)"
      R"("secondary_window":{"used_percent":55,"limit_window_seconds":604800,"reset_at":1765500000}},)"
      R"("credits":{"has_credits":true,"unlimited":false,"balance":"12.5"}})",
      kNow);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->primary.window_minutes, 300);
  EXPECT_EQ(u->primary.reset_at_ms, kNow + 600'000);
  EXPECT_EQ(u->secondary.window_minutes, 10080);
  EXPECT_EQ(u->secondary.reset_at_ms, 1'765'500'000'000);
  EXPECT_EQ(u->has_credits, true);
  EXPECT_EQ(u->credits_balance, "12.5");
  EXPECT_FALSE(QuotaFromUsage(R"({"detail":"Unauthorized"})", kNow));
}

TEST(QuotaTest, UsageLimitReached) {
  EXPECT_EQ(UsageLimitResetMs(R"({"error":{"type":"usage_limit_reached","message":"The usage )"
                              R"(limit has been reached","resets_at":1765090000}})",
                              kNow),
            1'765'090'000'000);
  EXPECT_EQ(UsageLimitResetMs(R"({"error":{"type":"usage_limit_reached","resets_in_seconds":120}})",
                              kNow),
            kNow + 120'000);
  EXPECT_EQ(UsageLimitResetMs(R"({"error":{"type":"usage_limit_reached"}})", kNow),
            kNow + 3'600'000);
  // An ordinary rate limit, or anything else, is not a spent window.
  EXPECT_FALSE(UsageLimitResetMs(R"({"error":{"type":"rate_limit_exceeded"}})", kNow));
  EXPECT_FALSE(UsageLimitResetMs("", kNow));
  EXPECT_FALSE(UsageLimitResetMs("[1]", kNow));
}

TEST(QuotaTest, Judge) {
  Quota q;
  EXPECT_EQ(Judge(q, 0, kNow).state, "ready");
  q.primary = {40, 300, kNow + 3'600'000};
  q.secondary = {96, 10080, kNow + 2 * 86'400'000LL};
  Standing low = Judge(q, 0, kNow);
  EXPECT_EQ(low.state, "low");
  EXPECT_EQ(low.detail, "weekly window 96% used, resets in 2d 0h");
  EXPECT_EQ(Judge(q, kNow + 60'000, kNow).state, "spent");
  EXPECT_EQ(Judge(q, kNow + 60'000, kNow).detail, "usage limit reached, resets in 1m");
  EXPECT_EQ(Judge(q, kNow - 1, kNow).state, "low");                // the rest is over
  EXPECT_EQ(Judge(q, 0, kNow + 3 * 86'400'000LL).state, "ready");  // the window reset
  q.secondary.used_percent = 100;
  EXPECT_EQ(Judge(q, 0, kNow).state, "spent");
  EXPECT_EQ(Judge(q, 0, kNow, /*low_left_percent=*/0).state, "spent");
}

TEST(QuotaTest, UsageUrl) {
  EXPECT_EQ(UsageUrlFor("https://chatgpt.com/backend-api/codex"),
            "https://chatgpt.com/backend-api/wham/usage");
  EXPECT_EQ(UsageUrlFor("http://127.0.0.1:9/backend-api/codex/"),
            "http://127.0.0.1:9/backend-api/wham/usage");
}

TEST(QuotaTest, DescribeIn) {
  EXPECT_EQ(DescribeIn(kNow - 5, kNow), "now");
  EXPECT_EQ(DescribeIn(kNow + 45'000, kNow), "45s");
  EXPECT_EQ(DescribeIn(kNow + 10 * 60'000, kNow), "10m");
  EXPECT_EQ(DescribeIn(kNow + (3 * 60 + 10) * 60'000, kNow), "3h 10m");
  EXPECT_EQ(DescribeIn(kNow + (2 * 24 + 4) * 3'600'000LL, kNow), "2d 4h");
}

}  // namespace
}  // namespace agentgate::accounts
