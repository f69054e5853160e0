#include "services/accounts/login.h"

#include <openssl/sha.h>

#include <boost/json.hpp>
#include <charconv>

#include "absl/status/status.h"
#include "services/accounts/official.h"
#include "services/common/token.h"

namespace agentgate::accounts {
namespace {

namespace json = boost::json;

constexpr size_t kMaxToken = 16 * 1024;
constexpr size_t kMaxCallback = 8 * 1024;
constexpr size_t kMaxField = 2048;

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The auth server's words for a refusal: {"error":{"code","message"}}, {"error":"…",
// "error_description":"…"}, or {"detail":"…"}; printable and short, else "".
std::string ServerWords(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const json::object& o = v.get_object();
  std::string words;
  if (const json::value* e = o.if_contains("error"); e != nullptr) {
    if (e->is_object()) {
      words = Str(e->get_object(), "message");
      if (words.empty()) words = Str(e->get_object(), "code");
    } else if (e->is_string()) {
      words = std::string(e->get_string());
      if (std::string d = Str(o, "error_description"); !d.empty()) words += ": " + d;
    }
  }
  if (words.empty()) words = Str(o, "detail");
  if (words.size() > 300) words = words.substr(0, 300) + "…";
  for (char& c : words) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return words;
}

std::string Refusal(int status, std::string_view body) {
  std::string words = ServerWords(body);
  return "HTTP " + std::to_string(status) + (words.empty() ? "" : ": " + words);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form decoding of one value: %XX and '+' as a space. Fails on a broken escape.
absl::StatusOr<std::string> FormDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      const int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return absl::InvalidArgumentError("a broken %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

bool Printable(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string PkceChallenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Pkce PkceFrom(std::string_view random_bytes) {
  Pkce p;
  p.verifier = Base64UrlEncode(random_bytes);
  p.challenge = PkceChallenge(p.verifier);
  return p;
}

absl::Status CheckRedirectUri(std::string_view uri) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        "the redirect URI must be http://localhost:PORT/auth/callback (the sign-in comes back "
        "to this machine), not \"" +
        std::string(uri.substr(0, 200)) + "\"");
  };
  std::string_view rest = uri;
  bool host_ok = false;
  for (std::string_view prefix : {"http://localhost:", "http://127.0.0.1:"}) {
    if (rest.substr(0, prefix.size()) == prefix) {
      rest.remove_prefix(prefix.size());
      host_ok = true;
      break;
    }
  }
  if (!host_ok) return bad();
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 5) return bad();
  int port = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + slash, port);
  if (ec != std::errc() || end != rest.data() + slash || port < 1 || port > 65535) return bad();
  if (rest.substr(slash) != kCallbackPath) return bad();
  return absl::OkStatus();
}

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string AuthorizeUrl(std::string_view issuer, std::string_view redirect_uri,
                         std::string_view challenge, std::string_view state) {
  const std::pair<std::string_view, std::string_view> query[] = {
      {"response_type", "code"},
      {"client_id", kClientId},
      {"redirect_uri", redirect_uri},
      {"scope", kLoginScope},
      {"code_challenge", challenge},
      {"code_challenge_method", "S256"},
      {"id_token_add_organizations", "true"},
      {"codex_cli_simplified_flow", "true"},
      {"state", state},
      {"originator", kOriginator},
  };
  std::string url(issuer);
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += kAuthorizePath;
  char sep = '?';
  for (const auto& [k, v] : query) {
    url += sep;
    url += k;
    url += '=';
    url += FormEncode(v);
    sep = '&';
  }
  return url;
}

std::string CodeExchangeBody(std::string_view code, std::string_view redirect_uri,
                             std::string_view verifier) {
  return "grant_type=authorization_code&code=" + FormEncode(code) +
         "&redirect_uri=" + FormEncode(redirect_uri) + "&client_id=" + FormEncode(kClientId) +
         "&code_verifier=" + FormEncode(verifier);
}

absl::StatusOr<Callback> ParseCallback(std::string_view url_or_query) {
  std::string_view s = url_or_query;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  if (s.size() > kMaxCallback) {
    return absl::InvalidArgumentError("the sign-in answer is longer than 8 KiB");
  }
  if (const size_t q = s.find('?'); q != std::string_view::npos) {
    s.remove_prefix(q + 1);
  } else if (s.find('=') == std::string_view::npos) {
    return absl::InvalidArgumentError(
        "that is not where the browser came back to: paste the whole address "
        "(http://localhost:…/auth/callback?code=…&state=…)");
  }
  if (const size_t hash = s.find('#'); hash != std::string_view::npos) s = s.substr(0, hash);
  Callback cb;
  while (!s.empty()) {
    const size_t amp = s.find('&');
    std::string_view pair = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto value = FormDecode(pair.substr(eq + 1));
    if (!value.ok()) return absl::InvalidArgumentError("the sign-in answer has a broken %-escape");
    if (value->size() > kMaxField || !Printable(*value)) {
      return absl::InvalidArgumentError("the sign-in answer holds an unusable value");
    }
    const std::string_view key = pair.substr(0, eq);
    std::string* field = key == "code"                ? &cb.code
                         : key == "state"             ? &cb.state
                         : key == "error"             ? &cb.error
                         : key == "error_description" ? &cb.error_description
                                                      : nullptr;
    if (field != nullptr && field->empty()) *field = *std::move(value);
  }
  if (cb.error.empty() && cb.code.empty()) {
    return absl::InvalidArgumentError("the sign-in answer has no authorization code");
  }
  return cb;
}

