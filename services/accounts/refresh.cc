#include "services/accounts/refresh.h"

#include <boost/json.hpp>

#include "services/accounts/codex_auth.h"
#include "services/accounts/official.h"

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

constexpr int64_t kRefreshEveryMs = int64_t{8} * 24 * 3600 * 1000;
constexpr size_t kMaxToken = 16 * 1024;

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

bool NeedsRefresh(int64_t expires_at_ms, int64_t last_refresh_ms, int64_t now_ms) {
  if (expires_at_ms > 0 && expires_at_ms - now_ms <= kRefreshAheadMs) return true;
  return last_refresh_ms > 0 && now_ms - last_refresh_ms >= kRefreshEveryMs;
}

std::string RefreshRequestBody(std::string_view refresh_token) {
  return json::serialize(json::object{{"client_id", kClientId},
                                      {"grant_type", "refresh_token"},
                                      {"refresh_token", refresh_token},
                                      {"scope", "openid profile email"}});
}

RefreshOutcome ParseRefreshAnswer(int status, std::string_view body,
                                  std::string_view transport_error) {
  RefreshOutcome out;
  if (status == 0) {
    out.why = "the auth server could not be reached: " + std::string(transport_error);
    return out;
  }
  json::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object* o = !ec && v.is_object() ? &v.get_object() : nullptr;
  if (status == 200) {
    if (o == nullptr) {
      out.why = "the auth server's answer is not JSON";
      return out;
    }
    out.access_token = Str(*o, "access_token");
    out.refresh_token = Str(*o, "refresh_token");
    out.id_token = Str(*o, "id_token");
    if (!HeaderSafe(out.access_token, kMaxToken) ||
        (!out.refresh_token.empty() && !HeaderSafe(out.refresh_token, kMaxToken)) ||
        out.id_token.size() > kMaxToken) {
      out = RefreshOutcome();
      out.why = "the auth server's answer holds no usable access token";
      return out;
    }
    out.kind = RefreshOutcome::Kind::kRefreshed;
    if (auto payload = JwtPayload(out.access_token); payload.ok()) {
      json::value claims = json::parse(*payload, ec);
      if (!ec && claims.is_object()) {
        if (const json::value* exp = claims.get_object().if_contains("exp");
            exp != nullptr && exp->is_int64() && exp->get_int64() > 0 &&
            exp->get_int64() < (int64_t{1} << 40)) {
          out.access_expires_at_ms = exp->get_int64() * 1000;
        }
      }
    }
    return out;
  }
  // The error's code: {"error":{"code":...}}, {"error":"invalid_grant"}, or {"code":...}.
  std::string code;
  if (o != nullptr) {
    if (const json::value* e = o->if_contains("error"); e != nullptr) {
      if (e->is_object()) code = Str(e->get_object(), "code");
      if (e->is_string()) code = std::string(e->get_string());
    }
    if (code.empty()) code = Str(*o, "code");
  }
  if (code == "refresh_token_expired") {
    out.why = "the refresh token has expired";
  } else if (code == "refresh_token_reused") {
    out.why = "the refresh token was already used (by Codex or another copy of this sign-in)";
  } else if (code == "refresh_token_invalidated") {
    out.why = "the refresh token was revoked";
  } else if (status == 400 || status == 401 || status == 403) {
    out.why = "the auth server refused the refresh token (HTTP " + std::to_string(status) +
              (code.empty() || code.size() > 64 ? "" : ", " + code) + ")";
  } else {
    out.why = "the auth server answered HTTP " + std::to_string(status);
    return out;  // kRetry
  }
  out.kind = RefreshOutcome::Kind::kRelogin;
  return out;
}

}  // namespace agentgate::accounts
