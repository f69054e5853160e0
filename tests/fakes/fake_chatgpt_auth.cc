#include "tests/fakes/fake_chatgpt_auth.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <boost/json.hpp>
#include <chrono>

namespace agentgate::fakes {
namespace {

namespace json = boost::json;

constexpr std::string_view kClientId = "app_EMoamEEZ73f0CkXaXp7hrann";

std::string B64Url(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string S256(std::string_view verifier) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), d);
  return B64Url(std::string_view(reinterpret_cast<const char*>(d), sizeof d));
}

std::string Jwt(const json::object& claims) {
  return B64Url(R"({"alg":"RS256","typ":"JWT"})") + "." + B64Url(json::serialize(claims)) +
         ".c2lnbmF0dXJl";
}

ScriptedResponse Json(int status, const json::object& body) {
  ScriptedResponse r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

ScriptedResponse OAuthError(int status, std::string_view error, std::string_view description) {
  return Json(status, json::object{{"error", error}, {"error_description", description}});
}

// The authorize page's own refusal (no redirect is trusted yet): a page, as the real one shows.
ScriptedResponse Page(int status, std::string text) {
  ScriptedResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<html><body><h1>Error</h1><p>" + text + "</p></body></html>";
  return r;
}

std::map<std::string, std::string> Query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto v = FormDecodeForTest(pair.substr(eq + 1));
    if (v) out.emplace(std::string(pair.substr(0, eq)), *v);
  }
  return out;
}

bool HasScope(const std::string& scope, std::string_view want) {
  size_t pos = 0;
  while (pos <= scope.size()) {
    const size_t sp = scope.find(' ', pos);
    if (scope.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos) == want)
      return true;
    if (sp == std::string::npos) break;
    pos = sp + 1;
  }
  return false;
}

int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<json::object> JsonBody(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.get_object();
}

