// An official account's quota as the backend tells it: the x-codex-* headers of every answer,
// the codex.rate_limits stream event, the usage endpoint's body, and the 429 that says a window
// is spent (usage_limit_reached). Pure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace agentgate::accounts {

struct QuotaWindow {
  double used_percent = -1;    // 0..100; < 0: not told
  int64_t window_minutes = 0;  // 300 (5 h), 10080 (a week); 0: not told
  int64_t reset_at_ms = 0;     // 0: not told
  bool known() const { return used_percent >= 0; }
};

struct Quota {
  QuotaWindow primary;    // the short window (5 h)
  QuotaWindow secondary;  // the long window (weekly)
  std::optional<bool> has_credits;
  std::optional<bool> unlimited_credits;
  std::string credits_balance;
  std::string plan;  // when the source names it
  bool known() const { return primary.known() || secondary.known(); }
  // The percentage left in the fuller window (100 when nothing is known).
  double least_left_percent() const;
};

// From response headers (names case-insensitive): `header(name)` gives a value or "".
// Values that are not numbers in range are taken as not told.
Quota QuotaFromHeaders(const std::function<std::string_view(std::string_view)>& header);

// From the data of a `codex.rate_limits` stream event; nullopt when it is not one.
std::optional<Quota> QuotaFromEvent(std::string_view data_json);

// From the usage endpoint's body (rate_limit.primary_window / secondary_window with
// used_percent, limit_window_seconds, reset_at or reset_after_seconds; credits).
std::optional<Quota> QuotaFromUsage(std::string_view body, int64_t now_ms);

// The usage endpoint beside a pool's Responses base URL: ".../backend-api/codex" →
// ".../backend-api/wham/usage" (as Codex makes it from chatgpt_base_url).
std::string UsageUrlFor(std::string_view responses_base_url);

// A 429 body whose error type is usage_limit_reached: when the window resets (resets_at in
// seconds, else now + resets_in_seconds; now + 1 h when it says neither). nullopt for any other
// body: an ordinary rate limit.
std::optional<int64_t> UsageLimitResetMs(std::string_view body, int64_t now_ms);

// "5h 12% used, resets in 3h 10m · weekly 96% used, resets in 2d 4h".
std::string DescribeQuota(const Quota& q, int64_t now_ms);
// "3h 10m", "2d 4h", "45s"; "now" for a time not after now_ms.
std::string DescribeIn(int64_t at_ms, int64_t now_ms);

}  // namespace agentgate::accounts

namespace agentgate::accounts {

// Where an account stands for routing and for the user.
struct Standing {
  std::string state;   // "ready", "low" (under `low_left_percent` left in a window), "spent"
  std::string detail;  // why, for `account list` and `route explain`; "" when ready
};
// `cooling_until_ms`: a spent window (a 429 usage_limit_reached) rests the account until then.
Standing Judge(const Quota& q, int64_t cooling_until_ms, int64_t now_ms,
               double low_left_percent = 10);

}  // namespace agentgate::accounts
