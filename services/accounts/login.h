// Signing an official account in, as the official client does: the OAuth authorization-code
// flow with PKCE, where a browser comes back to a local callback, and the device-code flow for a
// machine without a browser (a code typed on another one). What is sent and what the answers
// mean; pure. The router makes the calls through the probe; agentgatectl or the desktop app
// listens for the browser. Read 2026-12 from openai/codex (codex-rs/login/src/server.rs,
// device_code_auth.rs, pkce.rs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/accounts/codex_auth.h"

namespace agentgate::accounts {

inline constexpr std::string_view kAuthorizePath = "/oauth/authorize";
inline constexpr std::string_view kDeviceUserCodePath = "/api/accounts/deviceauth/usercode";
inline constexpr std::string_view kDeviceTokenPath = "/api/accounts/deviceauth/token";
// Where the user types the device code, and the redirect URI its code is exchanged with.
inline constexpr std::string_view kDeviceVerifyPath = "/codex/device";
inline constexpr std::string_view kDeviceCallbackPath = "/deviceauth/callback";
inline constexpr std::string_view kCallbackPath = "/auth/callback";
inline constexpr std::string_view kLoginScope =
    "openid profile email offline_access api.connectors.read api.connectors.invoke";
// The ports the auth server accepts in the local redirect URI (Codex's, in its order).
inline constexpr int kCallbackPorts[] = {1455, 1457};
// How long the official client waits for a sign-in to be completed.
inline constexpr int64_t kLoginTtlMs = 15 * 60 * 1000;

struct Pkce {
  std::string verifier;   // base64url of 64 random bytes (86 characters)
  std::string challenge;  // base64url(SHA-256(verifier)), method S256
};
// From 64 random bytes (any other length is used as it is).
Pkce PkceFrom(std::string_view random_bytes);
std::string PkceChallenge(std::string_view verifier);

// "http://localhost:PORT/auth/callback" (or 127.0.0.1): the only redirect a login may name, so
// the code comes back to the user's own machine.
absl::Status CheckRedirectUri(std::string_view uri);

// The page the browser opens: {issuer}/oauth/authorize?response_type=code&client_id=… with the
// scope, PKCE challenge, state and originator Codex sends, each value form-encoded.
std::string AuthorizeUrl(std::string_view issuer, std::string_view redirect_uri,
                         std::string_view challenge, std::string_view state);

// A value for application/x-www-form-urlencoded: everything but A-Z a-z 0-9 - _ . ~ as %XX.
std::string FormEncode(std::string_view value);
// The form Codex posts to {issuer}/oauth/token for a code (grant_type=authorization_code).
std::string CodeExchangeBody(std::string_view code, std::string_view redirect_uri,
                             std::string_view verifier);

// Where the browser came back to: a whole URL ("http://localhost:1455/auth/callback?code=…"),
// a path with a query, or the query alone, as the user may paste any of them.
struct Callback {
  std::string code, state;
  std::string error, error_description;  // the auth server refused the sign-in
};
absl::StatusOr<Callback> ParseCallback(std::string_view url_or_query);

// The tokens a finished sign-in gave.
struct SignedIn {
  std::string id_token, access_token, refresh_token;
};
// The auth server's answer to a code exchange. Unavailable: no answer or a server error (try
// again); PermissionDenied: the code was refused (with the server's own words).
absl::StatusOr<SignedIn> ParseCodeExchangeAnswer(int status, std::string_view body,
                                                 std::string_view transport_error = {});
// The account the tokens are for, as an import of Codex's auth.json of them would read it
// (account id and plan from the id token's claims); last_refresh is `now_ms`.
absl::StatusOr<Account> AccountFromSignIn(const SignedIn& tokens, int64_t now_ms);

// Device code: the request for a user code, and its answer.
std::string DeviceUserCodeBody();
struct DeviceCode {
  std::string device_auth_id;
  std::string user_code;
  int interval_s = 5;  // how often to ask whether the user has entered it
};
// NotFound when the server has no device-code login; Unavailable when it could not answer.
absl::StatusOr<DeviceCode> ParseDeviceUserCode(int status, std::string_view body,
                                               std::string_view transport_error = {});
std::string DevicePollBody(std::string_view device_auth_id, std::string_view user_code);
struct DeviceGrant {
  bool pending = true;  // the user has not entered the code yet
  std::string authorization_code, code_verifier;
};
absl::StatusOr<DeviceGrant> ParseDevicePoll(int status, std::string_view body,
                                            std::string_view transport_error = {});

}  // namespace agentgate::accounts