absl::StatusOr<SignedIn> ParseCodeExchangeAnswer(int status, std::string_view body,
                                                 std::string_view transport_error) {
  if (status == 0) {
    return absl::UnavailableError("the auth server could not be reached: " +
                                  std::string(transport_error));
  }
  if (status >= 500 || status == 429) {
    return absl::UnavailableError("the auth server could not take the sign-in now (" +
                                  Refusal(status, body) + "); try again");
  }
  if (status != 200) {
    return absl::PermissionDeniedError("the auth server refused the sign-in (" +
                                       Refusal(status, body) + ")");
  }
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return absl::UnavailableError("the auth server's answer to the sign-in is not JSON");
  }
  SignedIn t;
  t.id_token = Str(v.get_object(), "id_token");
  t.access_token = Str(v.get_object(), "access_token");
  t.refresh_token = Str(v.get_object(), "refresh_token");
  if (!HeaderSafe(t.access_token, kMaxToken) || !HeaderSafe(t.refresh_token, kMaxToken) ||
      !HeaderSafe(t.id_token, kMaxToken)) {
    return absl::UnavailableError(
        "the auth server's answer to the sign-in lacks an id, access or refresh token");
  }
  return t;
}

absl::StatusOr<Account> AccountFromSignIn(const SignedIn& tokens, int64_t now_ms) {
  const std::string auth_json =
      json::serialize(json::object{{"auth_mode", "chatgpt"},
                                   {"OPENAI_API_KEY", nullptr},
                                   {"tokens", json::object{{"id_token", tokens.id_token},
                                                           {"access_token", tokens.access_token},
                                                           {"refresh_token", tokens.refresh_token},
                                                           {"account_id", nullptr}}},
                                   {"last_refresh", FormatRfc3339(now_ms)}});
  auto account = ParseCodexAuth(auth_json);
  if (!account.ok()) {
    return absl::InvalidArgumentError("the signed-in tokens cannot be used: " +
                                      std::string(account.status().message()));
  }
  return account;
}

std::string DeviceUserCodeBody() { return json::serialize(json::object{{"client_id", kClientId}}); }

absl::StatusOr<DeviceCode> ParseDeviceUserCode(int status, std::string_view body,
                                               std::string_view transport_error) {
  if (status == 0) {
    return absl::UnavailableError("the auth server could not be reached: " +
                                  std::string(transport_error));
  }
  if (status == 404) {
    return absl::NotFoundError(
        "device code login is not enabled on this auth server; use the browser login");
  }
  if (status != 200) {
    return absl::UnavailableError("the auth server did not give a device code (" +
                                  Refusal(status, body) + ")");
  }
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return absl::UnavailableError("the auth server's device code answer is not JSON");
  }
  const json::object& o = v.get_object();
  DeviceCode dc;
  dc.device_auth_id = Str(o, "device_auth_id");
  dc.user_code = Str(o, "user_code");
  if (dc.user_code.empty()) dc.user_code = Str(o, "usercode");
  // The interval comes as a string ("5"); a number is taken too; 1..60 s.
  if (const json::value* iv = o.if_contains("interval"); iv != nullptr) {
    int64_t n = 0;
    if (iv->is_int64()) {
      n = iv->get_int64();
    } else if (iv->is_uint64()) {
      n = iv->get_uint64() > 60 ? 60 : static_cast<int64_t>(iv->get_uint64());
    } else if (iv->is_string()) {
      std::string_view s = iv->get_string();
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (err != std::errc() || end != s.data() + s.size()) n = 0;
    }
    if (n > 0) dc.interval_s = static_cast<int>(n > 60 ? 60 : n);
  }
  if (!HeaderSafe(dc.device_auth_id, 512) || !HeaderSafe(dc.user_code, 64)) {
    return absl::UnavailableError("the auth server's device code answer lacks a code");
  }
  return dc;
}

std::string DevicePollBody(std::string_view device_auth_id, std::string_view user_code) {
  return json::serialize(
      json::object{{"device_auth_id", device_auth_id}, {"user_code", user_code}});
}

absl::StatusOr<DeviceGrant> ParseDevicePoll(int status, std::string_view body,
                                            std::string_view transport_error) {
  if (status == 0) {
    return absl::UnavailableError("the auth server could not be reached: " +
                                  std::string(transport_error));
  }
  // The official client keeps asking on 403 and 404: the code was not entered yet.
  if (status == 403 || status == 404) return DeviceGrant{};
  if (status != 200) {
    return absl::PermissionDeniedError("the auth server ended the device sign-in (" +
                                       Refusal(status, body) + ")");
  }
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return absl::UnavailableError("the auth server's device sign-in answer is not JSON");
  }
  DeviceGrant g;
  g.pending = false;
  g.authorization_code = Str(v.get_object(), "authorization_code");
  g.code_verifier = Str(v.get_object(), "code_verifier");
  if (!HeaderSafe(g.authorization_code, kMaxField) || !HeaderSafe(g.code_verifier, kMaxField)) {
    return absl::UnavailableError("the auth server's device sign-in answer lacks a code");
  }
  return g;
}

}  // namespace agentgate::accounts