std::string Field(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::optional<std::string> FormDecodeForTest(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size() || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) return std::nullopt;
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

void FakeChatGptAuth::SetSignIn(const std::string& account_id, const std::string& email,
                                const std::string& plan) {
  std::lock_guard lock(mu_);
  account_ = account_id;
  email_ = email;
  plan_ = plan;
}

void FakeChatGptAuth::SetDeviceApproveAfter(int polls) {
  std::lock_guard lock(mu_);
  approve_after_ = polls;
}

void FakeChatGptAuth::SetRedirectPorts(std::vector<int> ports) {
  std::lock_guard lock(mu_);
  ports_ = std::move(ports);
}

int FakeChatGptAuth::SignIns() const {
  std::lock_guard lock(mu_);
  return sign_ins_;
}

ScriptedResponse FakeChatGptAuth::Authorize(std::string_view query) {
  auto q = Query(query);
  std::lock_guard lock(mu_);
  if (q["client_id"] != kClientId) return Page(400, "Unknown client.");
  const std::string& redirect = q["redirect_uri"];
  bool registered = false;
  for (int port : ports_) {
    registered |= redirect == "http://localhost:" + std::to_string(port) + "/auth/callback";
  }
  if (!registered) return Page(400, "The redirect URI is not registered for this client.");
  auto back = [&](const std::string& params) {
    ScriptedResponse r;
    r.status = 302;
    r.content_type = "text/html";
    r.headers.emplace_back("Location", redirect + "?" + params);
    return r;
  };
  auto refuse = [&](std::string_view error, std::string_view description) {
    std::string enc;
    for (char c : std::string(description)) enc += c == ' ' ? '+' : c;
    return back("error=" + std::string(error) + "&error_description=" + enc +
                "&state=" + q["state"]);
  };
  if (q["response_type"] != "code") return refuse("unsupported_response_type", "Only code");
  if (!HasScope(q["scope"], "openid") || !HasScope(q["scope"], "offline_access")) {
    return refuse("invalid_scope", "The scope must include openid and offline_access");
  }
  if (q["code_challenge_method"] != "S256" || q["code_challenge"].size() != 43) {
    return refuse("invalid_request", "PKCE with S256 is required");
  }
  if (q["state"].size() < 8) return refuse("invalid_state", "The state is missing or too short");
  const std::string code = "ac-" + std::to_string(++next_);
  codes_[code] = Code{q["code_challenge"], redirect};
  // The state goes back as it came, encoded (it is base64url: nothing to encode).
  return back("code=" + code + "&scope=openid+profile+email+offline_access&state=" + q["state"]);
}

ScriptedResponse FakeChatGptAuth::ExchangeCode(const std::map<std::string, std::string>& fields,
                                               const Install& install) {
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  if (get("client_id") != kClientId) return OAuthError(401, "invalid_client", "Unknown client.");
  Issued issued;
  std::string email, plan;
  {
    std::lock_guard lock(mu_);
    const std::string code = get("code");
    auto it = codes_.find(code);
    if (it == codes_.end()) {
      return OAuthError(400, "invalid_grant",
                        used_codes_.count(code) ? "The authorization code has already been used."
                                                : "The authorization code is invalid.");
    }
    const Code c = it->second;
    codes_.erase(it);
    used_codes_.insert(code);  // a failed exchange spends the code too
    if (get("redirect_uri") != c.redirect_uri) {
      return OAuthError(400, "invalid_grant",
                        "The redirect_uri does not match the authorization request.");
    }
    if (S256(get("code_verifier")) != c.challenge) {
      return OAuthError(400, "invalid_grant",
                        "The code_verifier does not match the code_challenge.");
    }
    ++sign_ins_;
    issued.account_id = account_;
    email = email_;
    plan = plan_;
    issued.access_token =
        Jwt({{"client_id", kClientId}, {"exp", NowS() + 10 * 86400}, {"n", sign_ins_}});
    issued.refresh_token = "rt-" + account_ + "-s" + std::to_string(sign_ins_);
  }
  install(issued);
  const std::string id_token =
      Jwt({{"email", email},
           {"exp", NowS() + 3600},
           {"https://api.openai.com/auth",
            json::object{{"chatgpt_account_id", issued.account_id}, {"chatgpt_plan_type", plan}}}});
  return Json(200, json::object{{"id_token", id_token},
                                {"access_token", issued.access_token},
                                {"refresh_token", issued.refresh_token},
                                {"expires_in", 864000},
                                {"token_type", "Bearer"}});
}

ScriptedResponse FakeChatGptAuth::DeviceUserCode(std::string_view body) {
  auto o = JsonBody(body);
  if (!o || Field(*o, "client_id") != kClientId) {
    return Json(400, json::object{{"error", json::object{{"message", "Unknown client."}}}});
  }
  std::lock_guard lock(mu_);
  const int n = ++next_;
  const std::string id = "deviceauth_" + std::to_string(n);
  Device d;
  d.user_code = "ABCD-" + std::to_string(1000 + n);
  devices_[id] = d;
  // The interval comes as a string, as the real server sends it.
  return Json(200, json::object{{"device_auth_id", id},
                                {"user_code", d.user_code},
                                {"interval", "1"},
                                {"expires_at", NowS() + 900}});
}

ScriptedResponse FakeChatGptAuth::DeviceToken(std::string_view body, const std::string& base_url) {
  auto o = JsonBody(body);
  std::lock_guard lock(mu_);
  auto it = o ? devices_.find(Field(*o, "device_auth_id")) : devices_.end();
  if (it == devices_.end() || Field(*o, "user_code") != it->second.user_code) {
    return Json(404, json::object{{"error", json::object{{"message", "Unknown device code."}}}});
  }
  if (++it->second.polls < approve_after_) {
    return Json(
        403, json::object{{"error", json::object{{"message", "The code was not entered yet."}}}});
  }
  devices_.erase(it);
  // The server made the PKCE pair; the code is exchanged with its device callback.
  const std::string verifier =
      B64Url("device-verifier-" + std::to_string(++next_) + "-padding-pad");
  const std::string code = "ac-" + std::to_string(++next_);
  codes_[code] = Code{S256(verifier), base_url + "/deviceauth/callback"};
  return Json(200, json::object{{"authorization_code", code},
                                {"code_challenge", S256(verifier)},
                                {"code_verifier", verifier}});
}

}  // namespace agentgate::fakes
