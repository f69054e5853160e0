// An official ChatGPT account as Codex keeps it in ~/.codex/auth.json: reading that file (and
// the claims of its id and access tokens), and writing one back so that Codex can talk to the
// backend directly again ("switch back to official"). Pure: no files, no clock.
//
// The tokens' signatures are not checked: the file is the user's own, and the backend checks
// the access token on every request. Claims only name the account (id, plan, e-mail, expiry).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace agentgate::accounts {

struct Account {
  std::string account_id;  // tokens.account_id, else the id token's chatgpt_account_id
  std::string email;       // from the id token, "" when it has none
  std::string plan;        // chatgpt_plan_type: free, go, plus, pro, team, business, ...
  std::string id_token;
  std::string access_token;
  std::string refresh_token;
  int64_t access_expires_at_ms = 0;  // the access token's exp claim; 0: not known
  std::string last_refresh;          // as the file had it (RFC 3339)
};

// The payload of a JWT as JSON text. InvalidArgument when it is not three dot-separated parts
// whose middle one is base64url JSON.
absl::StatusOr<std::string> JwtPayload(std::string_view jwt);

// Reads auth.json. Errors say what to do: a file with only an API key (auth_mode "apikey") is
// an OpenAI key, not an account; a file without a refresh token cannot be kept alive.
absl::StatusOr<Account> ParseCodexAuth(std::string_view auth_json);

// The auth.json Codex reads for `a` (auth_mode "chatgpt"), with `last_refresh` as given.
std::string WriteCodexAuth(const Account& a, std::string_view last_refresh);

// Milliseconds since the epoch of an RFC 3339 time ("2026-12-01T10:00:00.123456Z"); 0 when it
// is not one. And back (UTC, microseconds, as Codex writes last_refresh).
int64_t ParseRfc3339Ms(std::string_view text);
std::string FormatRfc3339(int64_t ms);

// Whether a token can go in a header or a form as it is: 1..`max` bytes of printable ASCII, no
// space or control character (a token from a file or an auth server is checked so).
bool HeaderSafe(std::string_view s, size_t max);

// What the user sees of an e-mail: "j…@example.com".
std::string MaskEmail(std::string_view email);

}  // namespace agentgate::accounts
