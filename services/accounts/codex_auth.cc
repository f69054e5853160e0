#include "services/accounts/codex_auth.h"

#include <boost/json.hpp>

#include "absl/time/time.h"
#include "services/common/token.h"

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

constexpr size_t kMaxToken = 16 * 1024;  // real ones are 1-3 KB
constexpr size_t kMaxAccountId = 128;    // a UUID
constexpr std::string_view kAuthClaim = "https://api.openai.com/auth";
constexpr std::string_view kProfileClaim = "https://api.openai.com/profile";

const json::object* Object(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string String(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const json::value* v = o->if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

absl::StatusOr<json::object> Claims(std::string_view jwt) {
  auto payload = JwtPayload(jwt);
  if (!payload.ok()) return payload.status();
  json::error_code ec;
  json::value v = json::parse(*payload, ec);
  if (ec || !v.is_object()) return absl::InvalidArgumentError("its payload is not a JSON object");
  return std::move(v.get_object());
}

int64_t ExpMs(const json::object& claims) {
  const json::value* exp = claims.if_contains("exp");
  if (exp == nullptr) return 0;
  if (exp->is_int64() && exp->get_int64() > 0 && exp->get_int64() < (int64_t{1} << 40)) {
    return exp->get_int64() * 1000;
  }
  if (exp->is_double() && exp->get_double() > 0 && exp->get_double() < 1e12) {
    return static_cast<int64_t>(exp->get_double()) * 1000;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::string> JwtPayload(std::string_view jwt) {
  const size_t a = jwt.find('.');
  const size_t b = a == std::string_view::npos ? a : jwt.find('.', a + 1);
  if (b == std::string_view::npos || jwt.find('.', b + 1) != std::string_view::npos) {
    return absl::InvalidArgumentError("not a JWT (three dot-separated parts)");
  }
  std::string middle(jwt.substr(a + 1, b - a - 1));
  for (char& c : middle) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (middle.size() % 4 != 0) middle.push_back('=');
  auto decoded = Base64Decode(middle);
  if (!decoded.ok()) return absl::InvalidArgumentError("its payload is not base64url");
  return *std::move(decoded);
}

absl::StatusOr<Account> ParseCodexAuth(std::string_view auth_json) {
  json::error_code ec;
  json::value v = json::parse(auth_json, ec);
  if (ec || !v.is_object()) {
    return absl::InvalidArgumentError("not a Codex auth.json: the text is not a JSON object");
  }
  const json::object& root = v.get_object();
  const std::string mode = String(&root, "auth_mode");
  const json::object* tokens = Object(root, "tokens");
  if (tokens == nullptr) {
    if (mode == "apikey" || !String(&root, "OPENAI_API_KEY").empty()) {
      return absl::InvalidArgumentError(
          "this auth.json holds an OpenAI API key, not a ChatGPT sign-in: add the key as a "
          "provider instead (agentgatectl provider add --type openai)");
    }
    return absl::InvalidArgumentError("not a Codex auth.json: it has no \"tokens\"");
  }
  Account a;
  a.id_token = String(tokens, "id_token");
  a.access_token = String(tokens, "access_token");
  a.refresh_token = String(tokens, "refresh_token");
  a.account_id = String(tokens, "account_id");
  a.last_refresh = String(&root, "last_refresh");
  if (!HeaderSafe(a.access_token, kMaxToken)) {
    return absl::InvalidArgumentError("the auth.json has no usable access_token");
  }
  if (!HeaderSafe(a.refresh_token, kMaxToken)) {
    return absl::InvalidArgumentError(
        "the auth.json has no usable refresh_token, so the sign-in cannot be kept alive: sign "
        "in again (agentgatectl account login)");
  }
  if (!a.id_token.empty()) {
    if (a.id_token.size() > kMaxToken) {
      return absl::InvalidArgumentError("the auth.json's id_token is too large");
    }
    auto claims = Claims(a.id_token);
    if (!claims.ok()) {
      return absl::InvalidArgumentError("the auth.json's id_token is unreadable: " +
                                        std::string(claims.status().message()));
    }
    const json::object* auth = Object(*claims, kAuthClaim);
    if (a.account_id.empty()) a.account_id = String(auth, "chatgpt_account_id");
    a.plan = String(auth, "chatgpt_plan_type");
    a.email = String(&*claims, "email");
    if (a.email.empty()) a.email = String(Object(*claims, kProfileClaim), "email");
  }
  if (auto claims = Claims(a.access_token); claims.ok()) {
    a.access_expires_at_ms = ExpMs(*claims);
    const json::object* auth = Object(*claims, kAuthClaim);
    if (a.account_id.empty()) a.account_id = String(auth, "chatgpt_account_id");
    if (a.plan.empty()) a.plan = String(auth, "chatgpt_plan_type");
  }
  if (!HeaderSafe(a.account_id, kMaxAccountId)) {
    return absl::InvalidArgumentError(
        a.account_id.empty() ? "the auth.json names no ChatGPT account (no tokens.account_id and "
                               "no chatgpt_account_id claim)"
                             : "the auth.json's account id is not a plain identifier");
  }
  if (a.plan.size() > 32 || a.email.size() > 320) {
    return absl::InvalidArgumentError("the auth.json's claims are not an account's");
  }
  return a;
}

std::string WriteCodexAuth(const Account& a, std::string_view last_refresh) {
  json::object tokens{{"id_token", a.id_token},
                      {"access_token", a.access_token},
                      {"refresh_token", a.refresh_token},
                      {"account_id", a.account_id}};
  json::object root{{"auth_mode", "chatgpt"},
                    {"OPENAI_API_KEY", nullptr},
                    {"tokens", std::move(tokens)},
                    {"last_refresh", last_refresh}};
  return json::serialize(root) + "\n";
}

bool HeaderSafe(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

int64_t ParseRfc3339Ms(std::string_view text) {
  absl::Time t;
  std::string err;
  if (text.empty() || text.size() > 64 ||
      !absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return 0;
  }
  const int64_t ms = absl::ToUnixMillis(t);
  return ms > 0 ? ms : 0;
}

std::string FormatRfc3339(int64_t ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMillis(ms), absl::UTCTimeZone());
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return email.empty() ? "" : "…";
  return std::string(email.substr(0, 1)) + "…" + std::string(email.substr(at));
}

}  // namespace agentgate::accounts
