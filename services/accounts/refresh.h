// Keeping an official account signed in: when its access token needs refreshing, the request
// the official client sends for it, and what the auth server's answer means. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agentgate::accounts {

// Codex refreshes an access token that expires within 5 minutes, and any sign-in not refreshed
// for 8 days. `expires_at_ms` 0: not known (only the age counts); `last_refresh_ms` 0: never.
bool NeedsRefresh(int64_t expires_at_ms, int64_t last_refresh_ms, int64_t now_ms);

// The JSON body Codex posts to {issuer}/oauth/token (client_id, grant_type, refresh_token,
// scope).
std::string RefreshRequestBody(std::string_view refresh_token);

struct RefreshOutcome {
  enum class Kind {
    kRefreshed,  // tokens below
    kRelogin,    // the refresh token is spent, expired or revoked: sign in again
    kRetry,      // the server or the way to it failed: try again later
  };
  Kind kind = Kind::kRetry;
  std::string id_token, access_token, refresh_token;  // kRefreshed (id/refresh may be "")
  int64_t access_expires_at_ms = 0;                   // from the new access token, 0: unknown
  std::string why;  // kRelogin/kRetry: for the user ("the refresh token was already used")
};
// `status` 0: no answer (`transport_error` says why).
RefreshOutcome ParseRefreshAnswer(int status, std::string_view body,
                                  std::string_view transport_error = {});

}  // namespace agentgate::accounts
