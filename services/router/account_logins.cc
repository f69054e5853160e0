#include "services/router/account_logins.h"

#include <algorithm>
#include <utility>

#include "services/common/token.h"

namespace agentgate::router {
namespace {

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

AccountLogins::AccountLogins(Options opts, AuthCall call)
    : opts_(std::move(opts)), call_(std::move(call)) {}

void AccountLogins::SweepLocked(int64_t now_ms) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = it->second.expires_at_ms <= now_ms ? pending_.erase(it) : std::next(it);
  }
}

void AccountLogins::MakeRoomLocked() {
  while (pending_.size() >= opts_.max_pending && !pending_.empty()) {
    auto oldest = std::min_element(
        pending_.begin(), pending_.end(),
        [](const auto& a, const auto& b) { return a.second.started_ms < b.second.started_ms; });
    pending_.erase(oldest);
  }
}

absl::StatusOr<admin::v1::AccountLogin> AccountLogins::Start(
    const admin::v1::StartAccountLoginRequest& req, int64_t now_ms) {
  if (req.provider().size() > 128) return absl::InvalidArgumentError("the pool name is too long");
  Pending p;
  p.device = req.device();
  p.provider = req.provider();
  p.started_ms = now_ms;
  p.expires_at_ms = now_ms + opts_.ttl_ms;
  admin::v1::AccountLogin out;
  const std::string issuer = TrimSlash(opts_.issuer);
  if (!p.device) {
    if (auto st = accounts::CheckRedirectUri(req.redirect_uri()); !st.ok()) return st;
    const accounts::Pkce pkce = accounts::PkceFrom(RandomBytes(64));
    p.verifier = pkce.verifier;
    p.state = Base64UrlEncode(RandomBytes(32));
    p.redirect_uri = req.redirect_uri();
    out.set_authorize_url(accounts::AuthorizeUrl(issuer, p.redirect_uri, pkce.challenge, p.state));
  } else {
    auto answer = call_(probe::v1::AUTH_STEP_DEVICE_USER_CODE, accounts::DeviceUserCodeBody());
    if (!answer.ok()) return answer.status();
    auto code = accounts::ParseDeviceUserCode(answer->status(), answer->body(), answer->error());
    if (!code.ok()) return code.status();
    p.device_auth_id = code->device_auth_id;
    p.user_code = code->user_code;
    p.interval_s = code->interval_s;
    out.set_verification_url(issuer + std::string(accounts::kDeviceVerifyPath));
    out.set_user_code(p.user_code);
    out.set_interval_s(p.interval_s);
  }
  const std::string id = RandomHex(32);
  out.set_login_id(id);
  out.set_expires_at_ms(p.expires_at_ms);
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(now_ms);
  MakeRoomLocked();
  pending_.emplace(id, std::move(p));
  return out;
}

absl::StatusOr<accounts::Account> AccountLogins::Exchange(std::string_view code,
                                                          std::string_view redirect_uri,
                                                          std::string_view verifier,
                                                          int64_t now_ms) {
  auto answer = call_(probe::v1::AUTH_STEP_EXCHANGE_CODE,
                      accounts::CodeExchangeBody(code, redirect_uri, verifier));
  if (!answer.ok()) return answer.status();
  auto tokens =
      accounts::ParseCodeExchangeAnswer(answer->status(), answer->body(), answer->error());
  if (!tokens.ok()) return tokens.status();
  return accounts::AccountFromSignIn(*tokens, now_ms);
}

absl::StatusOr<AccountLogins::Finished> AccountLogins::Finish(
    const admin::v1::FinishAccountLoginRequest& req, int64_t now_ms) {
  Pending p;
  accounts::Callback cb;
  bool browser = false;  // a browser login's answer, taken out of pending_ below
  {
    std::lock_guard<std::mutex> lock(mu_);
    SweepLocked(now_ms);
    auto it = pending_.find(req.login_id());
    if (it == pending_.end()) {
      return absl::NotFoundError("no sign-in " + req.login_id().substr(0, 64) +
                                 " under way (a sign-in lasts 15 minutes): start again");
    }
    browser = !it->second.device;
    if (browser) {
      auto parsed = accounts::ParseCallback(req.callback());
      if (!parsed.ok()) return parsed.status();
      if (!ConstantTimeEquals(parsed->state, it->second.state)) {
        return absl::InvalidArgumentError(
            "that answer belongs to another sign-in (its state does not match): use the address "
            "the browser came back to for this one");
      }
      cb = *std::move(parsed);
      p = std::move(it->second);
      pending_.erase(it);  // its code works once, whatever follows
    }
  }
  if (browser) {
    if (!cb.error.empty()) {
      return absl::PermissionDeniedError(
          "the sign-in was not completed: " + cb.error +
          (cb.error_description.empty() ? "" : " (" + cb.error_description + ")"));
    }
    auto account = Exchange(cb.code, p.redirect_uri, p.verifier, now_ms);
    if (!account.ok()) return account.status();
    return Finished{false, *std::move(account), p.provider};
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(req.login_id());
    if (it == pending_.end()) return absl::NotFoundError("the sign-in ended meanwhile");
    Pending& d = it->second;
    if (d.polling || now_ms < d.next_poll_ms) return Finished{.pending = true};
    d.polling = true;
    d.next_poll_ms = now_ms + int64_t{d.interval_s} * 1000;
    p = d;
  }
  // A device login: ask whether the code was entered (outside the lock: it is a round trip).
  auto finish = [&](absl::StatusOr<Finished> result, bool done) -> absl::StatusOr<Finished> {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(req.login_id());
    if (it != pending_.end()) {
      if (done) {
        pending_.erase(it);
      } else {
        it->second.polling = false;
      }
    }
    return result;
  };
  auto answer = call_(probe::v1::AUTH_STEP_DEVICE_TOKEN,
                      accounts::DevicePollBody(p.device_auth_id, p.user_code));
  if (!answer.ok()) return finish(answer.status(), false);
  auto grant = accounts::ParseDevicePoll(answer->status(), answer->body(), answer->error());
  if (!grant.ok())
    return finish(grant.status(), grant.status().code() != absl::StatusCode::kUnavailable);
  if (grant->pending) return finish(Finished{.pending = true}, false);
  auto account = Exchange(grant->authorization_code,
                          TrimSlash(opts_.issuer) + std::string(accounts::kDeviceCallbackPath),
                          grant->code_verifier, now_ms);
  if (!account.ok()) return finish(account.status(), true);
  return finish(Finished{false, *std::move(account), p.provider}, true);
}

size_t AccountLogins::PendingForTest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

}  // namespace agentgate::router
