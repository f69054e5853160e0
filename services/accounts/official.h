// The official ChatGPT (Codex) backend and its auth server, as the official client talks to
// them: every value the gateway sends to look like Codex is here, in one place. Read 2026-12
// from openai/codex (codex-rs login/src/auth, core/src/default_client.rs, codex-api
// rate_limits.rs) and the strings of the Codex 0.169.0 binary.
#pragma once

#include <string_view>

namespace agentgate::accounts {

// The Responses endpoint is {kBackendBaseUrl}/responses.
inline constexpr std::string_view kBackendBaseUrl = "https://chatgpt.com/backend-api/codex";
// GET: the account's rate-limit windows and credits (Bearer + ChatGPT-Account-Id).
inline constexpr std::string_view kUsageUrl = "https://chatgpt.com/backend-api/wham/usage";
inline constexpr std::string_view kAuthIssuer = "https://auth.openai.com";
inline constexpr std::string_view kTokenPath = "/oauth/token";
// The public client id of the Codex CLI (also in its access tokens' client_id claim).
inline constexpr std::string_view kClientId = "app_EMoamEEZ73f0CkXaXp7hrann";

// Headers of every request to the backend.
inline constexpr std::string_view kAccountHeader = "ChatGPT-Account-Id";
inline constexpr std::string_view kBetaHeader = "OpenAI-Beta";
inline constexpr std::string_view kBetaValue = "responses=experimental";
inline constexpr std::string_view kOriginatorHeader = "originator";
inline constexpr std::string_view kOriginator = "codex_cli_rs";
inline constexpr std::string_view kVersionHeader = "version";
inline constexpr std::string_view kCodexVersion = "0.169.0";
inline constexpr std::string_view kUserAgent = "codex_cli_rs/0.169.0 (Debian 12; x86_64) agentgate";
// Headers the official client sends per conversation and turn: passed on from a Codex client.
inline constexpr std::string_view kClientHeaders[] = {"session_id",
                                                      "conversation_id",
                                                      "thread-id",
                                                      "x-codex-turn-metadata",
                                                      "x-codex-window-id",
                                                      "x-client-request-id",
                                                      "x-codex-beta-features"};

// The access token is refreshed when it expires within this long (as Codex does).
inline constexpr long long kRefreshAheadMs = 5 * 60 * 1000;

}  // namespace agentgate::accounts
